package io.datomicgitops.findings;

import io.datomicgitops.config.PropertiesFile;

import java.util.List;
import java.util.OptionalInt;

import static io.datomicgitops.findings.FindingCodes.INSTANCE_TYPE_NOT_IN_DATOMIC_MAP;
import static io.datomicgitops.findings.FindingCodes.UNKNOWN_INSTANCE_TYPE;

/**
 * cf.properties' {@code aws-instance-type} against Datomic's instance map and the runner's table of EC2 types: a
 * type neither knows is an error (a typo such as m5.huge would fail only when EC2 launches the instance); a real
 * type Datomic's map lacks is a warning, saying how the tool derives what Datomic's map would have given.
 */
final class InstanceTypeCheck {
    private InstanceTypeCheck() {}

    static void check(StackFiles files, List<Finding> out) {
        if (files.cf().isEmpty() || files.instanceType().isEmpty()) return;
        PropertiesFile cf = files.cf().get();
        String type = files.instanceType().get();
        InstanceCatalog catalog = InstanceCatalog.bundled();
        OptionalInt memory = catalog.memoryMib(type);
        boolean datomic = catalog.datomicLists(type);
        String where = cf.where("aws-instance-type");
        if (memory.isEmpty() && !datomic) {
            List<String> family = catalog.family(type);
            String todo = family.isEmpty()
                    ? "write a current type such as m5.large or c6i.xlarge"
                    : "write one of " + String.join(", ", family);
            out.add(Finding.error(UNKNOWN_INSTANCE_TYPE, "'aws-instance-type' = '" + type + "' is not an EC2 instance type "
                    + "that Datomic's instance map or this runner's table of " + catalog.tableSize() + " EC2 types knows: "
                    + todo + " (a type newer than the runner needs a newer runner)", where));
            return;
        }
        if (!datomic) {
            String message = "instance type " + type + " is not in Datomic's instance map (instance-arch.edn lists types up "
                    + "to m4, c4, r4 and i3): the template maps it to 64h (64-bit HVM), and ensure-cf derives java-xmx from "
                    + "its memory as EC2 reports it (this runner's table: " + memory.getAsInt() + " MiB) instead of Datomic's table";
            if (files.ownImage()) {
                out.add(Finding.info(INSTANCE_TYPE_NOT_IN_DATOMIC_MAP, message + "; your own image (aws-ami) runs it", where));
            } else {
                out.add(Finding.warning(INSTANCE_TYPE_NOT_IN_DATOMIC_MAP, message + "; check that Datomic's AMI boots it, "
                        + "or set aws-ami to an image of your own", where));
            }
        }
    }
}

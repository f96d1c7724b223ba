package io.datomicgitops.findings;

import io.datomicgitops.config.PropertiesFile;
import io.datomicgitops.config.Secrets;
import io.datomicgitops.config.ValueType;

import java.util.List;
import java.util.Optional;

import static io.datomicgitops.findings.FindingCodes.NO_AMI_FOR_REGION;
import static io.datomicgitops.findings.FindingCodes.PLACEHOLDER_IN_CF;
import static io.datomicgitops.findings.FindingCodes.SECURITY_GROUP_NAME_WITH_SUBNETS;

/** What create-cf-template would refuse or warn about in cf.properties, said before a plan: the same rules, as findings. */
final class TemplateInputCheck {
    private TemplateInputCheck() {}

    static void check(StackFiles files, List<Finding> out) {
        if (files.cf().isEmpty()) return;
        PropertiesFile cf = files.cf().get();
        for (PropertiesFile.Definition d : cf.definitions()) {
            if (Secrets.isPlaceholder(d.value())) {
                out.add(Finding.error(PLACEHOLDER_IN_CF, "'" + d.key() + "' uses a placeholder, and cf.properties values are "
                        + "written into the template: write the value itself (placeholders are for secrets in "
                        + "transactor.properties)", cf.name() + ":" + d.line()));
            }
        }
        Optional<String> region = cf.get("aws-region").filter(r -> ValueType.REGION_NAME.check(r).isEmpty());
        if (region.isPresent() && !files.ownImage() && !InstanceCatalog.bundled().datomicPublishesAmiFor(region.get())) {
            out.add(Finding.error(NO_AMI_FOR_REGION, "Datomic publishes no AMI for region " + region.get()
                    + ": set aws-ami=<your image id in " + region.get() + ">", cf.where("aws-region")));
        }
        Optional<String> groups = cf.get("aws-security-group");
        if (cf.get("aws-subnets").isPresent() && groups.isPresent()
                && !ValueType.splitList(groups.get()).stream().allMatch(g -> g.matches("sg-[0-9a-f]{8,17}"))) {
            out.add(Finding.warning(SECURITY_GROUP_NAME_WITH_SUBNETS, "with aws-subnets, give the security group by id "
                    + "(sg-...): EC2 accepts group names only in the default VPC", cf.where("aws-security-group")));
        }
    }
}

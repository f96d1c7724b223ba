package io.datomicgitops.template;

import io.datomicgitops.config.PropertiesFile;

import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The two mappings the AMI is chosen through, as in Datomic's template: instance type -> architecture, and
 * region -> architecture -> AMI. Datomic's published maps, with the operator's own images written over the regions
 * they name ({@code aws-ami.<region>}, and {@code aws-ami} for the stack's region), and the configured instance
 * type added when Datomic's list (which stops at m4/c4/r4/i3) does not know it.
 */
record ImageMappings(SortedMap<String, String> instanceArch, SortedMap<String, SortedMap<String, String>> regionArchAmi,
                     boolean datomicListsType) {
    /** Datomic's name for 64-bit HVM, the only architecture it still publishes images for. */
    static final String HVM = "64h";

    static ImageMappings of(AmiCatalog catalog, CfSettings s, PropertiesFile cf, InputProblems problems) {
        SortedMap<String, SortedMap<String, String>> regions = new TreeMap<>(catalog.regionArchAmi());
        s.regionAmis().forEach((region, ami) -> regions.put(region, new TreeMap<>(java.util.Map.of(HVM, ami))));
        s.ami().ifPresent(ami -> {
            if (!s.regionAmis().containsKey(s.region())) regions.put(s.region(), new TreeMap<>(java.util.Map.of(HVM, ami)));
        });
        boolean ownImage = s.customAmi(s.region()).isPresent();
        if (InstanceTypes.isArm64(s.instanceType()) && ownImage) {
            // Datomic's images are x86_64: a Graviton stack launched in a region the operator gave no image for must
            // find no image there (the stack fails to create), never boot an x86_64 one that cannot run
            regions.keySet().removeIf(region -> s.customAmi(region).isEmpty());
        }
        if (!regions.containsKey(s.region())) {
            problems.error(cf, "aws-region", "Datomic publishes no AMI for region " + s.region() + " (it does for "
                    + String.join(", ", catalog.regionArchAmi().keySet()) + ")", "set aws-ami=<your image id in " + s.region() + ">");
        }

        SortedMap<String, String> types = new TreeMap<>(catalog.instanceArch());
        String type = s.instanceType();
        if (InstanceTypes.isArm64(type) && !ownImage) {
            problems.error(cf, "aws-instance-type", "'aws-instance-type' = '" + type + "' is an arm64 (Graviton) type, and "
                    + "Datomic's AMIs are built for x86_64", "choose an x86_64 type such as m5.large, or set aws-ami to an arm64 image of your own");
        } else if (!types.containsKey(type)) {
            types.put(type, HVM);
            if (!ownImage) {
                problems.warn(cf.where("aws-instance-type") + ": instance type " + type + " is not in Datomic's instance map "
                        + "(it lists types up to m4, c4, r4 and i3); mapped to " + HVM + " (HVM): check that Datomic's AMI boots it");
            }
        } else if (!HVM.equals(types.get(type)) && !ownImage) {
            problems.error(cf, "aws-instance-type", "'aws-instance-type' = '" + type + "' maps to architecture " + types.get(type)
                    + ", for which Datomic publishes no AMI in " + s.region(), "choose a current (HVM) instance type");
        }
        return new ImageMappings(types, regions, catalog.instanceArch().containsKey(type));
    }
}

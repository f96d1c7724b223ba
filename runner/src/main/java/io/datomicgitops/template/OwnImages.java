package io.datomicgitops.template;

import io.datomicgitops.aws.AwsClients;
import io.datomicgitops.config.PropertiesFile;
import io.datomicgitops.findings.Finding;
import io.datomicgitops.findings.FindingCodes;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ec2.model.Image;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The operator's own images (aws-ami, aws-ami.&lt;region&gt;), as EC2 describes them in the region each one is for: an
 * image that does not exist there, or whose architecture is not the instance type's, would launch a transactor that
 * never starts, discovered only after the stack update. One DescribeImages per image; none when there is no own image.
 */
public final class OwnImages {
    private final AwsClients aws;

    public OwnImages(AwsClients aws) {
        this.aws = aws;
    }

    /** The findings about cf.properties' own images (empty when it names none, or the file is incomplete). */
    public List<Finding> check(PropertiesFile cf) {
        Optional<String> type = cf.get("aws-instance-type");
        Optional<String> stackRegion = cf.get("aws-region");
        if (type.isEmpty() || stackRegion.isEmpty()) return List.of();
        String wanted = InstanceTypes.isArm64(type.get()) ? "arm64" : "x86_64";
        List<Finding> out = new ArrayList<>();
        images(cf, stackRegion.get()).forEach((key, regionAndImage) -> {
            String region = regionAndImage[0];
            String image = regionAndImage[1];
            String where = cf.where(key);
            try {
                List<Image> found = aws.ec2(region).describeImages(r -> r.imageIds(image)).images();
                if (found.isEmpty()) {
                    out.add(Finding.error(FindingCodes.AMI_NOT_FOUND, key + " = " + image + ": no such image in " + region
                            + " for this account; set the id of an image that exists in " + region, where));
                    return;
                }
                String arch = found.get(0).architectureAsString();
                if (!wanted.equals(arch)) {
                    out.add(Finding.error(FindingCodes.AMI_ARCHITECTURE_MISMATCH, key + " = " + image + " is an " + arch
                            + " image and " + type.get() + " is an " + wanted + " instance type: the transactor would never start; "
                            + "choose an " + wanted + " image, or an instance type of the image's architecture", where));
                }
            } catch (AwsServiceException e) {
                if (e.awsErrorDetails() != null && String.valueOf(e.awsErrorDetails().errorCode()).startsWith("InvalidAMIID")) {
                    out.add(Finding.error(FindingCodes.AMI_NOT_FOUND, key + " = " + image + ": no such image in " + region
                            + " (" + e.awsErrorDetails().errorCode() + "); set the id of an image that exists in " + region, where));
                } else {
                    out.add(Finding.warning(FindingCodes.AMI_NOT_CHECKED, key + " = " + image + ": could not describe it in "
                            + region + " (" + e.awsErrorDetails().errorCode() + "); allow ec2:DescribeImages to have it checked", where));
                }
            } catch (SdkException e) {
                out.add(Finding.warning(FindingCodes.AMI_NOT_CHECKED, key + " = " + image + ": could not describe it in "
                        + region + " (" + e.getMessage() + ")", where));
            }
        });
        return out;
    }

    /** key -> {region, image}: aws-ami.&lt;region&gt; for its region, aws-ami for the stack's region when no key names it. */
    static Map<String, String[]> images(PropertiesFile cf, String stackRegion) {
        Map<String, String[]> out = new LinkedHashMap<>();
        for (String key : cf.keys()) {
            if (!key.startsWith(CfSettings.AMI_PREFIX)) continue;
            cf.get(key).filter(v -> !v.isBlank()).ifPresent(v -> out.put(key, new String[] {key.substring(CfSettings.AMI_PREFIX.length()), v}));
        }
        if (!out.containsKey(CfSettings.AMI_PREFIX + stackRegion)) {
            cf.get("aws-ami").filter(v -> !v.isBlank()).ifPresent(v -> out.put("aws-ami", new String[] {stackRegion, v}));
        }
        return out;
    }
}

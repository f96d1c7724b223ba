package io.datomicgitops.template;

import io.datomicgitops.aws.AwsClients;
import io.datomicgitops.config.PropertiesFile;
import io.datomicgitops.findings.Finding;
import io.datomicgitops.findings.FindingCodes;
import io.datomicgitops.testing.Sandbox;
import io.datomicgitops.testing.SandboxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The operator's own images against EC2 in the region each is for: the sandbox describes real images with their
 * architecture (Amazon's, as moto ships them): an arm64 image with an x86_64 type, or an image that does not exist,
 * is refused at plan, before a stack update launches a transactor that never starts.
 */
@ExtendWith(SandboxExtension.class)
class OwnImagesIT {
    static final String X86 = "ami-12c6146b";
    static final String ARM = "ami-0e9271c829888680e";

    static PropertiesFile cf(String type, String... amis) {
        StringBuilder s = new StringBuilder("aws-region=us-east-1\naws-instance-type=" + type + "\n");
        for (String a : amis) s.append(a).append('\n');
        return PropertiesFile.parse("cf.properties", s.toString());
    }

    @Test
    void anImageOfTheTypesArchitecturePasses(Sandbox sandbox) {
        try (AwsClients aws = sandbox.clients()) {
            assertThat(new OwnImages(aws).check(cf("m5.large", "aws-ami=" + X86))).isEmpty();
            assertThat(new OwnImages(aws).check(cf("m7g.large", "aws-ami=" + ARM, "aws-ami.eu-west-1=" + ARM))).isEmpty();
            assertThat(new OwnImages(aws).check(cf("m5.large"))).as("no own image: nothing to describe").isEmpty();
        }
    }

    @Test
    void anArm64ImageForAnX86TypeIsRefusedInEachRegionItIsFor(Sandbox sandbox) {
        try (AwsClients aws = sandbox.clients()) {
            List<Finding> found = new OwnImages(aws).check(cf("m5.large", "aws-ami=" + X86, "aws-ami.eu-west-1=" + ARM));
            assertThat(found).singleElement().satisfies(f -> {
                assertThat(f.code()).isEqualTo(FindingCodes.AMI_ARCHITECTURE_MISMATCH);
                assertThat(f.severity()).isEqualTo(Finding.Severity.ERROR);
                assertThat(f.message()).contains("aws-ami.eu-west-1 = " + ARM + " is an arm64 image and m5.large is an x86_64 instance type");
                assertThat(f.where()).isEqualTo("cf.properties:4");
            });
            assertThat(new OwnImages(aws).check(cf("c7g.xlarge", "aws-ami=" + X86)))
                    .singleElement().satisfies(f -> assertThat(f.message()).contains("is an x86_64 image and c7g.xlarge is an arm64 instance type"));
        }
    }

    @Test
    void anImageThatDoesNotExistInItsRegionIsRefused(Sandbox sandbox) {
        try (AwsClients aws = sandbox.clients()) {
            assertThat(new OwnImages(aws).check(cf("m5.large", "aws-ami=ami-0123456789abcdef0")))
                    .singleElement().satisfies(f -> {
                        assertThat(f.code()).isEqualTo(FindingCodes.AMI_NOT_FOUND);
                        assertThat(f.message()).contains("aws-ami = ami-0123456789abcdef0: no such image in us-east-1");
                    });
        }
    }
}

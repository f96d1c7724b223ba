package io.datomicgitops.findings;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class InstanceTypeCheckTest {

    @Test
    void aTypeNeitherDatomicNorEc2KnowsIsAnErrorListingItsFamily() {
        assertThat(StackFixture.clean().cf("aws-instance-type", "aws-instance-type=m5.huge").lines()).containsExactly(
                "error unknown-instance-type: cf.properties:1: 'aws-instance-type' = 'm5.huge' is not an EC2 instance type "
                        + "that Datomic's instance map or this runner's table of 1263 EC2 types knows: write one of m5.large, "
                        + "m5.xlarge, m5.2xlarge, m5.4xlarge, m5.8xlarge, m5.12xlarge, m5.16xlarge, m5.24xlarge, m5.metal "
                        + "(a type newer than the runner needs a newer runner)");
    }

    @Test
    void anUnknownFamilyGetsAnExample() {
        assertThat(StackFixture.clean().cf("aws-instance-type", "aws-instance-type=zz9.large").lines()).containsExactly(
                "error unknown-instance-type: cf.properties:1: 'aws-instance-type' = 'zz9.large' is not an EC2 instance type "
                        + "that Datomic's instance map or this runner's table of 1263 EC2 types knows: write a current type "
                        + "such as m5.large or c6i.xlarge (a type newer than the runner needs a newer runner)");
    }

    @Test
    void aRealTypeDatomicsMapLacksIsAWarningSayingHowTheValuesAreDerived() {
        assertThat(StackFixture.clean().cf("aws-instance-type", "aws-instance-type=m5.large").lines()).containsExactly(
                "warning instance-type-not-in-datomic-map: cf.properties:1: instance type m5.large is not in Datomic's instance "
                        + "map (instance-arch.edn lists types up to m4, c4, r4 and i3): the template maps it to 64h (64-bit HVM), "
                        + "and ensure-cf derives java-xmx from its memory as EC2 reports it (this runner's table: 8192 MiB) "
                        + "instead of Datomic's table; check that Datomic's AMI boots it, or set aws-ami to an image of your own");
    }

    @Test
    void withTheOperatorsOwnImageItIsOnlyInfo() {
        StackFixture s = StackFixture.clean().cf("aws-instance-type", "aws-instance-type=m5.large");
        s.add(s.cf, "aws-ami=ami-0123456789abcdef0");
        assertThat(s.check()).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Finding.Severity.INFO);
            assertThat(f.code()).isEqualTo("instance-type-not-in-datomic-map");
            assertThat(f.message()).endsWith("instead of Datomic's table; your own image (aws-ami) runs it");
        });
        StackFixture perRegion = StackFixture.clean().cf("aws-instance-type", "aws-instance-type=m5.large");
        perRegion.add(perRegion.cf, "aws-ami.us-east-1=ami-0123456789abcdef0");
        assertThat(perRegion.check()).singleElement().extracting(Finding::severity).isEqualTo(Finding.Severity.INFO);
        StackFixture otherRegion = StackFixture.clean().cf("aws-instance-type", "aws-instance-type=m5.large");
        otherRegion.add(otherRegion.cf, "aws-ami.eu-west-1=ami-0123456789abcdef0");
        assertThat(otherRegion.check()).singleElement().extracting(Finding::severity).isEqualTo(Finding.Severity.WARNING);
    }

    @Test
    void aTypeDatomicMapsIsFine() {
        assertThat(StackFixture.clean().cf("aws-instance-type", "aws-instance-type=c4.xlarge").lines()).isEmpty();
    }
}

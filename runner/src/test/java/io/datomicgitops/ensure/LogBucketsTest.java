package io.datomicgitops.ensure;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A generated log bucket name is the plan's and the apply's alike: derived, never drawn at random. */
class LogBucketsTest {

    @Test
    void theGeneratedNameIsTheSameInEveryPlanAndAtApplyAndDiffersPerAccountRegionAndSystem() {
        String name = LogBuckets.generate("123456789012", "us-east-1", "prod-datomic");
        assertThat(name).matches("datomic-logs-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
        assertThat(LogBuckets.generate("123456789012", "us-east-1", "prod-datomic")).isEqualTo(name);
        assertThat(LogBuckets.generate("210987654321", "us-east-1", "prod-datomic")).isNotEqualTo(name);
        assertThat(LogBuckets.generate("123456789012", "eu-west-1", "prod-datomic")).isNotEqualTo(name);
        assertThat(LogBuckets.generate("123456789012", "us-east-1", "staging-datomic")).isNotEqualTo(name);
        assertThat(name.length()).as("S3 bucket names are at most 63 characters").isLessThanOrEqualTo(63);
    }
}

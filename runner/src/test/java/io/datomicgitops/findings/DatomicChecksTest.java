package io.datomicgitops.findings;

import io.datomicgitops.config.PropertiesFile;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class DatomicChecksTest {

    @Test
    void schemaProblemsAreFindingsWithTheirCodes() {
        StackFixture s = StackFixture.clean().cf("aws-autoscaling-group-size", "aws-autoscaling-group-size=two");
        s.add(s.tx, "aws-dynamodb-tabel=x").add(s.cf, "aws-region=us-east-1");
        assertThat(s.lines()).containsExactly(
                "error invalid-value: cf.properties:4: 'aws-autoscaling-group-size' = 'two' is not valid: expected a whole "
                        + "number of at least 1, e.g. 1 or 2",
                "warning unknown-key: transactor.properties:10: unknown key 'aws-dynamodb-tabel' in transactor.properties "
                        + "(kept as is; did you mean 'aws-dynamodb-table'?)",
                "warning duplicate-key: cf.properties:9: 'aws-region' is defined 2 times (lines [2, 9]); the last one wins: "
                        + "remove the others");
    }

    @Test
    void errorsComeFirstThenWarnings() {
        StackFixture s = StackFixture.clean().tx("license-key", "license-key=plain-text-0001").cf("java-xmx", "java-xmx=1g");
        assertThat(s.check()).extracting(Finding::code).containsExactly("cache-above-heap", "plain-text-secret");
    }

    @Test
    void whatTheTemplateRefusesIsSaidBeforeThePlan() {
        StackFixture s = StackFixture.clean().cf("aws-region", "aws-region=ap-south-2")
                .cf("datomic-deploy-s3-bucket", "datomic-deploy-s3-bucket=${env:BUCKET}");
        s.add(s.cf, "aws-subnets=subnet-0123abcd");
        assertThat(s.lines()).containsExactly(
                "error placeholder-in-cf: cf.properties:8: 'datomic-deploy-s3-bucket' uses a placeholder, and cf.properties "
                        + "values are written into the template: write the value itself (placeholders are for secrets in "
                        + "transactor.properties)",
                "error no-ami-for-region: cf.properties:2: Datomic publishes no AMI for region ap-south-2: set "
                        + "aws-ami=<your image id in ap-south-2>",
                "warning security-group-name-with-subnets: cf.properties:6: with aws-subnets, give the security group by id "
                        + "(sg-...): EC2 accepts group names only in the default VPC");
    }

    @Test
    void onlyTheFilesGivenAreChecked() {
        assertThat(DatomicChecks.check(Optional.empty(), Optional.empty(), Optional.empty(), Map.of())).isEmpty();
        PropertiesFile cf = StackFixture.file("cf.properties", StackFixture.clean().cf);
        assertThat(DatomicChecks.check(Optional.empty(), Optional.of(cf), Optional.empty(), Map.of())).isEmpty();
    }

    @Test
    void quick() {
        StackFixture s = StackFixture.clean().cf("aws-instance-type", "aws-instance-type=m5.huge");
        s.check();
        long start = System.nanoTime();
        for (int i = 0; i < 100; i++) s.check();
        assertThat((System.nanoTime() - start) / 100 / 1_000_000).as("ms per stack, on a busy 2-core machine").isLessThan(50);
    }

    /** docs/FINDINGS.md has a row for every code, with its usual severity, and no row for a code that does not exist. */
    @Test
    void everyCodeIsDocumented() throws IOException {
        String doc = Files.readString(Path.of("../docs/FINDINGS.md"));
        Matcher row = Pattern.compile("(?m)^\\| `([a-z-]+)` \\| (error|warning|info)[^|]*\\|").matcher(doc);
        Map<String, String> documented = new java.util.LinkedHashMap<>();
        while (row.find()) documented.put(row.group(1), row.group(2));
        Map<String, String> codes = new java.util.LinkedHashMap<>();
        FindingCodes.all().forEach(c -> codes.put(c, FindingCodes.usualSeverity(c).label()));
        assertThat(documented).isEqualTo(codes);
        assertThat(List.copyOf(documented.keySet())).as("in the catalog's order").isEqualTo(List.copyOf(FindingCodes.all()));
    }
}

package io.datomicgitops.config;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SecretReferenceTest {
    private static final String ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/datomic/sql-AbCdEf";

    @Test
    void aSecretsFullArnIsAReferenceWithItsRegion() {
        assertThat(SecretReference.parse(ARN)).contains(new SecretReference(ARN, "eu-west-1"));
        assertThat(SecretReference.parse(" " + ARN + " ")).as("as a properties value may be spaced").isPresent();
        assertThat(SecretReference.parse("arn:aws-us-gov:secretsmanager:us-gov-west-1:123456789012:secret:x-AbCdEf"))
                .map(SecretReference::region).contains("us-gov-west-1");
        assertThat(SecretReference.problem(ARN)).isEmpty();
    }

    @Test
    void otherValuesAreNoReference() {
        for (String v : new String[]{"hunter2", "${env:DATOMIC_SQL_PASSWORD}", "{{resolve:secretsmanager:prod/datomic}}",
                "arn:aws:iam::123456789012:role/x", ""}) {
            assertThat(SecretReference.parse(v)).as(v).isEmpty();
            assertThat(SecretReference.problem(v)).as(v).isEmpty();
        }
    }

    @Test
    void aMalformedArnSaysWhatIsWrongAndWhereToCopyTheRightOne() {
        assertThat(SecretReference.problem("arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/datomic/sql")).hasValueSatisfying(p ->
                assertThat(p).startsWith("not a Secrets Manager secret's ARN: expected").contains("describe-secret"));
        assertThat(SecretReference.problem("arn:aws:secretsmanager:eu-west-1:secret:prod/datomic/sql-AbCdEf")).as("no account")
                .hasValueSatisfying(p -> assertThat(p).startsWith("not a Secrets Manager secret's ARN"));
        assertThat(SecretReference.problem(ARN + ":password::")).hasValueSatisfying(p ->
                assertThat(p).startsWith("a JSON key or version after the secret's ARN is not supported"));
    }

    @Test
    void aReferenceIsShownAsWrittenAndIsNoPlainTextSecret() {
        assertThat(Secrets.display("sql-password", ARN)).isEqualTo(ARN);
        assertThat(Secrets.display("sql-password", "hunter2")).isEqualTo(Secrets.MASK);
        PropertiesFile tx = PropertiesFile.parse("transactor.properties", "protocol=sql\nsql-password=" + ARN.replace("-AbCdEf", "") + "\n");
        assertThat(Validator.check(tx, Schema.TRANSACTOR)).singleElement().satisfies(p -> {
            assertThat(p.severity()).isEqualTo(Validator.Severity.ERROR);
            assertThat(p.code()).isEqualTo(Validator.INVALID_VALUE);
            assertThat(p.where()).isEqualTo("transactor.properties:2");
            assertThat(p.message()).startsWith("'sql-password' = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/datomic/sql' "
                    + "is not a Secrets Manager secret's ARN");
        });
    }
}

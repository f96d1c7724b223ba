package io.datomicgitops.ensure;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class StackCheckTest {

    @Test
    void userDataOfADatomicTemplateIsRenderedWithTheStacksParameters() {
        String template = "{\"Resources\":{\"LaunchConfig\":{\"Type\":\"AWS::AutoScaling::LaunchConfiguration\",\"Properties\":{"
                + "\"UserData\":{\"Fn::Base64\":{\"Fn::Join\":[\"\\n\",[\"cat <<EOF >aws.properties\","
                + "{\"Fn::Join\":[\"=\",[\"aws-dynamodb-table\",{\"Ref\":\"Table\"}]]},"
                + "\"aws-peer-role=datomic-aws-peer-2\",\"aws-s3-log-bucket-id=datomic-logs-1234\",\"EOF\"]]}}}}}}";
        String text = StackCheck.userDataText(template, Map.of("Table", "orders"));
        assertThat(StackCheck.valuesOf(text, "aws-dynamodb-table")).containsExactly("orders");
        assertThat(StackCheck.valuesOf(text, "aws-peer-role")).containsExactly("datomic-aws-peer-2");
        assertThat(StackCheck.valuesOf(text, "aws-s3-log-bucket-id")).containsExactly("datomic-logs-1234");
        assertThat(StackCheck.valuesOf(text, "aws-transactor-role")).isEmpty();
    }

    @Test
    void aYamlTemplateIsSearchedAsText() {
        String yaml = "Resources:\n  L:\n    Properties:\n      UserData: !Base64 |\n        aws-transactor-role=ops-transactor\n";
        assertThat(StackCheck.valuesOf(StackCheck.userDataText(yaml, Map.of()), "aws-transactor-role")).containsExactly("ops-transactor");
        assertThat(StackCheck.valuesOf("x-aws-peer-role=no", "aws-peer-role")).as("only the whole key").isEmpty();
    }
}

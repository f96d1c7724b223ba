package io.datomicgitops.aws;

import io.datomicgitops.testing.Sandbox;
import io.datomicgitops.testing.SandboxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

import static org.assertj.core.api.Assertions.assertThat;

/** The client factory against the sandbox: one resource of each kind the ensure phases manage, created and read back. */
@ExtendWith(SandboxExtension.class)
class AwsClientsIT {

    @Test
    void createsAndReadsOneResourceOfEachKind(Sandbox sandbox) {
        ApiCallCounter counter = new ApiCallCounter();
        try (AwsClients aws = sandbox.clients(counter)) {
            aws.dynamoDb(null).createTable(r -> r.tableName("it-table")
                    .keySchema(KeySchemaElement.builder().attributeName("id").keyType(KeyType.HASH).build())
                    .attributeDefinitions(AttributeDefinition.builder().attributeName("id").attributeType(ScalarAttributeType.S).build())
                    .provisionedThroughput(p -> p.readCapacityUnits(100L).writeCapacityUnits(50L)));
            assertThat(aws.dynamoDb(null).describeTable(r -> r.tableName("it-table")).table().keySchema())
                    .extracting(KeySchemaElement::attributeName).containsExactly("id");

            aws.iam().createRole(r -> r.roleName("it-role").assumeRolePolicyDocument(
                    "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"ec2.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}"));
            assertThat(aws.iam().getRole(r -> r.roleName("it-role")).role().arn()).endsWith(":role/it-role");

            aws.s3(null).createBucket(r -> r.bucket("it-bucket"));
            aws.s3(null).putObject(r -> r.bucket("it-bucket").key("k"), software.amazon.awssdk.core.sync.RequestBody.fromString("v"));
            assertThat(aws.s3(null).getObjectAsBytes(r -> r.bucket("it-bucket").key("k")).asUtf8String()).isEqualTo("v");

            String groupId = aws.ec2(null).createSecurityGroup(r -> r.groupName("it-sg").description("it")).groupId();
            assertThat(aws.ec2(null).describeSecurityGroups(r -> r.groupIds(groupId)).securityGroups())
                    .singleElement().extracting(g -> g.groupName()).isEqualTo("it-sg");

            assertThat(aws.sts(null).getCallerIdentity().account()).isEqualTo("123456789012");
        }
        assertThat(counter.snapshot()).containsEntry("DynamoDb:CreateTable", 1L).containsEntry("Iam:GetRole", 1L);
        assertThat(counter.mutating()).containsOnlyKeys("DynamoDb:CreateTable", "Iam:CreateRole", "S3:CreateBucket",
                "S3:PutObject", "Ec2:CreateSecurityGroup");
    }

    @Test
    void aDeniedCallBecomesAnAccessErrorNamingTheAction(Sandbox sandbox) {
        ApiCallCounter counter = new ApiCallCounter();
        try (AwsClients aws = sandbox.clients(counter)) {
            sandbox.resetAuth("0");
            try {
                aws.dynamoDb(null).listTables();
            } catch (software.amazon.awssdk.core.exception.SdkException e) {
                var t = AwsErrors.translate(e, counter);
                assertThat(t.exitCode()).isEqualTo(io.datomicgitops.ExitCode.AWS_ACCESS);
                assertThat(t.getMessage()).contains("DynamoDb:ListTables").contains("dynamodb:ListTables");
                return;
            } finally {
                sandbox.resetAuth("inf");
            }
            throw new AssertionError("the sandbox allowed a call with IAM enforcement on");
        }
    }
}

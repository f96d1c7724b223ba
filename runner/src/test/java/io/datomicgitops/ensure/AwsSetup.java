package io.datomicgitops.ensure;

import io.datomicgitops.aws.AwsClients;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

import java.util.Map;

/** Puts resources into the sandbox by hand, the way an operator or Datomic's own tool left them. */
final class AwsSetup {
    private final AwsClients aws;

    AwsSetup(AwsClients aws) {
        this.aws = aws;
    }

    void role(String name, Map<String, String> tags) {
        aws.iam().createRole(r -> r.roleName(name).assumeRolePolicyDocument(PolicyDocuments.ec2Trust())
                .tags(tags.entrySet().stream().map(e -> software.amazon.awssdk.services.iam.model.Tag.builder()
                        .key(e.getKey()).value(e.getValue()).build()).toList()));
    }

    void profile(String name, String role) {
        aws.iam().createInstanceProfile(r -> r.instanceProfileName(name));
        if (role != null) aws.iam().addRoleToInstanceProfile(r -> r.instanceProfileName(name).roleName(role));
    }

    void policy(String role, String name, String document) {
        aws.iam().putRolePolicy(r -> r.roleName(role).policyName(name).policyDocument(document));
    }

    void table(String region, String name, String hashKey, ScalarAttributeType type) {
        aws.dynamoDb(region).createTable(r -> r.tableName(name)
                .keySchema(KeySchemaElement.builder().attributeName(hashKey).keyType(KeyType.HASH).build())
                .attributeDefinitions(AttributeDefinition.builder().attributeName(hashKey).attributeType(type).build())
                .provisionedThroughput(p -> p.readCapacityUnits(5L).writeCapacityUnits(5L)));
    }

    void bucket(String region, String name) {
        aws.s3(region).createBucket(r -> {
            r.bucket(name);
            if (!"us-east-1".equals(region)) r.createBucketConfiguration(c -> c.locationConstraint(region));
        });
    }

    Map<String, String> roleTags(String role) {
        return Tags.toMap(aws.iam().listRoleTags(r -> r.roleName(role)).tags(),
                software.amazon.awssdk.services.iam.model.Tag::key, software.amazon.awssdk.services.iam.model.Tag::value);
    }
}

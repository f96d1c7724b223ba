package io.datomicgitops.security;

import io.datomicgitops.aws.AwsClients;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * What exists in the sandbox account, as one sorted list of lines: roles and their inline policies, instance
 * profiles, tables, buckets, security groups and their rules, stacks and their status, groups and their instances.
 * Equal before and after a command means the command changed nothing in AWS, whatever its call counter says.
 */
final class AwsInventory {
    private AwsInventory() {}

    static List<String> of(AwsClients aws) {
        TreeSet<String> lines = new TreeSet<>();
        var iam = aws.iam();
        iam.listRolesPaginator(r -> {}).roles().forEach(role -> {
            lines.add("role " + role.roleName() + " " + role.assumeRolePolicyDocument());
            iam.listRolePoliciesPaginator(r -> r.roleName(role.roleName())).policyNames()
                    .forEach(p -> lines.add("role-policy " + role.roleName() + "/" + p));
        });
        iam.listInstanceProfilesPaginator(r -> {}).instanceProfiles().forEach(p -> lines.add("instance-profile " + p.instanceProfileName()
                + " " + p.roles().stream().map(r -> r.roleName()).toList()));
        var ddb = aws.dynamoDb(null);
        ddb.listTablesPaginator(r -> {}).tableNames().forEach(t -> {
            lines.add("table " + t);
            ddb.scanPaginator(r -> r.tableName(t)).items().forEach(item -> lines.add("item " + t + " " + new java.util.TreeMap<>(item)));
        });
        aws.s3(null).listBuckets().buckets().forEach(b -> lines.add("bucket " + b.name()));
        aws.ec2(null).describeSecurityGroupsPaginator(r -> {}).securityGroups().forEach(g -> lines.add("security-group " + g.groupName()
                + " " + g.ipPermissions()));
        aws.cloudFormation(null).listStacksPaginator(r -> {}).stackSummaries()
                .forEach(s -> lines.add("stack " + s.stackName() + " " + s.stackStatusAsString()));
        aws.autoScaling(null).describeAutoScalingGroupsPaginator(r -> {}).autoScalingGroups().forEach(g -> lines.add("group "
                + g.autoScalingGroupName() + " desired " + g.desiredCapacity() + " max " + g.maxSize() + " "
                + g.instances().stream().map(i -> i.instanceId()).sorted().toList()));
        return new ArrayList<>(lines);
    }
}

package io.datomicgitops.ensure;

import io.datomicgitops.ExitCode;
import io.datomicgitops.ToolException;
import io.datomicgitops.config.PropertiesFile;
import io.datomicgitops.config.Schema;
import io.datomicgitops.config.SecretReference;
import io.datomicgitops.config.Validator;
import software.amazon.awssdk.services.iam.model.Role;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * ensure-transactor's plan, read-only: the DynamoDB table, the log bucket (when declared), the transactor and peer
 * roles with Datomic's inline policies and, for roles this tool manages, their instance profiles.
 */
final class TransactorPlanner {
    static final String PHASE = "ensure-transactor";
    /** The keys ensure-transactor writes back (Datomic's: never the region, CloudWatch or security keys). */
    static final Set<String> WRITTEN_KEYS = Set.of(DynamoTables.KEY, LogBuckets.KEY, Roles.TRANSACTOR_KEY, Roles.PEER_KEY);

    private final EnsureContext ctx;
    private final DynamoTables tables;
    private final LogBuckets buckets;
    private final Roles roles;
    private final RolePolicies policies;
    private final InstanceProfiles profiles;

    TransactorPlanner(EnsureContext ctx) {
        this.ctx = ctx;
        this.tables = new DynamoTables(ctx);
        this.buckets = new LogBuckets(ctx);
        this.roles = new Roles(ctx);
        this.policies = new RolePolicies(ctx);
        this.profiles = new InstanceProfiles(ctx);
    }

    Plan plan(PropertiesFile tx) {
        Plan plan = new Plan(PHASE, tx);
        Validator.requireValid(tx, Schema.TRANSACTOR);
        String protocol = tx.get("protocol").orElseThrow(() -> Validator.missing(tx, "protocol", "set protocol=ddb"));
        if (!"ddb".equals(protocol)) {
            throw new ToolException(ExitCode.INVALID_CONFIG, "ensure-transactor provisions DynamoDB storage on AWS: protocol must be ddb, not "
                    + protocol, tx.where("protocol"), "set protocol=ddb, or skip this phase for other storages (ddb-local needs no AWS resources)");
        }
        String region = tx.get("aws-dynamodb-region").orElseThrow(() ->
                Validator.missing(tx, "aws-dynamodb-region", "set the table's region, e.g. aws-dynamodb-region=us-east-1"));
        String account = ctx.accountId(region);

        List<NameResolver.Missing> missing = new ArrayList<>();
        if (tx.get(DynamoTables.KEY).isEmpty()) {
            missing.add(new NameResolver.Missing(DynamoTables.KEY, () -> tables.findTagged(region),
                    () -> new Name(DynamoTables.KEY, DynamoTables.DEFAULT_NAME, Name.Source.DEFAULT, "Datomic's default table name")));
        }
        if (tx.declares(LogBuckets.KEY) && tx.get(LogBuckets.KEY).isEmpty()) {
            missing.add(new NameResolver.Missing(LogBuckets.KEY, () -> buckets.findTagged(region),
                    () -> new Name(LogBuckets.KEY, LogBuckets.generate(account, region, ctx.system()), Name.Source.GENERATED, null)));
        }
        for (String key : List.of(Roles.TRANSACTOR_KEY, Roles.PEER_KEY)) {
            if (tx.get(key).isEmpty()) {
                missing.add(new NameResolver.Missing(key, () -> roles.findTagged(key), () -> new Name(key,
                        Roles.firstFree(Roles.prefix(key), ctx.roleNames(), Set.of()), Name.Source.GENERATED, "first free name")));
            }
        }
        Map<String, Name> resolved = new NameResolver(ctx, plan).resolve(missing, ctx.options.stackRegion().orElse(region));
        Name table = name(tx, resolved, DynamoTables.KEY);
        Name transactorRole = name(tx, resolved, Roles.TRANSACTOR_KEY);
        Name peerRole = name(tx, resolved, Roles.PEER_KEY);
        Name bucket = tx.declares(LogBuckets.KEY) ? name(tx, resolved, LogBuckets.KEY) : null;
        if (bucket == null) warnUnrequestedBucket(plan, region);

        boolean metrics = tx.get("aws-cloudwatch-region").isPresent();
        if (metrics && tx.get("aws-cloudwatch-dimension-value").isEmpty()) {
            plan.warnings.add(tx.name() + ": aws-cloudwatch-region is set without aws-cloudwatch-dimension-value: the metrics of "
                    + "different systems will be indistinguishable in CloudWatch");
        }

        plan.add(tables.ensure(region, table, tx.where(DynamoTables.KEY)));
        if (bucket != null) plan.add(buckets.ensure(region, bucket, tx.where(LogBuckets.KEY)));
        addRole(plan, region, tx, transactorRole, PolicyDocuments.transactor(account, table.value(),
                bucket == null ? null : bucket.value(), metrics, secretArns(tx)), true);
        addRole(plan, region, tx, peerRole, PolicyDocuments.peer(account, table.value()), false);
        return plan;
    }

    /** The Secrets Manager secrets the instance reads at boot, each once, in file order. */
    private static List<String> secretArns(PropertiesFile tx) {
        return tx.keys().stream().map(k -> SecretReference.parse(tx.get(k).orElse(""))).flatMap(Optional::stream)
                .map(SecretReference::arn).distinct().toList();
    }

    private static Name name(PropertiesFile tx, Map<String, Name> resolved, String key) {
        Name n = resolved.get(key);
        return n != null ? n : Name.fromFile(key, tx.get(key).orElseThrow());
    }

    /** The role, its instance profile when the role is ours (created now or tagged by us), and its policies. */
    private void addRole(Plan plan, String region, PropertiesFile tx, Name role, Map<String, String> desired, boolean transactor) {
        Optional<Role> existing = roles.get(role.value());
        plan.add(roles.ensure(role, existing));
        boolean ours = existing.isEmpty() || Tags.matches(roles.tags(role.value()), ctx.system(), role.key());
        if (ours) plan.add(profiles.ensure(role.value(), role.value(), role.key(), tx.where(role.key())));
        policies.ensure(region, role.value(), existing.isPresent(), desired, transactor).forEach(plan::add);
    }

    /** A tagged log bucket while the file asks for none: said, not used (the operator may have turned logs off). */
    private void warnUnrequestedBucket(Plan plan, String region) {
        List<String> tagged;
        try {
            tagged = buckets.findTagged(region);
        } catch (software.amazon.awssdk.awscore.exception.AwsServiceException e) {
            if (io.datomicgitops.aws.AwsErrors.isAccessDenied(e)) return; // only a hint: not worth a permission
            throw e;
        }
        if (!tagged.isEmpty()) {
            plan.warnings.add("log bucket " + String.join(", ", tagged) + " is tagged for system " + ctx.system() + " but "
                    + plan.file.name() + " does not declare " + LogBuckets.KEY + ": not used (declare the key to use it again)");
        }
    }
}

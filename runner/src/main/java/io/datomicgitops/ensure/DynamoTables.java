package io.datomicgitops.ensure;

import io.datomicgitops.ExitCode;
import io.datomicgitops.ToolException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ListTagsOfResourceResponse;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.Tag;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;
import io.datomicgitops.wait.Backoff;
import io.datomicgitops.wait.Deadline;
import io.datomicgitops.wait.WaitProgress;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Datomic's DynamoDB table: hash key {@code id} of type String, no indexes, provisioned 100 reads / 50 writes.
 * Created when missing (then waited for until ACTIVE); an existing table is only checked, never changed, except for
 * the protections asked for that it lacks ({@link TableProtections}).
 */
final class DynamoTables {
    static final String KEY = "aws-dynamodb-table";
    static final String DEFAULT_NAME = "datomic";
    static final long READ_CAPACITY = 100;
    static final long WRITE_CAPACITY = 50;
    /** How long a new table may take to become ACTIVE (the SDK's waiter gave it about 8 minutes). */
    static final Duration ACTIVE_TIMEOUT = Duration.ofMinutes(10);

    private final EnsureContext ctx;
    private final TableProtections protections;

    DynamoTables(EnsureContext ctx) {
        this.ctx = ctx;
        this.protections = new TableProtections(ctx);
    }

    Optional<TableDescription> describe(String region, String table) {
        try {
            return Optional.of(ctx.aws.dynamoDb(region).describeTable(r -> r.tableName(table)).table());
        } catch (ResourceNotFoundException e) {
            return Optional.empty();
        }
    }

    Step ensure(String region, Name name, String where) {
        String table = name.value();
        Optional<TableDescription> existing = describe(region, table);
        if (existing.isPresent()) {
            requireDatomicKeySchema(existing.get(), region, where);
            PendingProtections missing = protections.missing(region, existing.get());
            if (missing.isEmpty()) {
                return Step.report(ResourceChange.of(ResourceChange.Kind.DYNAMODB_TABLE, table, name.existingAction(), KEY, List.of(),
                        note(name, "in " + region))).writes(name);
            }
            // the table itself is never changed: only the protections it lacks are turned on
            ResourceChange.Action action = name.found() ? ResourceChange.Action.RECOVERED : ResourceChange.Action.UPDATE;
            return Step.of(ResourceChange.of(ResourceChange.Kind.DYNAMODB_TABLE, table, action, KEY, missing.calls,
                    note(name, "in " + region + "; turn on its protections")).withDifferences(missing.differences), missing::run).writes(name);
        }
        PendingProtections after = protections.afterCreate(region, table);
        List<String> calls = new ArrayList<>(List.of("DynamoDb:CreateTable"));
        calls.addAll(after.calls);
        ResourceChange change = ResourceChange.of(ResourceChange.Kind.DYNAMODB_TABLE, table, ResourceChange.Action.CREATE, KEY,
                calls, "in " + region + ", hash key id (S), provisioned " + READ_CAPACITY + " read / " + WRITE_CAPACITY + " write")
                .withDifferences(after.differences);
        return Step.of(change, () -> {
            create(region, table);
            after.run();
        }).writes(name);
    }

    private static String note(Name name, String base) {
        return name.note() == null ? base : base + "; " + name.note();
    }

    /** A table that is not Datomic's must never be taken for one: an error, not a change. */
    static void requireDatomicKeySchema(TableDescription t, String region, String where) {
        boolean hashIdOnly = t.keySchema().size() == 1
                && t.keySchema().get(0).keyType() == KeyType.HASH
                && "id".equals(t.keySchema().get(0).attributeName());
        boolean idIsString = t.attributeDefinitions().stream()
                .anyMatch(a -> "id".equals(a.attributeName()) && a.attributeType() == ScalarAttributeType.S);
        if (!hashIdOnly || !idIsString) {
            throw new ToolException(ExitCode.INVALID_CONFIG, "DynamoDB table " + t.tableName() + " in " + region
                    + " exists with key schema " + describeKeys(t) + ", not Datomic's (hash key id of type S): it is not a Datomic table",
                    where, "choose another aws-dynamodb-table; ensure never changes or deletes an existing table");
        }
    }

    private static String describeKeys(TableDescription t) {
        Map<String, String> types = new LinkedHashMap<>();
        t.attributeDefinitions().forEach(a -> types.put(a.attributeName(), a.attributeTypeAsString()));
        List<String> parts = new ArrayList<>();
        for (KeySchemaElement k : t.keySchema()) parts.add(k.attributeName() + " " + k.keyTypeAsString() + " (" + types.get(k.attributeName()) + ")");
        return "[" + String.join(", ", parts) + "]";
    }

    private void create(String region, String table) {
        DynamoDbClient ddb = ctx.aws.dynamoDb(region);
        try {
            ddb.createTable(r -> r.tableName(table)
                    .keySchema(KeySchemaElement.builder().attributeName("id").keyType(KeyType.HASH).build())
                    .attributeDefinitions(AttributeDefinition.builder().attributeName("id").attributeType(ScalarAttributeType.S).build())
                    .provisionedThroughput(p -> p.readCapacityUnits(READ_CAPACITY).writeCapacityUnits(WRITE_CAPACITY))
                    .deletionProtectionEnabled(ctx.options.protections().tableDeletionProtection() ? Boolean.TRUE : null)
                    .tags(Tags.as(ctx.system(), KEY, (k, v) -> Tag.builder().key(k).value(v).build())));
        } catch (ResourceInUseException e) {
            // a retried create whose first attempt succeeded, or another run: only our own table may go on
            TableDescription t = describe(region, table).orElseThrow(() -> e);
            if (!Tags.matches(tags(region, t.tableArn()), ctx.system(), KEY)) {
                throw new ToolException(ExitCode.FAILED, "DynamoDB table " + table + " appeared in " + region
                        + " after the plan, created by someone else", "DynamoDB", "check who created it, then re-run", e);
            }
        }
        awaitActive(region, table);
    }

    /** Waits for the new table to be ACTIVE, saying its status at least every 30 s. */
    private void awaitActive(String region, String table) {
        Deadline deadline = Deadline.after(ctx.clock, ACTIVE_TIMEOUT);
        Backoff backoff = new Backoff(Duration.ofSeconds(1), 1.5, Duration.ofSeconds(10));
        WaitProgress progress = new WaitProgress(ctx.log, deadline);
        while (true) {
            // DescribeTable is eventually consistent right after CreateTable: a table not listed yet is still coming
            String status = describe(region, table).map(TableDescription::tableStatusAsString).orElse("not listed yet");
            if (TableStatus.ACTIVE.toString().equals(status)) return;
            if (deadline.passed()) {
                throw new ToolException(ExitCode.TIMEOUT, "DynamoDB table " + table + " is still " + status + " after "
                        + WaitProgress.human(ACTIVE_TIMEOUT), "DynamoDB", "check the table in the console and re-run");
            }
            Duration next = backoff.next(deadline.remaining());
            progress.beforeSleep("waiting for DynamoDB table " + table + " to be ACTIVE: " + status, next);
            try {
                ctx.sleeper.sleep(next);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ToolException(ExitCode.FAILED, "interrupted while waiting for DynamoDB table " + table, "DynamoDB", "re-run");
            }
        }
    }

    Map<String, String> tags(String region, String arn) {
        Map<String, String> out = new LinkedHashMap<>();
        String token = null;
        do {
            String t = token;
            ListTagsOfResourceResponse r = ctx.aws.dynamoDb(region).listTagsOfResource(b -> b.resourceArn(arn).nextToken(t));
            r.tags().forEach(tag -> out.put(tag.key(), tag.value()));
            token = r.nextToken();
        } while (token != null);
        return out;
    }

    /** Tables in the region tagged for this system and key (recovery of a lost name). */
    List<String> findTagged(String region) {
        String account = ctx.accountId(region);
        List<String> found = new ArrayList<>();
        for (String table : ctx.aws.dynamoDb(region).listTablesPaginator().tableNames()) {
            String arn = "arn:aws:dynamodb:" + region + ":" + account + ":table/" + table;
            try {
                if (Tags.matches(tags(region, arn), ctx.system(), KEY)) found.add(table);
            } catch (ResourceNotFoundException e) {
                // deleted while we listed
            }
        }
        return found;
    }
}

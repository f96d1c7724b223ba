package io.datomicgitops.ensure;

import io.datomicgitops.ExitCode;
import io.datomicgitops.ToolException;
import io.datomicgitops.wait.Backoff;
import io.datomicgitops.wait.Deadline;
import io.datomicgitops.wait.WaitProgress;
import software.amazon.awssdk.services.dynamodb.model.ContinuousBackupsUnavailableException;
import software.amazon.awssdk.services.dynamodb.model.PointInTimeRecoveryStatus;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;

import java.time.Duration;
import java.util.Locale;

/**
 * The storage table's protections: DynamoDB deletion protection (a DeleteTable is refused until someone turns it off)
 * and point-in-time recovery (the table can be restored to any second of the last 35 days). Turned on when asked for
 * and off; never turned off.
 */
final class TableProtections {
    static final String DELETION_PROTECTION = "deletion-protection";
    static final String POINT_IN_TIME_RECOVERY = "point-in-time-recovery";
    /** Backups of a new table take a while to be available; AWS answers ContinuousBackupsUnavailable until then. */
    static final Duration BACKUPS_TIMEOUT = Duration.ofMinutes(10);

    private final EnsureContext ctx;

    TableProtections(EnsureContext ctx) {
        this.ctx = ctx;
    }

    private Protections wanted() {
        return ctx.options.protections();
    }

    /** What an existing table lacks, read-only (DescribeContinuousBackups only when recovery is asked for). */
    PendingProtections missing(String region, TableDescription t) {
        PendingProtections p = new PendingProtections();
        String table = t.tableName();
        if (wanted().tablePointInTimeRecovery()) {
            String status = pointInTimeRecovery(region, table);
            if (!PointInTimeRecoveryStatus.ENABLED.toString().equals(status)) {
                p.add(POINT_IN_TIME_RECOVERY, status.toLowerCase(Locale.ROOT), "enabled", "DynamoDb:UpdateContinuousBackups",
                        () -> enablePointInTimeRecovery(region, table));
            }
        }
        if (wanted().tableDeletionProtection() && !Boolean.TRUE.equals(t.deletionProtectionEnabled())) {
            p.add(DELETION_PROTECTION, "disabled", "enabled", "DynamoDb:UpdateTable", () -> enableDeletionProtection(region, table));
        }
        return p;
    }

    /** A table created now: deletion protection is set by CreateTable itself, recovery needs a call once it is ACTIVE. */
    PendingProtections afterCreate(String region, String table) {
        PendingProtections p = new PendingProtections();
        if (wanted().tableDeletionProtection()) p.setByCreate(DELETION_PROTECTION, "enabled");
        if (wanted().tablePointInTimeRecovery()) {
            p.add(POINT_IN_TIME_RECOVERY, PendingProtections.NEW, "enabled", "DynamoDb:UpdateContinuousBackups",
                    () -> enablePointInTimeRecovery(region, table));
        }
        return p;
    }

    /** ENABLED or DISABLED, as DescribeContinuousBackups says. */
    String pointInTimeRecovery(String region, String table) {
        var d = ctx.aws.dynamoDb(region).describeContinuousBackups(r -> r.tableName(table)).continuousBackupsDescription();
        return d.pointInTimeRecoveryDescription() == null ? PointInTimeRecoveryStatus.DISABLED.toString()
                : d.pointInTimeRecoveryDescription().pointInTimeRecoveryStatusAsString();
    }

    private void enableDeletionProtection(String region, String table) {
        ctx.aws.dynamoDb(region).updateTable(r -> r.tableName(table).deletionProtectionEnabled(true));
    }

    /** UpdateContinuousBackups, retried while the backups of a new table are not available yet. */
    private void enablePointInTimeRecovery(String region, String table) {
        Deadline deadline = Deadline.after(ctx.clock, BACKUPS_TIMEOUT);
        Backoff backoff = new Backoff(Duration.ofSeconds(2), 1.5, Duration.ofSeconds(20));
        WaitProgress progress = new WaitProgress(ctx.log, deadline);
        while (true) {
            try {
                ctx.aws.dynamoDb(region).updateContinuousBackups(r -> r.tableName(table)
                        .pointInTimeRecoverySpecification(s -> s.pointInTimeRecoveryEnabled(true)));
                return;
            } catch (ContinuousBackupsUnavailableException e) {
                if (deadline.passed()) {
                    throw new ToolException(ExitCode.TIMEOUT, "point-in-time recovery of DynamoDB table " + table + " could not be "
                            + "turned on: backups still unavailable after " + WaitProgress.human(BACKUPS_TIMEOUT), "DynamoDB",
                            "re-run later (the plan will show it again), or turn it on in the console", e);
                }
                Duration next = backoff.next(deadline.remaining());
                progress.beforeSleep("waiting for the backups of DynamoDB table " + table + " to be available", next);
                try {
                    ctx.sleeper.sleep(next);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new ToolException(ExitCode.FAILED, "interrupted while turning on point-in-time recovery of " + table, "DynamoDB", "re-run");
                }
            }
        }
    }
}

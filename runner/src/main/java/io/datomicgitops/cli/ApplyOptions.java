package io.datomicgitops.cli;

import io.datomicgitops.record.Approval;
import picocli.CommandLine.Option;

import java.time.Duration;

/** Who approved an apply, which build runs it, and how long it waits for a stack's lock. */
public final class ApplyOptions {
    @Option(names = "--approved-by", paramLabel = "ID", description = "who approved the deployment (recorded as the Approved-by trailer)")
    String approvedBy;

    @Option(names = "--build-url", paramLabel = "URL", description = "the build that runs it (recorded as the Build-URL trailer)")
    String buildUrl;

    @Option(names = "--lock-wait", paramLabel = "DURATION", defaultValue = "0s",
            description = "how long to wait for another deployment's lock on the stack (default: ${DEFAULT-VALUE}: fail at once, naming the holder)")
    Duration lockWait;

    @Option(names = "--allow-downgrade", description = "deploy a datomic-version below the one the stack runs (the release gate refuses it otherwise)")
    boolean allowDowngrade;

    @Option(names = "--skip-backup", description = "change a running stack's datomic-version without deploy.properties' backup-command "
            + "(recorded as the Backup: trailer: skipped (--skip-backup))")
    boolean skipBackup;

    /** The stack options' allowances, with what the release gate and the backup are told. */
    io.datomicgitops.deploy.DeployContext.Allowances allowances(io.datomicgitops.deploy.DeployContext.Allowances stack) {
        return stack.withRelease(allowDowngrade, skipBackup);
    }

    Approval approval(String defaultApprover) {
        return new Approval(approvedBy == null ? defaultApprover : approvedBy, buildUrl);
    }

    Duration lockWait() {
        return lockWait;
    }
}

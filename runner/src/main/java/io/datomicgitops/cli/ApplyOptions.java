package io.datomicgitops.cli;

import io.datomicgitops.lock.LockWait;
import io.datomicgitops.record.Approval;
import picocli.CommandLine.Option;

import java.time.Duration;

/** Who approved an apply, which build runs it, and how it waits for a stack's lock. */
public final class ApplyOptions {
    @Option(names = "--approved-by", paramLabel = "ID", description = "who approved the deployment (recorded as the Approved-by trailer)")
    String approvedBy;

    @Option(names = "--build-url", paramLabel = "URL", description = "the build that runs it (recorded as the Build-URL trailer)")
    String buildUrl;

    @Option(names = "--lock-wait", paramLabel = "DURATION", defaultValue = "0s",
            description = "how long to wait for another deployment's lock on the stack, in line behind the runs that came first "
                    + "(default: ${DEFAULT-VALUE}: fail at once, naming the holder)")
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

    @Option(names = "--supersede",
            description = "while waiting for the lock, take the place in line of a waiting build of the same job (the same --build-url "
                    + "but for its build number); that build stops without deploying, exit 9")
    boolean supersede;

    Approval approval(String defaultApprover) {
        return new Approval(approvedBy == null ? defaultApprover : approvedBy, buildUrl);
    }

    LockWait lockWait() {
        return new LockWait(lockWait, supersede);
    }
}

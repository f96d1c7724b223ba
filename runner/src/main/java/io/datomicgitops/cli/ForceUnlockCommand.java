package io.datomicgitops.cli;

import io.datomicgitops.ExitCode;
import io.datomicgitops.configrepo.StackFolder;
import io.datomicgitops.configrepo.StackSelection;
import io.datomicgitops.configrepo.StackSettings;
import io.datomicgitops.lock.StackLock;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** Removes a deployment lock whose holder died, as Terraform's force-unlock does. */
@Command(name = "force-unlock", mixinStandardHelpOptions = true,
        description = "Remove the deployment lock of a stack whose holder died. The lock id (printed by the blocked run, "
                + "with the whole command) must match, so a live holder is never unlocked by mistake.")
public final class ForceUnlockCommand extends BaseCommand {
    @Parameters(index = "0", paramLabel = "STACK", description = "stack folder name (as in stacks/NAME)")
    String stack;

    @Option(names = "--lock-id", required = true, paramLabel = "ID", description = "the lock id named in the blocked run's error")
    String lockId;

    @Option(names = "--dir", defaultValue = ".", paramLabel = "DIR", description = "the config repo clone (default: current directory)")
    Path dir;

    @Override
    protected ExitCode execute() {
        StackFolder folder = StackSelection.select(dir, List.of(stack), Optional.empty(), null).get(0);
        // the lock lives where the flow takes it: --region as given (the blocked run prints the region it used),
        // else the stack's region as the flow resolves it (deploy.properties, then cf.properties), else AWS_REGION
        StackSettings settings = StackDirectory.settings(this, folder.dir(), StackSettings.Overrides.NONE);
        String region = aws.explicitRegion() != null ? aws.explicitRegion() : settings.region().orElse(null);
        String stackName = settings.requireStackName("force-unlock");
        new StackLock(aws(), region, settings.lockTable(), console, clock()).forFolder(folder.name(), folder.repoRoot())
                .forceUnlock(stackName, lockId);
        console.println("unlocked " + stackName + " (lock id " + lockId + ")");
        return ExitCode.OK;
    }
}

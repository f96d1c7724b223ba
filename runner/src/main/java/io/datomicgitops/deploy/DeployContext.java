package io.datomicgitops.deploy;

import io.datomicgitops.aws.AwsClients;
import io.datomicgitops.config.Secrets;
import io.datomicgitops.configrepo.StackFolder;
import io.datomicgitops.configrepo.StackInputs;
import io.datomicgitops.configrepo.StackSettings;
import io.datomicgitops.ensure.EnsureOptions;
import io.datomicgitops.report.Log;

import java.time.Clock;
import java.util.Map;

/**
 * What every phase of a deployment shares: the AWS clients, the log, the clock, secret resolution and the
 * environment (for the datomic engine and secret placeholders), and what the command line says about every stack.
 */
public record DeployContext(AwsClients aws, Log log, Clock clock, Secrets secrets, Map<String, String> env,
                            StackSettings.Overrides overrides, Allowances allowances) {

    /**
     * What an operator allows beyond the safe default. When the stack exists but generated keys are missing from the
     * files, the ensure phases refuse, unless told to take the names from the stack (adopt) or to create new
     * resources. A template whose launch resource type differs from the stack's (launch configuration vs launch
     * template) is refused unless the change is allowed. A datomic-version below the one the stack runs is refused
     * unless the downgrade is allowed; a version change of a running stack without a backup unless it is skipped.
     */
    public record Allowances(boolean adopt, boolean allowNewResources, boolean launchChange, boolean downgrade, boolean skipBackup) {
        public static final Allowances NONE = new Allowances(false, false, false);

        public Allowances(boolean adopt, boolean allowNewResources, boolean launchChange) {
            this(adopt, allowNewResources, launchChange, false, false);
        }

        /** With what --allow-downgrade and --skip-backup say. */
        public Allowances withRelease(boolean allowDowngrade, boolean skip) {
            return new Allowances(adopt, allowNewResources, launchChange, allowDowngrade, skip);
        }
    }

    public DeployContext withLog(Log other) {
        return new DeployContext(aws, other, clock, secrets, env, overrides, allowances);
    }

    /**
     * Reads a stack folder once, its settings resolved with this run's command line and AWS settings; a placeholder
     * outside the run's secret allow-list is refused here, before any AWS call.
     */
    public StackInputs read(StackFolder folder) {
        StackInputs in = StackInputs.read(folder, overrides, aws.settings(), env);
        secrets.requireAllowed(in.tx());
        return in;
    }

    /** The ensure phases' options for a stack, with what the operator allows. */
    public EnsureOptions ensureOptions(StackInputs in, boolean plan) {
        return in.ensureOptions(plan, allowances.adopt(), allowances.allowNewResources());
    }
}

package io.datomicgitops.deploy;

import io.datomicgitops.aws.AwsClients;
import io.datomicgitops.config.Secrets;
import io.datomicgitops.report.Log;

import java.time.Clock;
import java.util.Map;

/**
 * What every phase of a deployment shares: the AWS clients, the log, the clock, secret resolution and the
 * environment (for the datomic engine and secret placeholders), and a region given on the command line.
 */
public record DeployContext(AwsClients aws, Log log, Clock clock, Secrets secrets, Map<String, String> env, String regionOverride,
                            MissingNames missingNames) {

    /**
     * What the ensure phases do when the stack exists but generated keys are missing from the files: refuse (the
     * default), take the names from the stack (adopt), or create new resources.
     */
    public record MissingNames(boolean adopt, boolean allowNewResources) {
        public static final MissingNames REFUSE = new MissingNames(false, false);
    }

    public DeployContext withLog(Log other) {
        return new DeployContext(aws, other, clock, secrets, env, regionOverride, missingNames);
    }
}

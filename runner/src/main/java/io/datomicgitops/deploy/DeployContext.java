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
                            Allowances allowances) {

    /**
     * What an operator allows beyond the safe default. When the stack exists but generated keys are missing from the
     * files, the ensure phases refuse, unless told to take the names from the stack (adopt) or to create new
     * resources. A template whose launch resource type differs from the stack's (launch configuration vs launch
     * template) is refused unless the change is allowed.
     */
    public record Allowances(boolean adopt, boolean allowNewResources, boolean launchChange) {
        public static final Allowances NONE = new Allowances(false, false, false);
    }

    public DeployContext withLog(Log other) {
        return new DeployContext(aws, other, clock, secrets, env, regionOverride, allowances);
    }
}

package io.datomicgitops.testing;

import io.datomicgitops.aws.ApiCallCounter;
import io.datomicgitops.aws.AwsClients;
import io.datomicgitops.aws.AwsSettings;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * An AWS account of its own inside the one sandbox: the sandbox keeps every account's resources apart, and the
 * credentials of a role assumed in an account act in that account. Tests that deploy the same stack many times can
 * give each run a fresh account instead of resetting the sandbox, and run several at once without sharing anything.
 */
public final class SandboxAccount {
    private final Sandbox sandbox;
    private final String accountId;
    private final AwsSettings.AwsCredentials credentials;

    private SandboxAccount(Sandbox sandbox, String accountId, AwsSettings.AwsCredentials credentials) {
        this.sandbox = sandbox;
        this.accountId = accountId;
        this.credentials = credentials;
    }

    /** Credentials for a 12-digit account id, from STS AssumeRole in the sandbox. */
    public static SandboxAccount of(Sandbox sandbox, String accountId) {
        if (!accountId.matches("\\d{12}")) throw new IllegalArgumentException("an account id has 12 digits: " + accountId);
        try (AwsClients aws = sandbox.clients()) {
            var c = aws.sts(null).assumeRole(r -> r.roleArn("arn:aws:iam::" + accountId + ":role/deployer")
                    .roleSessionName("test-" + accountId)).credentials();
            sandbox.accountUsed();
            return new SandboxAccount(sandbox, accountId, new AwsSettings.AwsCredentials(c.accessKeyId(), c.secretAccessKey(), c.sessionToken()));
        }
    }

    public String accountId() {
        return accountId;
    }

    /** The environment of a runner acting in this account (endpoint, region, credentials). */
    public Map<String, String> env() {
        Map<String, String> env = new LinkedHashMap<>(sandbox.env());
        env.put("AWS_ACCESS_KEY_ID", credentials.accessKeyId());
        env.put("AWS_SECRET_ACCESS_KEY", credentials.secretAccessKey());
        env.put("AWS_SESSION_TOKEN", credentials.sessionToken());
        return env;
    }

    /** The runner's client factory acting in this account, straight to the sandbox. */
    public AwsClients clients() {
        AwsSettings settings = new AwsSettings(Optional.of(Sandbox.REGION), Optional.of(sandbox.endpoint()), Optional.empty(),
                Optional.empty(), Optional.of(credentials), 3, Duration.ofSeconds(30));
        return new AwsClients(settings, new ApiCallCounter());
    }
}

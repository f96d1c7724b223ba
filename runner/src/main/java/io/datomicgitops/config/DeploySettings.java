package io.datomicgitops.config;

import io.datomicgitops.ExitCode;
import io.datomicgitops.ToolException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * A stack folder's deploy.properties with its defaults (each documented in the README). Datomic's files say what
 * to run; this file says how to deploy it.
 */
public record DeploySettings(
        String stackName,
        Optional<String> region,
        String replaceStrategy,
        String engine,
        Optional<String> datomicHome,
        String launch,
        Optional<String> templateBucket,
        Duration stackTimeout,
        Duration replaceTimeout,
        Duration healthTimeout,
        Duration replaceWarmup,
        boolean terminationProtection,
        boolean tableDeletionProtection,
        boolean tablePointInTimeRecovery,
        boolean logBucketBlockPublicAccess,
        boolean logBucketVersioning,
        String lockTable,
        Duration lockLease) {

    public static final String FILE_NAME = "deploy.properties";
    /** The shortest lock lease: the holder renews every third of it, so a live holder's lease never runs out. */
    public static final Duration MIN_LOCK_LEASE = Duration.ofMinutes(1);

    public static DeploySettings read(Path stackDir) {
        return from(file(stackDir));
    }

    /** The stack folder's deploy.properties as written, for a caller that also needs its bytes. */
    public static PropertiesFile file(Path stackDir) {
        Path file = stackDir.resolve(FILE_NAME);
        if (!Files.exists(file)) {
            throw new ToolException(ExitCode.INVALID_CONFIG, "no " + FILE_NAME + " in the stack folder", stackDir.toString(),
                    "create " + file + " with at least stack-name=<CloudFormation stack name>");
        }
        return PropertiesFile.read(file);
    }

    public static DeploySettings from(PropertiesFile p) {
        Validator.requireValid(p, Schema.DEPLOY);
        String stackName = p.get("stack-name").orElseThrow(() ->
                Validator.missing(p, "stack-name", "set stack-name=<CloudFormation stack name> in " + p.name()));
        String engine = p.get("engine", "native");
        Optional<String> datomicHome = p.get("datomic-home");
        if (engine.equals("datomic") && datomicHome.isEmpty()) {
            throw Validator.missing(p, "datomic-home", "the datomic engine runs <datomic-home>/bin/datomic: set datomic-home");
        }
        return new DeploySettings(
                stackName,
                p.get("aws-region"),
                p.get("replace-strategy", "surge"),
                engine,
                datomicHome,
                p.get("template.launch", "template"),
                p.get("template-bucket"),
                ValueType.parseDuration(p.get("stack-timeout", "30m")),
                ValueType.parseDuration(p.get("replace-timeout", "20m")),
                ValueType.parseDuration(p.get("health-timeout", "10m")),
                ValueType.parseDuration(p.get("replace-warmup", "0s")),
                Boolean.parseBoolean(p.get("termination-protection", "true")),
                Boolean.parseBoolean(p.get("table-deletion-protection", "true")),
                Boolean.parseBoolean(p.get("table-point-in-time-recovery", "true")),
                Boolean.parseBoolean(p.get("log-bucket-block-public-access", "true")),
                Boolean.parseBoolean(p.get("log-bucket-versioning", "false")),
                p.get("lock-table", "datomic-gitops-locks"),
                ValueType.parseDuration(p.get("lock-lease", "10m")));
    }
}

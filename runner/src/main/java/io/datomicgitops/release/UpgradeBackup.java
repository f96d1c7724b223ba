package io.datomicgitops.release;

import io.datomicgitops.ExitCode;
import io.datomicgitops.ToolException;
import io.datomicgitops.config.PropertiesFile;
import io.datomicgitops.config.Redactor;
import io.datomicgitops.config.Secrets;
import io.datomicgitops.configrepo.StackInputs;
import io.datomicgitops.report.Log;
import io.datomicgitops.stack.StackPreview;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The backup apply takes before a {@code datomic-version} change reaches a running stack: deploy.properties'
 * {@code backup-command}, run through {@code sh -c} in the stack folder with the stack's environment and
 * {@code BACKUP_URI} (deploy.properties' {@code backup-uri}), {@code STACK_NAME}, {@code DATOMIC_VERSION_FROM} and
 * {@code DATOMIC_VERSION_TO}; e.g. {@code backup-command=$DATOMIC_HOME/bin/datomic backup-db "$DB_URI" "$BACKUP_URI"}.
 * Its output is logged with every secret of the environment masked. A command that fails stops the deployment
 * before the stack is touched.
 */
public final class UpgradeBackup {
    public static final String COMMAND = "backup-command";
    public static final String URI = "backup-uri";
    /** The Backup: trailer and deployment.json's backup when the operator passed --skip-backup. */
    public static final String SKIPPED = "skipped (--skip-backup)";

    /** deploy.properties' backup: the command and the URI it writes to, both set. */
    public record Config(String command, String uri) {
        public static Optional<Config> of(PropertiesFile deploy) {
            Optional<String> command = deploy.get(COMMAND);
            Optional<String> uri = deploy.get(URI);
            return command.isPresent() && uri.isPresent() ? Optional.of(new Config(command.get(), uri.get())) : Optional.empty();
        }

        /** What to set in deploy.properties when {@link #of} finds no backup. */
        public static String missing(PropertiesFile deploy) {
            if (deploy.get(COMMAND).isPresent()) return "set " + URI + "=<where " + COMMAND + " writes the backup> in " + deploy.name();
            if (deploy.get(URI).isPresent()) return "set " + COMMAND + "=<the command that backs up to $BACKUP_URI> in " + deploy.name();
            return "set " + COMMAND + " and " + URI + " in " + deploy.name();
        }
    }

    private final Log log;

    public UpgradeBackup(Log log) {
        this.log = log;
    }

    /**
     * Before the stack update: backs up when the update changes the version a running stack runs, and says what to
     * record (the backup's URI, or {@link #SKIPPED}); empty when the version does not change.
     *
     * @param skip the operator passed --skip-backup
     */
    public Optional<String> runBefore(StackInputs in, StackPreview preview, boolean skip) {
        VersionChange change = VersionChange.of(preview, in.cf());
        if (!change.changesRunningStack()) return Optional.empty();
        if (skip) {
            log.warn("backup: none before datomic-version " + change.describe() + " (--skip-backup)");
            return Optional.of(SKIPPED);
        }
        Config config = Config.of(in.deploy()).orElseThrow(() -> new ToolException(ExitCode.INVALID_CONFIG,
                "datomic-version " + change.describe() + " and no backup before it", in.folder().gitPath(in.deploy().name()),
                Config.missing(in.deploy()) + ", or pass --skip-backup; the stack was not updated"));
        run(config, in, change);
        return Optional.of(config.uri());
    }

    private void run(Config config, StackInputs in, VersionChange change) {
        Map<String, String> env = new LinkedHashMap<>(in.settings().datomicEnvironment());
        env.put("BACKUP_URI", config.uri());
        env.put("STACK_NAME", in.stackName());
        env.put("DATOMIC_VERSION_FROM", change.running().orElse(""));
        env.put("DATOMIC_VERSION_TO", change.wanted().orElse(""));
        Redactor redactor = Redactor.global();
        // the output is logged: whatever the command prints of a secret in its environment is masked
        env.forEach((name, value) -> {
            if (Secrets.isSecretKey(name.toLowerCase(Locale.ROOT).replace('_', '-'))) redactor.register(value);
        });
        String where = in.folder().gitPath(in.deploy().name());
        log.progress("backup: before datomic-version " + change.describe() + ", to " + config.uri() + " (" + COMMAND + ")");
        try {
            ProcessBuilder pb = new ProcessBuilder("sh", "-c", config.command()).directory(in.folder().dir().toFile())
                    .redirectErrorStream(true);
            pb.environment().putAll(env);
            Process p = pb.start();
            p.getOutputStream().close();
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) log.progress("backup: " + redactor.redact(line));
            }
            int exit = p.waitFor();
            if (exit != 0) {
                throw new ToolException(ExitCode.FAILED, COMMAND + " exited with " + exit + "; the stack was not updated", where,
                        "fix the backup (its output is above) and apply again, or pass --skip-backup to deploy without one");
            }
        } catch (IOException e) {
            throw new ToolException(ExitCode.FAILED, COMMAND + " could not run: " + e.getMessage() + "; the stack was not updated",
                    where, "check the command and that sh is on the runner's PATH", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ToolException(ExitCode.INTERRUPTED, "interrupted during the backup; the stack was not updated", where, "apply again");
        }
        log.progress("backup: done, " + config.uri());
    }
}

package io.datomicgitops.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import io.datomicgitops.aws.AwsClients;
import io.datomicgitops.cli.CliRun;
import io.datomicgitops.report.Json;
import io.datomicgitops.testing.ConfigRepoFixture;
import io.datomicgitops.testing.Sandbox;
import io.datomicgitops.testing.SandboxExtension;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A datomic-version change through plan and apply, on the example config repo (real git, AWS in the sandbox): the
 * plan shows the release gate and the backup step; apply runs deploy.properties' backup-command before the stack
 * update and records its URI (Backup: trailer, deployment.json); an upgrade without a backup is refused, and allowed
 * with --skip-backup; a downgrade is refused, and allowed with --allow-downgrade.
 */
@ExtendWith(SandboxExtension.class)
class ReleaseGateIT {
    private static final String CF = "stacks/demo/cf.properties";
    private static final String DEPLOY = "stacks/demo/deploy.properties";
    private static final String STACK = "demo-datomic-transactor";
    private static final String TX = "stacks/demo/transactor.properties";
    /** A secret apply resolves (the example stack has none: Datomic 1.0.7277 needs no license key). */
    private static final String PASSWORD = "memcached-0b1c2d3e-never-printed";

    @TempDir
    Path tmp;

    Sandbox sandbox;
    ConfigRepoFixture repo;
    int run;

    @BeforeEach
    void reset(Sandbox sandbox) {
        this.sandbox = sandbox;
        sandbox.reset();
    }

    @Test
    void aVersionChangeIsGatedAndBackedUpBeforeTheStackUpdate() throws Exception {
        repo = ConfigRepoFixture.create(tmp, sandbox);
        push(TX, "aws-dynamodb-table=demo-datomic\n", "memcached-password=${env:DATOMIC_MEMCACHED_PASSWORD}\naws-dynamodb-table=demo-datomic\n",
                "a memcached password");
        repo.env.put("DATOMIC_MEMCACHED_PASSWORD", PASSWORD);
        assertThat(repo.checkout().exitCode()).isZero();
        CliRun first = apply();
        assertThat(first.exitCode()).as(first.err()).isZero();
        assertThat(repo.remoteLog().get(0).getFullMessage()).as("a new stack: no version to back up").doesNotContain("Backup:");
        assertThat(runningVersion()).isEqualTo("1.0.7277");

        // an upgrade without a backup: the plan shows the gate and refuses; so does apply, before any change
        push(CF, "datomic-version=1.0.7277", "datomic-version=1.0.7394", "upgrade to 1.0.7394");
        Plan refused = plan();
        assertThat(refused.run.exitCode()).as(refused.run.err()).isEqualTo(3);
        assertThat(refused.md).contains("info `datomic-version-change` stacks/demo/cf.properties:45: datomic-version 1.0.7277 -> 1.0.7394: "
                        + "checked against Datomic's release notes as of 2026-12-07",
                "**error** `version-change-without-backup` stacks/demo/deploy.properties: datomic-version 1.0.7277 -> 1.0.7394 and no backup");
        CliRun noBackup = apply();
        assertThat(noBackup.exitCode()).as(noBackup.err()).isEqualTo(3);
        assertThat(noBackup.err()).contains("version-change-without-backup", "--skip-backup");
        assertThat(runningVersion()).isEqualTo("1.0.7277");

        // a backup that fails stops the deployment before the stack is touched
        Path marker = tmp.resolve("backups.txt");
        Path script = tmp.resolve("backup.sh");
        Files.writeString(script, "echo \"backing up $STACK_NAME with password=$DATOMIC_MEMCACHED_PASSWORD\"\n"
                + "[ -n \"$FAIL_BACKUP\" ] && exit 7\n"
                + "echo \"$DATOMIC_VERSION_FROM $DATOMIC_VERSION_TO $BACKUP_URI\" >> " + marker + "\n");
        push(DEPLOY, "engine=native", "engine=native\nbackup-command=sh " + script + "\nbackup-uri=s3://demo-backups/demo", "back up before upgrades");
        Plan withBackup = plan();
        assertThat(withBackup.run.exitCode()).as(withBackup.run.err()).isEqualTo(2);
        assertThat(withBackup.md).contains("info `backup-before-upgrade` stacks/demo/deploy.properties:14: apply backs up to "
                + "s3://demo-backups/demo before the stack update");
        repo.env.put("FAIL_BACKUP", "yes");
        CliRun failing = apply();
        repo.env.remove("FAIL_BACKUP");
        assertThat(failing.exitCode()).as(failing.err()).isEqualTo(1);
        assertThat(failing.err()).contains("backup-command exited with 7; the stack was not updated");
        assertThat(runningVersion()).as("the backup comes before the stack update").isEqualTo("1.0.7277");

        // the backup runs, then the stack moves; its URI is in the commit and the record, no secret in the output
        CliRun upgrade = apply();
        assertThat(upgrade.exitCode()).as(upgrade.err()).isZero();
        assertThat(Files.readAllLines(marker)).containsExactly("1.0.7277 1.0.7394 s3://demo-backups/demo");
        assertThat(upgrade.out() + upgrade.err()).contains("backup: backing up " + STACK + " with password=********")
                .doesNotContain(PASSWORD);
        assertThat(runningVersion()).isEqualTo("1.0.7394");
        RevCommit deployed = repo.remoteLog().get(0);
        assertThat(deployed.getFullMessage()).contains("Phase: deploy").contains("\nBackup: s3://demo-backups/demo\n");
        assertThat(record().path("backup").asText()).isEqualTo("s3://demo-backups/demo");

        // a downgrade: refused, then allowed on purpose (backed up first too)
        push(CF, "datomic-version=1.0.7394", "datomic-version=1.0.7277", "back to 1.0.7277");
        Plan downgrade = plan();
        assertThat(downgrade.run.exitCode()).isEqualTo(3);
        assertThat(downgrade.md).contains("**error** `downgrade` stacks/demo/cf.properties:45: datomic-version 1.0.7394 -> 1.0.7277 is a downgrade");
        CliRun refusedDowngrade = apply();
        assertThat(refusedDowngrade.exitCode()).as(refusedDowngrade.err()).isEqualTo(3);
        assertThat(refusedDowngrade.err()).contains("downgrade", "--allow-downgrade");
        assertThat(runningVersion()).isEqualTo("1.0.7394");
        Plan allowedPlan = plan("--allow-downgrade");
        assertThat(allowedPlan.run.exitCode()).as(allowedPlan.run.err()).isEqualTo(2);
        assertThat(allowedPlan.md).contains("**warning** `downgrade-allowed`");
        CliRun allowed = apply("--allow-downgrade");
        assertThat(allowed.exitCode()).as(allowed.err()).isZero();
        assertThat(runningVersion()).isEqualTo("1.0.7277");
        assertThat(Files.readAllLines(marker)).last().isEqualTo("1.0.7394 1.0.7277 s3://demo-backups/demo");

        // no backup configured, skipped on purpose: recorded as skipped
        String deploy = repo.remoteFile(DEPLOY);
        repo.push(Map.of(DEPLOY, deploy.replaceAll("backup-(command|uri)=.*\n", ""),
                CF, repo.remoteFile(CF).replace("datomic-version=1.0.7277", "datomic-version=1.0.7394")), "upgrade without a backup");
        assertThat(repo.checkout().exitCode()).isZero();
        assertThat(plan("--skip-backup").md).contains("**warning** `backup-skipped`");
        CliRun skipped = apply("--skip-backup");
        assertThat(skipped.exitCode()).as(skipped.err()).isZero();
        assertThat(runningVersion()).isEqualTo("1.0.7394");
        assertThat(repo.remoteLog().get(0).getFullMessage()).contains("\nBackup: skipped (--skip-backup)\n");
        assertThat(record().path("backup").asText()).isEqualTo("skipped (--skip-backup)");
        assertThat(Files.readAllLines(marker)).as("the backup did not run").hasSize(2);
    }

    private record Plan(CliRun run, String md) {}

    private Plan plan(String... extra) throws Exception {
        int n = ++run;
        Path md = tmp.resolve("plan" + n + ".md");
        List<String> args = new java.util.ArrayList<>(List.of("plan", "--dir", repo.clone.toString(), "--report",
                tmp.resolve("plan" + n + ".json").toString(), "--plan-md", md.toString()));
        args.addAll(List.of(extra));
        CliRun r = repo.run(args.toArray(String[]::new));
        return new Plan(r, Files.exists(md) ? Files.readString(md) : "");
    }

    private CliRun apply(String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("apply", "--dir", repo.clone.toString(), "--approved-by", "alice",
                "--report", tmp.resolve("apply" + (++run) + ".json").toString()));
        args.addAll(List.of(extra));
        return repo.run(args.toArray(String[]::new));
    }

    private void push(String path, String from, String to, String message) {
        String text = repo.remoteFile(path);
        assertThat(text).contains(from);
        repo.push(Map.of(path, text.replace(from, to)), message);
        assertThat(repo.checkout().exitCode()).isZero();
    }

    private JsonNode record() throws Exception {
        return Json.mapper().readTree(repo.remoteFile("stacks/demo/deployment.json"));
    }

    /** The version the stack runs: its DatomicVersion parameter. */
    private String runningVersion() {
        try (AwsClients aws = sandbox.clients()) {
            return aws.cloudFormation(null).describeStacks(r -> r.stackName(STACK)).stacks().get(0).parameters().stream()
                    .filter(p -> p.parameterKey().equals("DatomicVersion")).findFirst().orElseThrow().parameterValue();
        }
    }
}

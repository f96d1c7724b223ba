package io.datomicgitops.security;

import com.fasterxml.jackson.databind.JsonNode;
import io.datomicgitops.aws.AwsClients;
import io.datomicgitops.cli.CliRun;
import io.datomicgitops.report.Json;
import io.datomicgitops.testing.ConfigRepoFixture;
import io.datomicgitops.testing.GitHttpServer;
import io.datomicgitops.testing.GitSshServer;
import io.datomicgitops.testing.Sandbox;
import io.datomicgitops.testing.SandboxExtension;
import io.datomicgitops.testing.TestRepos;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.iam.model.AccessKey;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Known secrets through the flow and its error paths, each command a process of its own as in a pipeline (java -jar:
 * every byte it prints is seen, --debug stack traces included, and no secret is masked only because an earlier
 * command of the same JVM registered it): a storage password through ${env:...}, a git token over HTTPS, an SSH key's
 * passphrase, the AWS secret key, and a secret an operator wrote in plain text. None may appear in any output, any
 * commit of the remote's whole history, any report or plan, or any template (cf.json and the stack's template in the
 * sandbox).
 */
@ExtendWith(SandboxExtension.class)
class SecretsIT {
    private static final String TX = "stacks/demo/transactor.properties";

    /** A storage password passed through ${env:...} (the example stack needs no license key from Datomic 1.0.6726). */
    private final String storagePassword = "storage-" + UUID.randomUUID();
    private final String token = "glpat-" + UUID.randomUUID().toString().replace("-", "");
    private final String wrongToken = "glpat-wrong-" + UUID.randomUUID().toString().replace("-", "");
    private final String passphrase = "pass-" + UUID.randomUUID();
    private final String awsSecret = "aws-secret-" + UUID.randomUUID();
    /** Written by an operator in plain text into transactor.properties: committed by them, never by the tool. */
    private final String plain = "plain-" + UUID.randomUUID();

    @TempDir
    Path tmp;
    Sandbox sandbox;
    private final List<String> outputs = new ArrayList<>();
    private final List<Path> written = new ArrayList<>();

    @BeforeEach
    void reset(Sandbox sandbox) {
        this.sandbox = sandbox;
        sandbox.resetAuth("inf");
        sandbox.reset();
    }

    @AfterEach
    void enforcementOff() {
        sandbox.resetAuth("inf");
    }

    @Test
    void noSecretReachesAnOutputACommitAReportOrATemplate() throws Exception {
        Path srv = tmp.resolve("srv");
        Map<String, String> files = new LinkedHashMap<>(ConfigRepoFixture.exampleFiles());
        files.put(TX, files.get(TX).replace("# heartbeat-interval-msec=5000\n", "# heartbeat-interval-msec=5000\nmemcached-password=" + plain + "\n"
                + "storage-datomic-password=${env:DATOMIC_STORAGE_PASSWORD}\n"));
        Path bare = TestRepos.bareWith(srv, "main", files);
        Path key = tmp.resolve("id_ed25519");
        GitSshServer.keygen(key, passphrase);

        try (GitHttpServer https = GitHttpServer.start(srv, token);
             GitSshServer ssh = GitSshServer.start(srv, Path.of(key + ".pub"), tmp.resolve("host-key"))) {
            Files.writeString(tmp.resolve("known_hosts"), ssh.knownHostsLine() + "\n");
            Map<String, String> env = env();

            // over HTTPS with the token: checkout, plan, apply (pushes and tags), status
            Path a = tmp.resolve("clone-https");
            ok(env, "checkout", "--repo", https.url(bare), "--dir", a.toString(), "--token-env", "GIT_TOKEN");
            assertThat(run(env, "plan", "--dir", a.toString()).exitCode()).isEqualTo(2);
            ok(env, "apply", "--dir", a.toString(), "--approved-by", "alice", "--token-env", "GIT_TOKEN");
            ok(env, "status", "--dir", a.toString());

            // over SSH with the key's passphrase (git authenticates fetch and push alike)
            String[] sshArgs = {"--ssh-key", key.toString(), "--ssh-passphrase-env", "SSH_PASSPHRASE", "--known-hosts", tmp.resolve("known_hosts").toString()};
            ok(env, concat(new String[]{"checkout", "--repo", ssh.url(bare), "--dir", tmp.resolve("clone-ssh").toString()}, sshArgs));

            // error paths, with --debug stack traces: a wrong token, a token in the URL (right, then wrong), a wrong passphrase
            assertThat(run(env, "--debug", "checkout", "--repo", https.url(bare), "--dir", tmp.resolve("x1").toString(),
                    "--token-env", "GIT_TOKEN_WRONG").exitCode()).isEqualTo(4);
            String inUrl = https.url(bare).replace("http://", "http://x-access-token:" + this.token + "@");
            ok(env, "--debug", "checkout", "--repo", inUrl, "--dir", tmp.resolve("x2").toString());
            assertThat(run(env, "--debug", "checkout", "--repo", inUrl.replace(this.token, wrongToken), "--dir", tmp.resolve("x3").toString())
                    .exitCode()).isEqualTo(4);
            Map<String, String> wrongPassphrase = new LinkedHashMap<>(env);
            wrongPassphrase.put("SSH_PASSPHRASE", "not-" + passphrase);
            assertThat(run(wrongPassphrase, concat(new String[]{"--debug", "checkout", "--repo", ssh.url(bare), "--dir", tmp.resolve("x4").toString()},
                    sshArgs)).exitCode()).isEqualTo(4);
        }

        // an AWS call denied, with --debug: the runner is an IAM user whose secret key is known, holding no policy
        Map<String, String> denied = env();
        try (AwsClients aws = sandbox.clients()) {
            aws.iam().createUser(u -> u.userName("secrets-it-nobody"));
            AccessKey k = aws.iam().createAccessKey(r -> r.userName("secrets-it-nobody")).accessKey();
            denied.put("AWS_ACCESS_KEY_ID", k.accessKeyId());
            denied.put("AWS_SECRET_ACCESS_KEY", k.secretAccessKey());
        }
        sandbox.resetAuth("0");
        CliRun deniedRun = run(denied, "--debug", "plan", "--dir", tmp.resolve("clone-https").toString());
        sandbox.resetAuth("inf");
        assertThat(deniedRun.exitCode()).as(deniedRun.err()).isEqualTo(5);
        assertThat(deniedRun.err()).as("--debug prints the cause").contains("\tat ");

        List<String> secrets = List.of(storagePassword, this.token, wrongToken, passphrase, "not-" + passphrase, awsSecret, plain,
                denied.get("AWS_SECRET_ACCESS_KEY"));
        for (String secret : secrets) {
            for (String out : outputs) assertThat(out).as("output").doesNotContain(secret);
            for (Path p : written) assertThat(Files.readString(p)).as("%s", p).doesNotContain(secret);
        }
        String history = git(bare, "log", "-p", "--all");
        String toolsHistory = git(bare, "log", "-p", "--all", "--committer=datomic-gitops");
        assertThat(toolsHistory).as("the tool's commits").contains("deploy(demo)");
        for (String secret : secrets) {
            assertThat(toolsHistory).as("the tool's commits").doesNotContain(secret);
            if (!secret.equals(plain)) assertThat(history).as("the remote's whole history").doesNotContain(secret);
        }
        assertThat(git(bare, "show", "main:" + TX)).as("the placeholder stays in git").contains("storage-datomic-password=${env:DATOMIC_STORAGE_PASSWORD}");

        // the template takes the secrets as NoEcho parameters without a default, in cf.json and in the stack
        JsonNode committed = Json.mapper().readTree(git(bare, "show", "main:stacks/demo/cf.json"));
        for (String parameter : List.of("MemcachedPassword", "StorageDatomicPassword")) {
            JsonNode p = committed.path("Parameters").path(parameter);
            assertThat(p.path("NoEcho").asBoolean()).as(parameter).isTrue();
            assertThat(p.has("Default")).as(parameter).isFalse();
        }
        assertThat(committed.toString()).contains("storage-datomic-password=${StorageDatomicPassword}").contains("memcached-password=${MemcachedPassword}");
        try (AwsClients aws = sandbox.clients()) {
            String deployed = aws.cloudFormation(null).getTemplate(r -> r.stackName("demo-datomic-transactor")).templateBody();
            assertThat(Json.mapper().readTree(deployed)).isEqualTo(committed);
            for (String secret : secrets) assertThat(deployed).doesNotContain(secret);
        }
    }

    /** The run's environment: the sandbox, the known secrets in the variables the flow reads them from. */
    private Map<String, String> env() throws Exception {
        Map<String, String> env = new LinkedHashMap<>(sandbox.env());
        env.put("AWS_SECRET_ACCESS_KEY", awsSecret);
        env.put("DATOMIC_STORAGE_PASSWORD", storagePassword);
        env.put("GIT_TOKEN", token);
        env.put("GIT_TOKEN_WRONG", wrongToken);
        env.put("SSH_PASSPHRASE", passphrase);
        env.put("HOME", Files.createDirectories(tmp.resolve("home")).toString());
        return env;
    }

    private void ok(Map<String, String> env, String... args) throws Exception {
        CliRun run = run(env, args);
        assertThat(run.exitCode()).as("%s%n%s%s", List.of(args), run.out(), run.err()).isZero();
    }

    /** Runs the runner as a process, with a report (and a plan) of its own; keeps what it printed and wrote. */
    private CliRun run(Map<String, String> env, String... args) throws Exception {
        int n = outputs.size();
        Path report = tmp.resolve("report-" + n + ".json");
        Path plan = tmp.resolve("plan-" + n + ".md");
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--report", report.toString()));
        if (all.contains("plan") || all.contains("deploy")) all.addAll(List.of("--plan-md", plan.toString()));
        CliRun run = Subprocess.run(env, tmp, all);
        outputs.add(run.out() + run.err());
        for (Path p : List.of(report, plan)) if (Files.exists(p)) written.add(p);
        return run;
    }

    private static String[] concat(String[] a, String[] b) {
        return Stream.concat(Stream.of(a), Stream.of(b)).toArray(String[]::new);
    }

    /** The real git CLI on the bare remote. */
    private static String git(Path bare, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("git", "--git-dir", bare.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as("git %s: %s", List.of(args), out).isZero();
        return out;
    }
}

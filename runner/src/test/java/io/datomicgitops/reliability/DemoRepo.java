package io.datomicgitops.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import io.datomicgitops.cli.CliRun;
import io.datomicgitops.report.Json;
import io.datomicgitops.testing.ConfigRepoFixture;
import io.datomicgitops.testing.Sandbox;
import io.datomicgitops.testing.SandboxAccount;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import static io.datomicgitops.reliability.Invariants.CF;
import static io.datomicgitops.reliability.Invariants.TX;

/**
 * The example config repo as the reliability tests drive it: the first deployment with log rotation on and a secret
 * (ensure-transactor with a generated bucket name, ensure-cf, template, stack creation) and a second change, a bigger
 * instance type (template, stack update, instance replacement). It keeps every output and report of its runs for the
 * secrets scan.
 */
final class DemoRepo {
    private static final Pattern ERROR_LINE = Pattern.compile("(?m)^error: .+ \\(.+\\)$");
    /**
     * The stack's secret (a memcached password from the runner's environment) that the secrets scan looks for in every
     * output, report, commit and file: the example stack itself needs none (Datomic 1.0.7277 needs no license key).
     */
    static final String SECRET = "MEMCACHED-PASSWORD-3b9d-never-leak";

    final ConfigRepoFixture repo;
    final Path dir;
    final SandboxAccount account;
    /** The URL the runner clones and pushes to. */
    final String url;
    final List<String> outputs = new ArrayList<>();
    final List<Path> reports = new ArrayList<>();
    private int runCount;
    private Invariants.Expected expected;

    private DemoRepo(ConfigRepoFixture repo, Path dir, SandboxAccount account, String url) {
        this.repo = repo;
        this.dir = dir;
        this.account = account;
        this.url = url;
    }

    /**
     * The example repo with log rotation turned on (a bucket with a generated name), checked out; with extra stacks
     * (copies of the demo stack, deployed after it), when named.
     */
    static DemoRepo create(Path dir, Sandbox sandbox, SandboxAccount account, String... extraStacks) throws Exception {
        return create(dir, sandbox, account, bare -> bare.toUri().toString(), extraStacks);
    }

    /** The same, cloned from the URL {@code remote} gives for the bare repository (e.g. a git server's). */
    static DemoRepo create(Path dir, Sandbox sandbox, SandboxAccount account, java.util.function.Function<Path, String> remote,
                           String... extraStacks) throws Exception {
        Files.createDirectories(dir);
        ConfigRepoFixture fixture = ConfigRepoFixture.create(dir, sandbox, extraStacks);
        DemoRepo demo = new DemoRepo(fixture, dir, account, remote.apply(fixture.bare));
        demo.repo.env.putAll(account.env());
        String tx = demo.repo.remoteFile(TX);
        if (!tx.contains("# aws-s3-log-bucket-id=\n")) throw new IllegalStateException("the example transactor.properties changed shape");
        if (!tx.contains("aws-dynamodb-table=demo-datomic\n")) throw new IllegalStateException("the example transactor.properties changed shape");
        String withBucket = tx.replace("# aws-s3-log-bucket-id=\n", "# aws-s3-log-bucket-id=\naws-s3-log-bucket-id=\n")
                .replace("aws-dynamodb-table=demo-datomic\n", "memcached-password=${env:DATOMIC_MEMCACHED_PASSWORD}\naws-dynamodb-table=demo-datomic\n");
        demo.repo.env.put("DATOMIC_MEMCACHED_PASSWORD", SECRET);
        demo.repo.push(Map.of(TX, withBucket), "rotate transactor logs to S3, a memcached password");
        demo.expected = Invariants.Expected.of(withBucket, demo.repo.remoteFile(CF));
        demo.checkout();
        return demo;
    }

    /** The second change: m5.xlarge, so the template changes, the stack is updated and the running instance replaced. */
    void pushSecondChange() {
        String cf = repo.remoteFile(CF);
        if (!cf.contains("aws-instance-type=m5.large\n")) throw new IllegalStateException("the example cf.properties changed shape");
        String bigger = cf.replace("aws-instance-type=m5.large\n", "aws-instance-type=m5.xlarge\n");
        repo.push(Map.of(CF, bigger), "m5.xlarge");
        expected = Invariants.Expected.of(repo.remoteFile(TX), bigger);
        checkout();
    }

    void checkout() {
        Path report = dir.resolve("checkout.json");
        CliRun checkout = repo.run("checkout", "--repo", url, "--dir", repo.clone.toString(), "--report", report.toString());
        outputs.add(checkout.out() + checkout.err());
        reports.add(report);
        if (checkout.exitCode() != 0) throw new IllegalStateException("checkout failed: " + checkout.err());
    }

    Invariants.Findings check(Invariants.History before) {
        return new Invariants(account, repo).check(expected, before, outputs, reports);
    }

    /** The keys the files must declare after the apply of the last change pushed: its own plus the generated ones. */
    Invariants.Expected expected() {
        return expected;
    }

    /** The environment of a run through another endpoint (the fault proxy), or the sandbox's own when null. */
    Map<String, String> env(URI endpoint) {
        Map<String, String> env = new LinkedHashMap<>(repo.env);
        if (endpoint != null) env.put("AWS_ENDPOINT_URL", endpoint.toString());
        return env;
    }

    /** One apply, in-process; its output and report are kept. */
    Run apply(URI endpoint, String... extra) {
        Path report = dir.resolve("apply-" + (++runCount) + ".json");
        List<String> args = new ArrayList<>(List.of("apply", "--dir", repo.clone.toString(), "--approved-by", "alice",
                "--report", report.toString()));
        args.addAll(List.of(extra));
        CliRun r = CliRun.run(env(endpoint), args.toArray(String[]::new));
        outputs.add(r.out() + r.err());
        reports.add(report);
        return new Run(r.exitCode(), r.out(), r.err(), report);
    }

    /**
     * Removes the empty stacks a stopped run left in REVIEW_IN_PROGRESS (its CREATE change set made, never executed),
     * before the re-run. AWS creates the re-run's change set on that same stack; the sandbox makes a second stack of
     * the same name instead and then answers for the empty one, so the test stands in for AWS here. Returns how many.
     */
    int removeReviewOnlyStacks() {
        try (var aws = account.clients()) {
            var cf = aws.cloudFormation(null);
            List<String> ids = cf.listStacks().stackSummaries().stream()
                    .filter(s -> "REVIEW_IN_PROGRESS".equals(s.stackStatusAsString())).map(s -> s.stackId()).toList();
            ids.forEach(id -> cf.deleteStack(r -> r.stackName(id)));
            return ids.size();
        }
    }

    /** Args for a child process apply (java -jar). */
    List<String> applyArgs(Path report) {
        return applyArgs(repo.clone, report);
    }

    /** Args for a child process apply of another clone, with extra options. */
    List<String> applyArgs(Path clone, Path report, String... extra) {
        reports.add(report);
        List<String> args = new ArrayList<>(List.of("apply", "--dir", clone.toString(), "--approved-by", "alice", "--report", report.toString()));
        args.addAll(List.of(extra));
        return List.copyOf(args);
    }

    /** Another operator's clone of the same remote (another Jenkins agent, another laptop), checked out. */
    Path anotherClone(String name) {
        Path clone = dir.resolve(name);
        CliRun checkout = repo.run("checkout", "--repo", url, "--dir", clone.toString());
        outputs.add(checkout.out() + checkout.err());
        if (checkout.exitCode() != 0) throw new IllegalStateException("checkout failed: " + checkout.err());
        return clone;
    }

    record Run(int exitCode, String out, String err, Path report) {
        boolean ok() {
            return exitCode == 0;
        }

        /** A failed run says what failed, where, and what to do: one "error: where: what (todo)" line, and the report's error. */
        Optional<String> unclearFailure() {
            if (exitCode == 0) return Optional.empty();
            if (!ERROR_LINE.matcher(err).find()) return Optional.of("exit " + exitCode + " without an 'error: ... (what to do)' line:\n" + err);
            try {
                JsonNode error = Json.mapper().readTree(Files.readString(report)).path("error");
                if (error.path("todo").asText("").isBlank()) return Optional.of("exit " + exitCode + ", the report has no error.todo");
                if (error.path("exitCode").asInt() != exitCode) return Optional.of("report exit code " + error.path("exitCode") + " != " + exitCode);
            } catch (IOException | UncheckedIOException e) {
                return Optional.of("exit " + exitCode + " and no readable report: " + e.getMessage());
            }
            return Optional.empty();
        }

        /** The first error line, for the log of what happened. */
        String errorLine() {
            return err.lines().filter(l -> l.startsWith("error: ")).findFirst().orElse("(no error line)");
        }
    }
}

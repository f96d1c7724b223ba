package io.datomicgitops.ensure;

import io.datomicgitops.ExitCode;
import io.datomicgitops.ToolException;
import io.datomicgitops.config.PropertiesFile;
import io.datomicgitops.report.Log;
import io.datomicgitops.wait.WaitProgress;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs the operator's own {@code <datomic-home>/bin/datomic ensure-... FILE FILE} (the in-place convention) on a
 * private copy of the file, and hands back what it printed and the file it wrote. The caller checks the result
 * before anything reaches the real file.
 */
final class DatomicEngine {
    static final Duration TIMEOUT = Duration.ofMinutes(15);
    private static final int MAX_OUTPUT_LINES = 2000;

    record Outcome(int exitCode, byte[] after, List<String> output) {}

    private final Path home;
    private final Map<String, String> environment;
    private final Log log;
    private final Clock clock;

    DatomicEngine(Path home, Map<String, String> environment, Log log, Clock clock) {
        this.home = home;
        this.environment = environment;
        this.log = log;
        this.clock = clock;
    }

    Path executable() {
        return home.resolve("bin").resolve("datomic");
    }

    Outcome run(String command, PropertiesFile file) {
        Path bin = executable();
        if (!Files.isRegularFile(bin) || !Files.isExecutable(bin)) {
            throw new ToolException(ExitCode.INVALID_CONFIG, "no executable bin/datomic in " + home, "datomic engine",
                    "set datomic-home (deploy.properties) or --datomic-home to an unpacked Datomic Pro distribution, or use --engine native");
        }
        Path dir = null;
        try {
            dir = Files.createTempDirectory("datomic-gitops-ensure");
            Path copy = dir.resolve(fileName(file));
            Files.write(copy, file.toBytes());
            ProcessBuilder pb = new ProcessBuilder(bin.toString(), command, copy.toString(), copy.toString())
                    .directory(home.toFile()).redirectErrorStream(true);
            pb.environment().putAll(environment);
            Instant start = clock.instant();
            log.progress("running " + bin + " " + command + " (in place, on a copy of " + file.name() + ")");
            Process p = pb.start();
            p.getOutputStream().close();
            List<String> output = new ArrayList<>();
            Thread reader = new Thread(() -> read(p, output), "bin-datomic-output");
            reader.setDaemon(true);
            reader.start();
            if (!waitFor(p, command)) {
                p.destroyForcibly();
                throw new ToolException(ExitCode.TIMEOUT, "bin/datomic " + command + " did not finish within " + TIMEOUT.toMinutes() + " minutes",
                        "datomic engine", "check its output above and AWS; re-run (names it generated are recovered from the file it wrote)");
            }
            reader.join(5000);
            log.progress("bin/datomic " + command + " exited with " + p.exitValue() + " after "
                    + Duration.between(start, clock.instant()).toSeconds() + " s");
            byte[] after = Files.exists(copy) ? Files.readAllBytes(copy) : new byte[0];
            synchronized (output) {
                return new Outcome(p.exitValue(), after, List.copyOf(output));
            }
        } catch (IOException e) {
            throw new ToolException(ExitCode.FAILED, "cannot run " + bin + ": " + e.getMessage(), "datomic engine",
                    "check datomic-home and the file permissions", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ToolException(ExitCode.FAILED, "interrupted while bin/datomic ran", "datomic engine", "re-run", e);
        } finally {
            if (dir != null) deleteQuietly(dir);
        }
    }

    /**
     * Waits up to {@link #TIMEOUT} (real time: the process runs in it) for the process to end, saying every 30 s that it
     * still runs; false when it did not end in time.
     */
    private boolean waitFor(Process p, String command) throws InterruptedException {
        long started = System.nanoTime();
        long every = WaitProgress.EVERY.toMillis();
        while (true) {
            long waited = (System.nanoTime() - started) / 1_000_000;
            long left = TIMEOUT.toMillis() - waited;
            if (left <= 0) return false;
            if (p.waitFor(Math.min(every, left), TimeUnit.MILLISECONDS)) return true;
            waited = (System.nanoTime() - started) / 1_000_000;
            if (waited < TIMEOUT.toMillis()) {
                log.progress("bin/datomic " + command + " is still running (" + WaitProgress.human(Duration.ofMillis(waited)) + " so far, "
                        + WaitProgress.human(TIMEOUT.minusMillis(waited)) + " left)");
            }
        }
    }

    private void read(Process p, List<String> output) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                log.progress("bin/datomic: " + line);
                synchronized (output) {
                    if (output.size() < MAX_OUTPUT_LINES) output.add(line);
                }
            }
        } catch (IOException e) {
            // the process ended; what was read is kept
        }
    }

    private static String fileName(PropertiesFile file) {
        try {
            Path p = Path.of(file.name()).getFileName();
            return p == null ? "ensure.properties" : p.toString();
        } catch (java.nio.file.InvalidPathException e) {
            return "ensure.properties";
        }
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(f -> {
                try {
                    Files.deleteIfExists(f);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            // a temp copy left behind holds no secret the repo does not hold
        }
    }
}

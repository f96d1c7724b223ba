package io.datomicgitops.reliability;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The runner jar as a child process ({@code java -jar runner/target/datomic-gitops.jar}), its output read line by
 * line as it comes, so a test can SIGKILL it right after a chosen progress line: a kill lands in the phase the
 * runner is in, not in the JVM's start-up.
 */
final class ChildApply {
    /** The jar Failsafe names in the system property runner.jar. */
    static Path jar() {
        String jar = System.getProperty("runner.jar");
        if (jar == null || !Files.exists(Path.of(jar))) throw new IllegalStateException("runner.jar is not built: " + jar);
        return Path.of(jar);
    }

    /** A short-lived JVM: C1 only, the serial collector. */
    static final List<String> FAST_START = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");

    /**
     * JVM options for the children of a test: {@link #FAST_START} plus a class-data archive of the runner's classes,
     * dumped by one warm-up run ({@code args}, e.g. a plan), which halves each child's start-up on two cores. Without
     * an archive (the warm-up failed) the children start without it.
     */
    static List<String> jvmOptions(Path archive, List<String> args, Map<String, String> env) throws IOException, InterruptedException {
        List<String> dump = new ArrayList<>(FAST_START);
        dump.add("-XX:ArchiveClassesAtExit=" + archive);
        ChildApply warmUp = start(dump, args, env);
        warmUp.waitFor(120_000);
        List<String> options = new ArrayList<>(FAST_START);
        if (Files.exists(archive)) options.add("-XX:SharedArchiveFile=" + archive);
        return List.copyOf(options);
    }

    private final Process process;
    private final List<String> lines = new ArrayList<>();
    private final CountDownLatch drained = new CountDownLatch(1);

    private ChildApply(Process process) {
        this.process = process;
        Thread reader = new Thread(this::drain, "child-output");
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts {@code java [jvmOptions] -jar runner.jar args...} with the environment added to this one's. */
    static ChildApply start(List<String> jvmOptions, List<String> args, Map<String, String> env) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-jar");
        command.add(jar().toString());
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().putAll(env);
        return new ChildApply(pb.start());
    }

    private void drain() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                synchronized (lines) {
                    lines.add(line);
                    lines.notifyAll();
                }
            }
        } catch (IOException e) {
            // the process was killed: its output ends here
        } finally {
            drained.countDown();
            synchronized (lines) {
                lines.notifyAll();
            }
        }
    }

    /** Waits until a line matching {@code pattern} was printed (true), or the child ended without one (false). */
    boolean awaitLine(java.util.regex.Pattern pattern, long timeoutMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        synchronized (lines) {
            while (lines.stream().noneMatch(l -> pattern.matcher(l).find())) {
                if (drained.getCount() == 0) return false;
                long left = deadline - System.currentTimeMillis();
                if (left <= 0) throw new IllegalStateException("no line /" + pattern + "/ in " + timeoutMillis + " ms:\n" + String.join("\n", lines));
                lines.wait(Math.min(left, 200));
            }
            return true;
        }
    }

    /** SIGKILL (Process.destroyForcibly on Unix); returns the exit status (137 when the kill landed). */
    int kill() throws InterruptedException {
        process.destroyForcibly();
        int status = process.waitFor();
        drained.await(10, TimeUnit.SECONDS);
        return status;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    int waitFor(long timeoutMillis) throws InterruptedException {
        if (!process.waitFor(timeoutMillis, TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("the child did not end in " + timeoutMillis + " ms:\n" + output());
        }
        drained.await(10, TimeUnit.SECONDS);
        return process.exitValue();
    }

    long pid() {
        return process.pid();
    }

    List<String> lines() {
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }

    String output() {
        return String.join("\n", lines());
    }
}

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
    /** stderr's lines, when kept apart from stdout's ({@link #startApart}); else they are among {@link #lines}. */
    private final List<String> errLines = new ArrayList<>();
    private final CountDownLatch drained;

    private ChildApply(Process process, boolean apart) {
        this.process = process;
        this.drained = new CountDownLatch(apart ? 2 : 1);
        Thread reader = new Thread(() -> drain(process.getInputStream(), lines), "child-output");
        reader.setDaemon(true);
        reader.start();
        if (apart) {
            Thread errors = new Thread(() -> drain(process.getErrorStream(), errLines), "child-errors");
            errors.setDaemon(true);
            errors.start();
        }
    }

    /** Starts {@code java [jvmOptions] -jar runner.jar args...} with the environment added to this one's. */
    static ChildApply start(List<String> jvmOptions, List<String> args, Map<String, String> env) throws IOException {
        return start(jvmOptions, args, env, false);
    }

    /** As {@link #start}, with stderr kept apart from stdout ({@link #errLines()}). */
    static ChildApply startApart(List<String> jvmOptions, List<String> args, Map<String, String> env) throws IOException {
        return start(jvmOptions, args, env, true);
    }

    /**
     * As {@link #start}, with files limited to {@code kilobytes} each (the shell's {@code ulimit -f}): a write past it
     * fails as on a full disk (EFBIG instead of ENOSPC; the JVM ignores the SIGXFSZ that comes with it), stderr kept
     * apart.
     */
    static ChildApply startWithFileLimit(long kilobytes, List<String> jvmOptions, List<String> args, Map<String, String> env) throws IOException {
        List<String> prefix = List.of("sh", "-c", "ulimit -f " + kilobytes + " && exec \"$0\" \"$@\"");
        return start(prefix, jvmOptions, args, env, true);
    }

    private static ChildApply start(List<String> jvmOptions, List<String> args, Map<String, String> env, boolean apart) throws IOException {
        return start(List.of(), jvmOptions, args, env, apart);
    }

    private static ChildApply start(List<String> prefix, List<String> jvmOptions, List<String> args, Map<String, String> env, boolean apart)
            throws IOException {
        List<String> command = new ArrayList<>(prefix);
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-jar");
        command.add(jar().toString());
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(!apart);
        pb.environment().putAll(env);
        return new ChildApply(pb.start(), apart);
    }

    private void drain(java.io.InputStream stream, List<String> into) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                synchronized (lines) {
                    into.add(line);
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

    /**
     * Sends the signal (TERM, INT, ...) with kill(1); the child handles it as it will. Not Process.destroy() for TERM:
     * it sends SIGTERM but closes this side of the child's output pipes too, so what the child prints after is lost.
     */
    void signal(String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
        if (kill.waitFor() != 0) throw new IllegalStateException("kill -" + name + " " + process.pid() + " failed");
    }

    /** Whether the child ignores the signal (a disposition inherited from a parent that ignored it), from /proc. */
    boolean ignores(int signal) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
            if (line.startsWith("SigIgn:")) return (Long.parseUnsignedLong(line.substring(7).trim(), 16) & (1L << (signal - 1))) != 0;
        }
        return false;
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

    List<String> errLines() {
        synchronized (lines) {
            return List.copyOf(errLines);
        }
    }
}

package io.datomicgitops.security;

import io.datomicgitops.cli.CliRun;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the runner jar ({@code runner.jar}, the build's shaded jar) as a process with exactly the given environment
 * (plus PATH), for what an in-process run cannot show: the process environment, System.err, a fresh redactor.
 */
final class Subprocess {
    private Subprocess() {}

    static CliRun run(Map<String, String> env, Path workDir, List<String> args) throws IOException, InterruptedException {
        String jar = System.getProperty("runner.jar");
        if (jar == null) throw new IllegalStateException("the runner.jar system property is not set (run through Failsafe)");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar));
        command.addAll(args);
        Path out = Files.createTempFile(workDir, "out", ".txt");
        Path err = Files.createTempFile(workDir, "err", ".txt");
        ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().clear();
        pb.environment().put("PATH", System.getenv("PATH"));
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("the runner did not finish within 120 s: " + command);
        }
        CliRun run = new CliRun(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        Files.delete(out);
        Files.delete(err);
        return run;
    }
}

package io.datomicgitops.template;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real {@code cfn-lint} executable on template files. It is a required tool of the test suite: when it is
 * missing, {@link #locate()} fails the test with what to install, never skips it.
 */
public final class CfnLint {
    /** cfn-lint's exit code is a bit set: 2 errors, 4 warnings, 8 informational findings. */
    public static final int ERRORS = 2;

    public record Result(int exitCode, String output) {
        public boolean hasErrors() {
            return (exitCode & ERRORS) != 0 || (exitCode & 1) != 0;
        }
    }

    private final Path executable;

    private CfnLint(Path executable) {
        this.executable = executable;
    }

    /** cfn-lint from the PATH, else from the project's .venv (where scripts/sandbox installs it). */
    public static CfnLint locate() {
        return locate(System.getenv("PATH"), Path.of("").toAbsolutePath());
    }

    static CfnLint locate(String pathVariable, Path workingDir) {
        List<Path> candidates = new ArrayList<>();
        if (pathVariable != null) for (String dir : pathVariable.split(java.io.File.pathSeparator)) candidates.add(Path.of(dir, "cfn-lint"));
        for (Path dir = workingDir; dir != null; dir = dir.getParent()) {
            candidates.add(dir.resolve(".venv/bin/cfn-lint"));
        }
        for (Path c : candidates) {
            if (Files.isRegularFile(c) && Files.isExecutable(c)) return new CfnLint(c);
        }
        throw new AssertionError("cfn-lint is not installed, and the template tests need it: install it for python3 "
                + "(pip install cfn-lint) or run scripts/sandbox start, which installs it into .venv when moto is missing");
    }

    /** Lints the files for one region (FindInMap on AWS::Region is checked against it). */
    public Result lint(String region, List<Path> templates) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(executable.toString(), "--regions", region, "--format", "parseable", "--"));
        templates.forEach(t -> command.add(t.toString()));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("cfn-lint did not finish within 120 s");
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }
}

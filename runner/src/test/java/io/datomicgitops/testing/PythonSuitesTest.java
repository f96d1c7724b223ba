package io.datomicgitops.testing;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The project's Python code has unit tests of its own (the transactor twin's model, bench/run's helpers): they run
 * here, so that `mvn -B verify` runs every test of the project.
 */
class PythonSuitesTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({"scripts/twin, test_*.py", "bench, test_*.py"})
    void passes(String dir, String pattern) throws Exception {
        Path root = Sandbox.script().getParent().getParent();
        assertThat(root.resolve(dir)).isDirectory();
        Path log = Files.createTempFile("unittest", ".log");
        Process p = new ProcessBuilder(List.of("python3", "-m", "unittest", "discover", "-s", dir, "-p", pattern))
                .directory(root.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).as("python3 -m unittest in " + dir + " ends").isTrue();
        String out = Files.readString(log);
        Files.deleteIfExists(log);
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).as("tests ran").containsPattern("Ran [1-9]\\d* tests?").contains("OK");
    }
}

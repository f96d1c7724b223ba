package io.datomicgitops.jenkins.library;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * CodeNarc, with its Jenkins/CPS rules, over vars/ and src/: zero violations, and every file compiled far enough for
 * the rules that need types. CodeNarc runs in its own JVM on the Groovy 3 it needs (its jars are copied to
 * target/codenarc-lib by the build), with groovy-cps and the library's src/ on its class path.
 */
class CodeNarcTest {
    @TempDir
    Path tmp;

    record Result(int exitCode, String output, String report) {}

    private Result codenarc(Path base, String includes) throws IOException, InterruptedException {
        Path lib = Path.of(System.getProperty("codenarc.lib", "target/codenarc-lib"));
        List<String> cp = new ArrayList<>();
        try (Stream<Path> jars = Files.list(lib)) {
            jars.map(Path::toString).sorted().forEach(cp::add);
        }
        cp.add(Path.of(com.cloudbees.groovy.cps.NonCPS.class.getProtectionDomain().getCodeSource().getLocation().getPath()).toString());
        cp.add(base.resolve("src").toString());
        // the @Library annotation (and other Jenkins classes the harness stubs)
        cp.add(Path.of(org.jenkinsci.plugins.workflow.libs.Library.class.getProtectionDomain().getCodeSource().getLocation().getPath()).toString());
        Path report = tmp.resolve("codenarc-" + base.getFileName() + ".txt");
        Path ruleset = Path.of(CodeNarcTest.class.getResource("/codenarc/ruleset.groovy").getPath());
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", String.join(File.pathSeparator, cp), "org.codenarc.CodeNarc",
                "-basedir=" + base, "-includes=" + includes, "-rulesetfiles=file:" + ruleset,
                "-report=text:" + report, "-maxPriority1Violations=0", "-maxPriority2Violations=0",
                "-maxPriority3Violations=0").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
        return new Result(p.exitValue(), out, Files.exists(report) ? Files.readString(report) : "");
    }

    @Test
    void libraryHasNoViolations() throws Exception {
        Result r = codenarc(PipelineTestSupport.root(), "vars/*.groovy,src/**/*.groovy");
        assertThat(r.report()).as(r.output()).contains("TotalFiles=13").contains("P1=0 P2=0 P3=0");
        assertThat(r.output()).as("every file compiles for the type-aware Jenkins rules").doesNotContain("Compilation failed");
        assertThat(r.exitCode()).as(r.report()).isZero();
    }

    /**
     * Jenkinsfile.example too: what operators copy is held to the same rules. Jenkins imports the @Library annotation
     * into every Jenkinsfile itself; CodeNarc is given that import on a copy (line numbers one further down).
     */
    @Test
    void jenkinsfileExampleHasNoViolations() throws Exception {
        Path base = tmp.resolve("example");
        Files.createDirectories(base.resolve("src"));
        Files.writeString(base.resolve("Jenkinsfile.example"), "import org.jenkinsci.plugins.workflow.libs.Library\n"
                + Files.readString(PipelineTestSupport.root().resolve("Jenkinsfile.example")));
        Result r = codenarc(base, "Jenkinsfile.example");
        assertThat(r.report()).as(r.output()).contains("TotalFiles=1").contains("P1=0 P2=0 P3=0");
        assertThat(r.output()).as("the example compiles for the type-aware rules").doesNotContain("Compilation failed");
        assertThat(r.exitCode()).as(r.report()).isZero();
    }

    /** The same run on known-bad code finds the CPS mistakes, so the check above can fail. */
    @Test
    void rulesCatchCpsMistakes() throws Exception {
        Path bad = Path.of(CodeNarcTest.class.getResource("/codenarc/bad").getPath());
        Result r = codenarc(bad, "vars/*.groovy,src/**/*.groovy");
        assertThat(r.exitCode()).isNotZero();
        assertThat(r.report()).contains("Rule=ExpressionInCpsMethodNotSerializable")
                .contains("Rule=ForbiddenCallInCpsMethod")
                .contains("Rule=ClassNotSerializable")
                .contains("Rule=ClosureInGString")
                .contains("Rule=Println");
    }
}

package io.datomicgitops.jenkins.library;

import io.datomicgitops.jenkins.harness.Build;
import io.datomicgitops.jenkins.harness.Library;
import org.codehaus.groovy.runtime.InvokerHelper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * src/io/datomicgitops/jenkins/ShellQuote.groovy: every argument reaches the program literally through a real
 * POSIX sh, whatever shell metacharacters it holds; and through the sh step of a pipeline as well.
 */
class ShellQuoteTest extends PipelineTestSupport {
    static List<String> nasty() {
        return List.of("plain", "", " ", "two words", "it's", "'", "''", "'\"'\"'", "\"double\"", "$HOME", "${HOME}",
                "$(touch pwned)", "`touch pwned`", "a;touch pwned", "a && touch pwned", "a | cat", "a > pwned",
                "line1\nline2", "tab\there", "\\", "\\'", "*", "?", "[a-z]", "~", "~root", "#comment", "!", "!!",
                "-n", "--report", "-e", "%s", "€ ünïcödé", "a\rb", "'$(id)'\"`id`\"");
    }

    private static final Library LIBRARY = new Library(root());

    private Object shellQuote() throws ClassNotFoundException {
        return LIBRARY.classLoader().loadClass("io.datomicgitops.jenkins.ShellQuote");
    }

    private String command(List<?> args) throws ClassNotFoundException {
        return (String) InvokerHelper.invokeStaticMethod((Class<?>) shellQuote(), "command", new Object[]{args});
    }

    /** Runs the quoted command line under sh with a program that prints its arguments NUL-separated. */
    private List<String> throughSh(List<String> args) throws Exception {
        Path printer = tmp.resolve("printargs");
        Files.writeString(printer, "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\0' \"$a\"; done\n");
        printer.toFile().setExecutable(true);
        List<String> argv = new ArrayList<>();
        argv.add(printer.toString());
        argv.addAll(args);
        Process p = new ProcessBuilder("sh", "-c", command(argv)).directory(tmp.toFile()).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor()).isZero();
        String s = new String(out, StandardCharsets.UTF_8);
        List<String> got = new ArrayList<>(Arrays.asList(s.split("\0", -1)));
        got.remove(got.size() - 1);
        return got;
    }

    @ParameterizedTest
    @MethodSource("nasty")
    void eachArgumentArrivesLiterally(String arg) throws Exception {
        assertThat(throughSh(List.of(arg, "after"))).containsExactly(arg, "after");
        assertThat(tmp.resolve("pwned")).doesNotExist();
    }

    @Test
    void allAtOnce() throws Exception {
        assertThat(throughSh(nasty())).containsExactlyElementsOf(nasty());
        assertThat(tmp.resolve("pwned")).doesNotExist();
    }

    @Test
    void quotesWithSingleQuotes() throws Exception {
        assertThat(command(List.of("a b", "it's"))).isEqualTo("'a b' 'it'\"'\"'s'");
    }

    @Test
    void refusesNulAndNull() {
        assertThatThrownBy(() -> command(List.of("a\0b"))).hasMessageContaining("NUL");
        assertThatThrownBy(() -> command(Arrays.asList("a", null))).hasMessageContaining("null");
        assertThatThrownBy(() -> command(List.of())).hasMessageContaining("empty");
    }

    @Test
    void envRefIsExpandedByTheShellAsOneWord() throws Exception {
        Class<?> envRef = LIBRARY.classLoader().loadClass("io.datomicgitops.jenkins.EnvRef");
        Object ref = envRef.getConstructor(String.class).newInstance("SECRET_FILE");
        Path printer = tmp.resolve("p");
        Files.writeString(printer, "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\0' \"$a\"; done\n");
        printer.toFile().setExecutable(true);
        Class<?> sq = (Class<?>) shellQuote();
        String line = (String) InvokerHelper.invokeStaticMethod(sq, "command",
                new Object[]{List.of(printer.toString(), ref)});
        ProcessBuilder pb = new ProcessBuilder("sh", "-c", line);
        pb.environment().put("SECRET_FILE", "/tmp/a b;$(x)");
        Process p = pb.start();
        assertThat(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("/tmp/a b;$(x)\0");
        assertThatThrownBy(() -> envRef.getConstructor(String.class).newInstance("A;B"))
                .hasRootCauseMessage("not an environment variable name: A;B");
    }

    /** Through the pipeline: a vars step quotes a parameter and the harness' sh step (sh -xe script) runs it. */
    @Test
    void parametersWithMetacharactersPassLiterallyThroughTheShStep() throws IOException {
        Map<String, Object> params = new LinkedHashMap<>();
        for (int i = 0; i < nasty().size(); i++) params.put("P" + i, nasty().get(i));
        String jenkinsfile = """
                import io.datomicgitops.jenkins.ShellQuote
                node {
                    List argv = ['sh', '-c', 'for a in "$@"; do printf "%s\\\\0" "$a"; done', 'printargs']
                    for (int i = 0; i < COUNT; i++) {
                        argv.add(params['P' + i])
                    }
                    sh(script: ShellQuote.command(argv) + ' > args.bin')
                }
                """.replace("COUNT", String.valueOf(nasty().size()));
        Build b = jenkins.build(job("quote", jenkinsfile, Map.of()), params);
        assertSucceeded(b);
        Path ws = jenkins.home().resolve("workspace/quote");
        String s = Files.readString(ws.resolve("args.bin"));
        List<String> got = new ArrayList<>(Arrays.asList(s.split("\0", -1)));
        got.remove(got.size() - 1);
        assertThat(got).containsExactlyElementsOf(nasty());
        assertThat(ws.resolve("pwned")).doesNotExist();
    }

    /** The runner's standard error is shown as it comes, not held until it exits; saved, and its status kept. */
    @Test
    void runnerScriptStreamsStandardErrorAndKeepsTheStatus() {
        Build b = jenkins.build(job("stream", """
                import io.datomicgitops.jenkins.ShellQuote
                node {
                    int code = sh(returnStatus: true, script: ShellQuote.script(
                            ['sh', '-c', 'echo first-on-stderr >&2; sleep 1; echo then-on-stdout; exit 3'], 'err.txt'))
                    echo "status ${code}; saved: ${readFile('err.txt').trim()}"
                }
                """, Map.of()));
        assertSucceeded(b);
        String log = b.log();
        assertThat(log).contains("status 3; saved: first-on-stderr");
        assertThat(log.indexOf("\nfirst-on-stderr\n")).as(log).isPositive().isLessThan(log.indexOf("\nthen-on-stdout\n"));
    }
}

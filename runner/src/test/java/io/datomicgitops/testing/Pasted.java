package io.datomicgitops.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The commands the runner prints as advice, taken from its output and run as an operator pastes them: a printed
 * command starts with its program's name ({@code datomic-gitops}, {@code aws}, {@code git}) and ends at an unquoted
 * {@code , ; ( )} or the end of the line; bash itself splits it into words.
 */
public final class Pasted {
    private Pasted() {}

    /** What a command run in bash did. */
    public record Shell(int exitCode, String out, String err) {
        public String output() {
            return out + err;
        }
    }

    /** Every command of {@code program} printed in the text, in order. */
    public static List<String> commands(String text, String program) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("(?<![\\w-])" + Pattern.quote(program) + " ").matcher(text);
        while (m.find()) {
            int i = m.start();
            boolean single = false;
            boolean dbl = false;
            StringBuilder command = new StringBuilder();
            for (; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c == '\'' && !dbl) single = !single;
                if (c == '"' && !single) dbl = !dbl;
                if (!single && !dbl && (c == ',' || c == ';' || c == '(' || c == ')' || c == '\n' || c == '\r')) break;
                command.append(c);
            }
            out.add(command.toString().strip());
        }
        return out;
    }

    /** The one command of {@code program} in the text. */
    public static String command(String text, String program) {
        List<String> all = commands(text, program);
        if (all.size() != 1) throw new AssertionError("expected one '" + program + " ...' command, found " + all + " in:\n" + text);
        return all.get(0);
    }

    /** The arguments bash passes to the command's program when the line is pasted: quoting undone, nothing expanded by us. */
    public static List<String> arguments(String commandLine) {
        String program = commandLine.split(" ", 2)[0];
        if (!program.matches("[a-z][a-z-]*")) throw new IllegalArgumentException("not a command line: " + commandLine);
        // the program becomes a shell function that prints what it was given, NUL-separated
        Shell shell = run(program + "() { printf '%s\\0' \"$@\"; }\n" + commandLine, Map.of());
        if (shell.exitCode() != 0) throw new AssertionError("bash could not parse: " + commandLine + "\n" + shell.err());
        String out = shell.out();
        if (out.isEmpty()) return List.of();
        return Arrays.asList(out.substring(0, out.length() - 1).split("\0", -1));
    }

    /**
     * Runs the line with bash, in an environment of PATH, HOME and {@code env} only; the AWS CLI reads no config or
     * credentials file, so what it needs must be in the line or in {@code env}.
     */
    public static Shell run(String commandLine, Map<String, String> env) {
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", commandLine);
        Map<String, String> e = pb.environment();
        e.clear();
        e.put("PATH", System.getenv("PATH"));
        if (System.getenv("HOME") != null) e.put("HOME", System.getenv("HOME"));
        e.put("AWS_CONFIG_FILE", "/nonexistent/aws-config");
        e.put("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/aws-credentials");
        e.put("AWS_PAGER", "");
        e.putAll(env);
        try {
            Process p = pb.start();
            p.getOutputStream().close();
            CompletableFuture<String> out = read(p.getInputStream());
            CompletableFuture<String> err = read(p.getErrorStream());
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("timed out: " + commandLine);
            }
            return new Shell(p.exitValue(), out.join(), err.join());
        } catch (IOException e1) {
            throw new UncheckedIOException(e1);
        } catch (InterruptedException e1) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e1);
        }
    }

    /** True when the AWS CLI can be run here. */
    public static boolean awsCli() {
        try {
            return run("aws --version", Map.of()).exitCode() == 0;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static CompletableFuture<String> read(InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            try (in) {
                ByteArrayOutputStream buf = new ByteArrayOutputStream();
                in.transferTo(buf);
                return buf.toString(StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }
}

package io.datomicgitops.testing;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The AWS CLI, as the transactor's start-up script runs it (aws secretsmanager get-secret-value at boot): tests that
 * check what an instance would read call the real executable against the sandbox, never a stand-in.
 */
public final class AwsCli {
    private AwsCli() {}

    /** The {@code aws} executable on the PATH; a test that needs it fails naming what to install. */
    public static String path() {
        for (String d : System.getenv("PATH").split(File.pathSeparator)) {
            Path aws = Path.of(d, "aws");
            if (Files.isExecutable(aws)) return aws.toString();
        }
        throw new AssertionError("the AWS CLI (aws) is not on the PATH: install it (pip install awscli); the transactor's "
                + "start-up script reads secrets with it");
    }

    /** Runs {@code aws --endpoint-url ENDPOINT ARGS...} with {@code env} (credentials, region); returns its output. */
    public static String run(Map<String, String> env, URI endpoint, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(path(), "--endpoint-url", endpoint.toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("aws " + String.join(" ", args) + " did not finish in 60 s");
        }
        if (p.exitValue() != 0) throw new AssertionError("aws " + String.join(" ", args) + " exited with " + p.exitValue() + ": " + output);
        return output;
    }
}

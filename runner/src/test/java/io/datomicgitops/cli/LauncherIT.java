package io.datomicgitops.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * bin/datomic-gitops on the shaded jar: the class-data sharing archive is built on the first run and used after it,
 * and neither building it, nor an archive the JVM rejects, nor turning it off changes what the command prints.
 */
class LauncherIT {
    private static Path launcher;
    private static Path jar;

    @BeforeAll
    static void find() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isRegularFile(dir.resolve("bin/datomic-gitops"))) dir = dir.getParent();
        assertThat(dir).as("bin/datomic-gitops above " + Path.of("").toAbsolutePath()).isNotNull();
        launcher = dir.resolve("bin/datomic-gitops");
        jar = Path.of(System.getProperty("runner.jar", dir.resolve("runner/target/datomic-gitops.jar").toString()));
        assertThat(jar).exists();
    }

    record Run(int code, String out, String err) {}

    private static Run run(Path cds, Map<String, String> env, String... args) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(Stream.concat(Stream.of(launcher.toString()), Stream.of(args)).toList());
        pb.environment().put("DATOMIC_GITOPS_JAR", jar.toString());
        pb.environment().put("DATOMIC_GITOPS_CDS_DIR", cds.toString());
        pb.environment().remove("DATOMIC_GITOPS_CDS");
        pb.environment().putAll(env);
        Path out = Files.createTempFile("launcher-out", ".txt");
        Path err = Files.createTempFile("launcher-err", ".txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("launcher finished").isTrue();
        try {
            return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.delete(out);
            Files.delete(err);
        }
    }

    private static List<Path> archives(Path cds) throws IOException {
        if (!Files.isDirectory(cds)) return List.of();
        try (Stream<Path> files = Files.list(cds)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".jsa")).toList();
        }
    }

    @Test
    void buildsTheArchiveOnceAndUsesItWithoutChangingTheOutput(@TempDir Path tmp) throws Exception {
        Path cds = tmp.resolve("cds");
        Run first = run(cds, Map.of(), "--version");
        assertThat(first.code()).isZero();
        assertThat(first.out()).startsWith("datomic-gitops ").hasLineCount(1);
        assertThat(first.err()).contains("preparing a class-data sharing archive");
        List<Path> made = archives(cds);
        assertThat(made).hasSize(1);
        assertThat(Files.size(made.get(0))).as("the archive holds the trained classes").isGreaterThan(10_000_000L);

        Run second = run(cds, Map.of(), "--version");
        assertThat(second).isEqualTo(new Run(0, first.out(), ""));
        assertThat(archives(cds)).isEqualTo(made);

        Run help = run(cds, Map.of(), "create-cf-template", "--help");
        assertThat(help.code()).isZero();
        assertThat(help.out()).contains("Usage: datomic-gitops create-cf-template");
        assertThat(help.err()).isEmpty();
    }

    @Test
    void anArchiveTheJvmRejectsIsIgnoredSilently(@TempDir Path tmp) throws Exception {
        Path cds = tmp.resolve("cds");
        assertThat(run(cds, Map.of(), "--version").code()).isZero();
        Path archive = archives(cds).get(0);
        archive.toFile().setWritable(true);
        Files.write(archive, "not an archive".getBytes(StandardCharsets.UTF_8));

        Run run = run(cds, Map.of(), "--version");
        assertThat(run.code()).isZero();
        assertThat(run.out()).startsWith("datomic-gitops ").hasLineCount(1);
        assertThat(run.err()).isEmpty();
    }

    @Test
    void offMeansNoArchiveAndAnUnwritableDirectoryMeansNoneEither(@TempDir Path tmp) throws Exception {
        Path cds = tmp.resolve("cds");
        Run off = run(cds, Map.of("DATOMIC_GITOPS_CDS", "off"), "--version");
        assertThat(off.code()).isZero();
        assertThat(off.err()).isEmpty();
        assertThat(cds).doesNotExist();

        Path blocked = tmp.resolve("file-not-dir");
        Files.writeString(blocked, "x");
        Run noDir = run(blocked.resolve("cds"), Map.of(), "--version");
        assertThat(noDir.code()).isZero();
        assertThat(noDir.out()).startsWith("datomic-gitops ");
        assertThat(noDir.err()).isEmpty();
    }
}

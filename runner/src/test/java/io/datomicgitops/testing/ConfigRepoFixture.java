package io.datomicgitops.testing;

import io.datomicgitops.cli.CliRun;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.revwalk.RevCommit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A config repo for flow tests: the project's own examples/config-repo in a bare repository on disk, a runner
 * clone of it, and the runner's CLI run in-process against the sandbox.
 */
public final class ConfigRepoFixture {
    public static final String LICENSE = "LICENSE-KEY-7f3a9c2e-never-leak";

    public final Path root;
    public final Path bare;
    public final Path clone;
    public final Map<String, String> env;

    private ConfigRepoFixture(Path root, Path bare, Map<String, String> env) {
        this.root = root;
        this.bare = bare;
        this.clone = root.resolve("work");
        this.env = env;
    }

    /** The example repo, optionally with extra stacks copied from the demo stack under other names. */
    public static ConfigRepoFixture create(Path root, Sandbox sandbox, String... extraStacks) throws Exception {
        Map<String, String> files = exampleFiles();
        for (String extra : extraStacks) {
            Map<String, String> copy = new LinkedHashMap<>();
            files.forEach((k, v) -> {
                if (k.startsWith("stacks/demo/")) {
                    copy.put(k.replace("stacks/demo/", "stacks/" + extra + "/"), v.replace("demo-datomic", extra + "-datomic"));
                }
            });
            files.putAll(copy);
        }
        Path bare = TestRepos.bareWith(root, "main", files);
        Map<String, String> env = new LinkedHashMap<>(sandbox.env());
        env.put("DATOMIC_LICENSE_KEY", LICENSE);
        return new ConfigRepoFixture(root, bare, env);
    }

    public static Map<String, String> exampleFiles() throws IOException {
        Path example = examples();
        Map<String, String> files = new LinkedHashMap<>();
        try (Stream<Path> walk = Files.walk(example)) {
            for (Path p : walk.filter(Files::isRegularFile).sorted().toList()) {
                files.put(example.relativize(p).toString().replace('\\', '/'), Files.readString(p));
            }
        }
        return files;
    }

    static Path examples() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isDirectory(dir.resolve("examples/config-repo"))) dir = dir.getParent();
        if (dir == null) throw new IllegalStateException("examples/config-repo not found");
        return dir.resolve("examples/config-repo");
    }

    public String url() {
        return bare.toUri().toString();
    }

    public CliRun run(String... args) {
        return CliRun.run(env, args);
    }

    public CliRun checkout() {
        return run("checkout", "--repo", url(), "--dir", clone.toString(), "--report", root.resolve("checkout.json").toString());
    }

    /** Another person pushes a change to the remote. */
    public String push(Map<String, String> files, String message) {
        try {
            return TestRepos.pushChange(bare, root.resolve("operator"), "main", files, message);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public String remoteFile(String path) {
        try (Git git = Git.open(bare.toFile())) {
            var repo = git.getRepository();
            var commit = repo.parseCommit(repo.resolve("refs/heads/main"));
            try (var tw = org.eclipse.jgit.treewalk.TreeWalk.forPath(repo, path, commit.getTree())) {
                return tw == null ? null : new String(repo.open(tw.getObjectId(0)).getBytes(), java.nio.charset.StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The remote branch's commits, newest first. */
    public List<RevCommit> remoteLog() {
        try (Git git = Git.open(bare.toFile())) {
            List<RevCommit> out = new ArrayList<>();
            git.log().add(git.getRepository().resolve("refs/heads/main")).call().forEach(out::add);
            return out;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public List<String> remoteTags() {
        try (Git git = Git.open(bare.toFile())) {
            return git.tagList().call().stream().map(r -> r.getName()).toList();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}

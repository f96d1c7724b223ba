package io.datomicgitops.git;

import io.datomicgitops.report.Log;
import io.datomicgitops.testing.TestRepos;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gc a fetch triggers runs inside the run, not beside it: JGit's default (gc.autoDetach) runs it on a background
 * thread that holds gc.log.lock and rewrites packs and refs while the run goes on, so the run's own clearing of
 * lock files left by a killed run met it half-way ("checkout failed: NoSuchFileException .git/gc.log.lock", a
 * reliability test under load), and a JVM that exits kills it mid-way.
 */
class GitGcTest {
    @TempDir Path tmp;

    @Test
    void theGcAFetchTriggersIsDoneWhenTheCheckoutReturns() throws Exception {
        Path bare = TestRepos.bareWith(tmp.resolve("server"), "main", Map.of("stacks/demo/cf.properties", "aws-region=us-east-1\n"));
        Path clone = tmp.resolve("clone");
        GitRepo.checkout(bare.toUri().toString(), "main", clone, GitAuth.none(), Map.of(), Log.NONE).close();
        try (Git git = Git.open(clone.toFile())) {
            var config = git.getRepository().getConfig();
            config.setInt("gc", null, "auto", 1); // any loose object is one too many: the next fetch triggers a gc
            config.save();
            // loose objects a gc packs: what the tool's own commits leave in a clone, here many at once on a side branch
            // (JGit's gc.auto estimate counts the loose objects in objects/17: enough blobs to put three there)
            Map<String, String> files = new HashMap<>();
            var ids = new org.eclipse.jgit.lib.ObjectInserter.Formatter();
            for (int i = 0, in17 = 0; in17 < 3; i++) {
                String content = "stack-name=s" + i + "\n";
                files.put("stacks/s" + i + "/cf.properties", content);
                if (ids.idFor(org.eclipse.jgit.lib.Constants.OBJ_BLOB, content.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                        .name().startsWith("17")) in17++;
            }
            git.checkout().setCreateBranch(true).setName("scratch").call();
            TestRepos.commitFiles(git, files, "many stacks");
            git.checkout().setName("main").call();
        }
        TestRepos.pushChange(bare, tmp.resolve("other"), "main", Map.of("stacks/demo/NOTES", "a change to fetch\n"), "notes");

        GitRepo.checkout(bare.toUri().toString(), "main", clone, GitAuth.none(), Map.of(), Log.NONE).close();

        Path git = clone.resolve(".git");
        assertThat(git.resolve("gc.log.lock")).as("no gc still running").doesNotExist();
        try (Stream<Path> loose = Files.list(git.resolve("objects"))) {
            assertThat(loose.filter(d -> d.getFileName().toString().matches("[0-9a-f]{2}")).flatMap(GitGcTest::list).toList())
                    .as("loose objects: the gc the fetch triggered has packed them before the checkout returned").isEmpty();
        }
    }

    private static Stream<Path> list(Path dir) {
        try {
            return Files.list(dir).toList().stream();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}

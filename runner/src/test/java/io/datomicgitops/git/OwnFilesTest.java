package io.datomicgitops.git;

import io.datomicgitops.report.Log;
import io.datomicgitops.testing.TestRepos;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class OwnFilesTest {
    @TempDir
    Path tmp;

    @Test
    void reportsWrittenInsideTheCloneAreIgnoredByItAndOnlyThey() throws Exception {
        Path bare = TestRepos.bareWith(tmp, "main", Map.of("stacks/prod/deploy.properties", "stack-name=prod\n", "README.md", "config\n"));
        Path clone = tmp.resolve("work");
        GitRepo.checkout(bare.toUri().toString(), "main", clone, GitAuth.none(), Map.of(), Log.NONE).close();
        Path report = clone.resolve("report.json");
        Path planMd = clone.resolve("stacks/prod/plan [pr 7].md");
        Path outside = tmp.resolve("report.json");
        for (Path p : new Path[]{report, planMd, outside}) Files.writeString(p, "{}");

        for (int i = 0; i < 2; i++) { // a second run adds nothing
            OwnFiles.keepOutOfClone(clone, report, Log.NONE);
            OwnFiles.keepOutOfClone(clone, clone.resolve("stacks/prod/../prod/plan [pr 7].md"), Log.NONE);
            OwnFiles.keepOutOfClone(clone, outside, Log.NONE);
            OwnFiles.keepOutOfClone(clone, clone.resolve(".git/report.json"), Log.NONE);
        }

        assertThat(Files.readString(clone.resolve(".git/info/exclude")))
                .isEqualTo(OwnFiles.HEADER + "\n/report.json\n/stacks/prod/plan \\[pr 7\\].md\n");
        Files.writeString(clone.resolve("stacks/prod/notes.md"), "mine"); // anyone else's file is still local work
        try (GitRepo repo = GitRepo.open(clone, GitAuth.none(), Map.of(), Log.NONE)) {
            assertThat(repo.uncommittedChanges()).containsExactly("stacks/prod/notes.md");
        }
        Files.delete(clone.resolve("stacks/prod/notes.md"));
        GitRepo.checkout(bare.toUri().toString(), "main", clone, GitAuth.none(), Map.of(), Log.NONE).close();
        assertThat(report).exists();
        assertThat(planMd).exists();
    }

    @Test
    void aCloneWithoutGitOrAFileOutsideItIsLeftAlone() throws Exception {
        Path plain = Files.createDirectories(tmp.resolve("plain"));
        OwnFiles.keepOutOfClone(plain, plain.resolve("report.json"), Log.NONE);
        OwnFiles.keepOutOfClone(null, plain.resolve("report.json"), Log.NONE);
        assertThat(plain.resolve(".git")).doesNotExist();
    }
}

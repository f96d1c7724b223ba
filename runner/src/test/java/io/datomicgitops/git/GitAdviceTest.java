package io.datomicgitops.git;

import io.datomicgitops.ToolException;
import io.datomicgitops.cli.CliRun;
import io.datomicgitops.report.Log;
import io.datomicgitops.testing.Pasted;
import io.datomicgitops.testing.TestRepos;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The git advice the runner prints, pasted into bash as printed, in a clone whose path needs quoting. */
class GitAdviceTest {
    @TempDir
    Path tmp;

    @Test
    void aRebaseThatCannotBeAbortedIsAbortedByThePrintedGitCommandFromAnyDirectory() throws Exception {
        Path clone = tmp.resolve("it's a clone");
        Files.createDirectories(clone);
        String q = io.datomicgitops.CommandLines.quote(clone.toString());
        git(q, "init -q -b main", "config user.email o@example.com", "config user.name Olga");
        Files.writeString(clone.resolve("tx.properties"), "port=4334\n");
        git(q, "add tx.properties", "commit -q -m base", "checkout -q -b ours");
        Files.writeString(clone.resolve("tx.properties"), "port=4335\n");
        git(q, "commit -q -am ours", "checkout -q main");
        Files.writeString(clone.resolve("tx.properties"), "port=4336\n");
        git(q, "commit -q -am theirs", "checkout -q ours");
        assertThat(Pasted.run("git -C " + q + " rebase main", Map.of()).exitCode()).as("the rebase stops on its conflict").isNotZero();
        assertThat(Files.isDirectory(clone.resolve(".git/rebase-merge"))).isTrue();

        String command = Pasted.command(GitRepo.rebaseAbortTodo(clone), "git");
        Pasted.Shell pasted = Pasted.run(command, Map.of());
        assertThat(pasted.exitCode()).as(command + "\n" + pasted.output()).isZero();
        assertThat(Files.exists(clone.resolve(".git/rebase-merge"))).isFalse();
        assertThat(Files.readString(clone.resolve("tx.properties"))).isEqualTo("port=4335\n");
    }

    @Test
    void aDirectoryThatIsNoCloneBecomesOneByThePrintedCheckoutOnceTheUrlIsFilledIn() throws Exception {
        Path bare = TestRepos.bareWith(tmp, "main", Map.of("stacks/prod/deploy.properties", "stack-name=prod\n"));
        Path dir = Files.createDirectories(tmp.resolve("ops work"));
        ToolException e = catchThrowableOfType(() -> GitRepo.open(dir, GitAuth.none(), Map.of(), Log.NONE), ToolException.class);
        assertThat(e.getMessage()).contains("not a git working copy");

        List<String> args = new ArrayList<>(Pasted.arguments(Pasted.command(e.todo(), "datomic-gitops")));
        assertThat(args).containsSubsequence("checkout", "--dir", dir.toString(), "--repo", "URL");
        args.set(args.indexOf("URL"), bare.toUri().toString()); // the one word the operator fills in
        args.addAll(List.of("--report", tmp.resolve("checkout.json").toString())); // not into the build's directory
        CliRun run = CliRun.run(args.toArray(String[]::new));
        assertThat(run.exitCode()).as(run.err()).isZero();
        try (GitRepo repo = GitRepo.open(dir, GitAuth.none(), Map.of(), Log.NONE)) {
            assertThat(repo.branch()).isEqualTo("main");
        }
    }

    private static void git(String quotedDir, String... commands) {
        for (String c : commands) {
            Pasted.Shell r = Pasted.run("git -C " + quotedDir + " " + c, Map.of());
            assertThat(r.exitCode()).as("git " + c + ": " + r.output()).isZero();
        }
    }
}

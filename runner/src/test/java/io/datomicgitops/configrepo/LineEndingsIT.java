package io.datomicgitops.configrepo;

import io.datomicgitops.cli.CliRun;
import io.datomicgitops.testing.ConfigRepoFixture;
import io.datomicgitops.testing.Sandbox;
import io.datomicgitops.testing.SandboxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Quiet when nothing changed, whatever the repo's attributes: with {@code * text eol=crlf} the clone holds CRLF files
 * while git and the generated template hold LF. Plan and apply compare content, not line endings.
 */
@ExtendWith(SandboxExtension.class)
class LineEndingsIT {
    @TempDir
    Path tmp;

    @Test
    void aCrlfCheckoutIsNotAChange(Sandbox sandbox) throws Exception {
        sandbox.reset();
        ConfigRepoFixture repo = ConfigRepoFixture.create(tmp, sandbox);
        repo.push(Map.of(".gitattributes", "* text eol=crlf\n"), "Windows line endings in working copies");
        CliRun checkout = repo.checkout();
        assertThat(checkout.exitCode()).as(checkout.err()).isZero();
        assertThat(Files.readString(repo.clone.resolve("stacks/demo/cf.properties"))).as("the checkout follows .gitattributes").contains("\r\n");

        CliRun first = repo.run("apply", "--dir", repo.clone.toString(), "--report", tmp.resolve("a1.json").toString());
        assertThat(first.exitCode()).as(first.err()).isZero();
        deleteTree(repo.clone); // a fresh clone: every file as .gitattributes checks it out, the template the apply wrote too
        assertThat(repo.checkout().exitCode()).isZero();
        assertThat(Files.readString(repo.clone.resolve("stacks/demo/cf.json"))).contains("\r\n");
        int commits = repo.remoteLog().size();
        List<String> tags = repo.remoteTags();

        CliRun plan = repo.run("plan", "--dir", repo.clone.toString(), "--report", tmp.resolve("p.json").toString(),
                "--plan-md", tmp.resolve("p.md").toString());
        assertThat(plan.exitCode()).as(plan.out() + plan.err()).isZero();
        assertThat(plan.out()).contains("demo: no changes");

        CliRun again = repo.run("apply", "--dir", repo.clone.toString(), "--report", tmp.resolve("a2.json").toString());
        assertThat(again.exitCode()).as(again.err()).isZero();
        assertThat(again.out()).contains("demo: nothing to do");
        assertThat(repo.remoteLog()).as("no commit").hasSize(commits);
        assertThat(repo.remoteTags()).as("no new tag").isEqualTo(tags);
    }

    private static void deleteTree(Path dir) throws Exception {
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }
}

package io.datomicgitops.jenkins.library;

import com.fasterxml.jackson.databind.JsonNode;
import io.datomicgitops.jenkins.harness.Build;
import io.datomicgitops.jenkins.harness.GitScm;
import io.datomicgitops.jenkins.harness.Job;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Scenarios that deploy from main once approved: the approver recorded (across a restart; the lock outside node, per
 * repo) and the runner's own push that follows (NOT_BUILT), a newer approved build superseding the older, the two-line
 * form refusing the change's author as approver.
 */
class JenkinsfileApprovalIT extends ScenarioSupport {
    @Test
    void mainBuildApprovedDeploysAndRecordsTheApprover() throws Exception {
        Build b = jenkins.build(mainJob(jenkinsfileExample()));
        assertThat(b.pendingInput()).as(b.log()).isNotNull();
        // what the approver reads is the runner's details for the stack, line by line, as report.json gives them
        JsonNode details = planReport(b).path("stacks").path("demo").path("details");
        assertThat(details).isNotEmpty();
        StringBuilder shown = new StringBuilder("Stack demo (" + planReport(b).path("stacks").path("demo").path("stackName").asText() + ")\n");
        details.forEach(line -> shown.append("  ").append(line.asText()).append('\n'));
        assertThat(b.log()).contains(shown.toString());
        assertThat(b.pendingInput().message()).doesNotContain("\n").startsWith("Deploy main ")
                .endsWith("(stacks: demo)? The plan: " + b.url() + "artifact/datomic-gitops/plan/plan.md");
        assertThat(b.steps("input").get(0).inside("node")).isFalse();
        // the controller restarts while the build waits: the plan and the approval survive it
        jenkins.restart();
        b.approve("alice", "datomic-approvers");
        assertSucceeded(b);
        assertThat(runnerCalls(b)).containsExactly("checkout", "plan", "checkout", "apply");
        // the lock: waited for holding no executor, named by config repo and stack
        assertThat(b.steps("lock")).singleElement().satisfies(lock -> {
            assertThat(lock.inside("node")).isFalse();
            assertThat(String.valueOf(lock.arg("resource"))).startsWith("datomic-gitops 127.0.0.1/").endsWith(" demo")
                    .contains(bare.getFileName().toString().replaceFirst("\\.git$", "")).doesNotContain("git@");
        });
        assertThat(b.steps("sh").stream().filter(s -> String.valueOf(s.arg("script")).contains("'apply'")))
                .allSatisfy(s -> assertThat(s.inside("lock")).isTrue());
        assertThat(b.artifact("datomic-gitops/apply/report.json")).exists();
        List<String> messages = messagesSince("main", null);
        assertThat(messages).anySatisfy(m -> assertThat(m).contains("Approved-by: alice").contains("Build-URL: " + b.url()));

        // the runner's push of the deployment record starts a build of main: it ends at once, saying why
        Build own = jenkins.build(b.job());
        assertThat(own.result()).as(own.log()).isEqualTo("NOT_BUILT");
        assertThat(own.description()).startsWith("datomic-gitops: not built: the ").contains("commit(s) this build brings in are the runner's own");
        assertThat(runnerCalls(own)).as("the runner is neither fetched nor run").isEmpty();
        assertThat(own.steps("input")).isEmpty();
    }

    @Test
    void newerApprovedBuildSupersedesTheOlderWaitingOne() throws Exception {
        Job job = mainJob(TWO_LINE);
        Build older = jenkins.build(job);
        Build newer = jenkins.build(job);
        assertThat(older.pendingInput()).as(older.log()).isNotNull();
        assertThat(newer.pendingInput()).as(newer.log()).isNotNull();
        newer.approve("bob", "datomic-approvers");
        assertSucceeded(newer);
        assertThat(older.result()).isEqualTo("NOT_BUILT");
        assertThat(runnerCalls(older)).doesNotContain("apply");
        assertThat(messagesSince("main", null)).filteredOn(m -> m.contains("Approved-by:")).allMatch(m -> m.contains("Approved-by: bob"));
    }

    @Test
    void theTwoLineFormRefusesTheAuthorOfTheChangeAsApprover() throws Exception {
        Job main = mainJob(TWO_LINE);
        Build first = jenkins.build(main);
        first.abort("alice");
        // dave's change to main: the next build's change log (recorded by datomicDeploy's checkout of the job's SCM)
        try (Git g = Git.cloneRepository().setURI(bare.toUri().toString()).setDirectory(tmp.resolve("dave").toFile()).call()) {
            PersonIdent dave = new PersonIdent("dave", "dave@example.com");
            Files.writeString(tmp.resolve("dave/stacks/demo/NOTES"), "dave's note\n");
            g.add().addFilepattern(".").call();
            g.commit().setMessage("notes").setAuthor(dave).setCommitter(dave).setSign(false).call();
            g.push().call();
        }
        Build second = jenkins.build(main);
        assertThat(second.changes()).as(second.log()).extracting(GitScm.Change::authorId).containsExactly("dave");
        second.approve("dave", "datomic-approvers");
        assertThat(second.pendingInput()).as("still waiting; log:%n%s", second.log()).isNotNull();
        assertThat(second.log()).contains("approval refused: dave authored a change in this build");
        second.abort("erin");
        assertThat(runnerCalls(second)).doesNotContain("apply");
    }
}

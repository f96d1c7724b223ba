package io.datomicgitops.jenkins.library;

import com.fasterxml.jackson.databind.JsonNode;
import io.datomicgitops.jenkins.harness.Build;
import io.datomicgitops.jenkins.harness.Job;
import io.datomicgitops.testing.TestRepos;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Scenarios that deploy from main: approved (across a restart), aborted at approval and during Apply, timed out,
 * superseded and queued builds, a runner error.
 */
class JenkinsfileScenarioIT extends ScenarioSupport {
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
    void abortedDuringApplySaysTheDeploymentMayBeUnfinished() throws Exception {
        Build b = jenkins.build(mainJob(jenkinsfileExample()));
        // another job of the same config repo holds the stack's lock: the approved build waits for it in Apply
        String resource = "datomic-gitops " + url.replaceFirst("^ssh://git@", "").replaceFirst(":[0-9]+/", "/")
                .replaceFirst("\\.git$", "") + " demo";
        Build holder = jenkins.build(job("config/other", "lock(resource: '" + resource + "') { input 'hold' }", Map.of()));
        b.approve("alice", "datomic-approvers");
        assertThat(b.waitingForLock()).as(b.log()).isEqualTo(resource);
        assertThat(b.steps("node")).as("waiting for the lock holds no agent").hasSize(1);
        b.abortBuild("alice");
        assertThat(b.result()).isEqualTo("ABORTED");
        assertThat(b.log()).contains("datomic-gitops: aborted during Apply")
                .doesNotContain("not deployed (approval rejected");
        assertThat(runnerCalls(b)).doesNotContain("apply");
        holder.abort("bob");
    }

    @Test
    void abortedApprovalAppliesNothing() throws Exception {
        String before = head("main");
        Build b = jenkins.build(mainJob(jenkinsfileExample()));
        b.abort("alice");
        assertThat(b.result()).isEqualTo("ABORTED");
        assertThat(runnerCalls(b)).containsExactly("checkout", "plan");
        assertThat(head("main")).isEqualTo(before);
    }

    @Test
    void approvalTimeoutAppliesNothing() throws Exception {
        String before = head("main");
        Build b = jenkins.build(mainJob(jenkinsfileExample()));
        jenkins.advance(Duration.ofHours(25));
        assertThat(b.result()).isEqualTo("ABORTED");
        assertThat(b.log()).contains("Timeout has been exceeded");
        assertThat(runnerCalls(b)).containsExactly("checkout", "plan");
        assertThat(head("main")).isEqualTo(before);
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
    void exampleQueuesANewerBuildBehindOneWaitingForApproval() throws Exception {
        Job job = mainJob(jenkinsfileExample());
        Build first = jenkins.build(job);
        Build second = jenkins.build(job);
        assertThat(first.pendingInput()).isNotNull();
        assertThat(second.state()).isEqualTo(Build.State.QUEUED);
        first.abort("alice");
        assertThat(second.pendingInput()).as(second.log()).isNotNull();
    }

    @Test
    void runnerErrorFailsTheBuildWithItsMessage() throws Exception {
        TestRepos.pushChange(bare, tmp.resolve("author"), "main",
                Map.of("stacks/demo/deploy.properties", "replace-strategy=sideways\n"), "bad strategy");
        Build b = jenkins.build(mainJob(jenkinsfileExample()));
        assertThat(b.result()).isEqualTo("FAILURE");
        assertThat(b.log()).containsPattern("ERROR: datomic-gitops plan failed \\(exit 3\\): .*replace-strategy");
        assertThat(b.steps("input")).isEmpty();
    }
}

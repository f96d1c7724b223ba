package io.datomicgitops.jenkins.library;

import io.datomicgitops.jenkins.harness.Build;
import io.datomicgitops.jenkins.harness.Job;
import io.datomicgitops.testing.TestRepos;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Builds of main that end without applying anything: approval aborted or timed out, aborted while waiting for the lock in
 * Apply, queued behind one waiting for approval, a runner error, a branch that moved after the plan.
 */
class JenkinsfileNothingAppliedIT extends ScenarioSupport {
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

    @Test
    void aPlanOfAnExistingCloneStillRefusesABranchThatMoved() throws Exception {
        String script = """
                @Library('datomic-gitops') _
                def runner = [gitCredentialsId: 'datomic-config-repo', awsCredentialsId: 'datomic-aws',
                              secrets: [DATOMIC_LICENSE_KEY: 'datomic-license-key']]
                def plan
                node {
                    datomicRunner(runner + [command: 'checkout', gitAuth: true, repo: env.URL,
                                            arguments: ['--repo', env.URL, '--branch', 'main', '--dir', 'mine']])
                    plan = datomicPlan(runner + [checkout: false, dir: 'mine', repo: env.URL, branch: 'main'])
                }
                input 'push to main now'
                datomicApply(runner + [plan: plan, approvedBy: 'alice'])
                """;
        Build b = jenkins.build(job("config/main", script, Map.of("BRANCH_NAME", "main", "URL", url)));
        assertThat(b.pendingInput()).as(b.log()).isNotNull();
        String moved = TestRepos.pushChange(bare, tmp.resolve("author"), "main", Map.of("stacks/demo/NOTES", "x\n"), "notes");
        b.approve("alice");
        assertThat(b.result()).as(b.log()).isEqualTo("FAILURE");
        assertThat(b.log()).contains("datomicApply: main moved from").contains("to " + moved + "; nothing was applied");
        assertThat(runnerCalls(b)).doesNotContain("apply");
    }
}

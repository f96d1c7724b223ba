package io.datomicgitops.jenkins.library;

import io.datomicgitops.jenkins.harness.Build;
import io.datomicgitops.jenkins.harness.Job;
import io.datomicgitops.jenkins.harness.PendingInput;
import io.datomicgitops.jenkins.harness.StepRecord;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** datomicApprove: the approval gate, on a Plan made from a plan report of the documented shape. */
class ApproveStepTest extends PipelineTestSupport {
    static final String PLAN = """
            import io.datomicgitops.jenkins.Plan
            def report = [exitCode: EXIT, status: 'changes-pending', stacks: [
                prod: [stackName: 'datomic-prod', changes: CHANGES, resourcesToCreate: 1, resourcesToUpdate: 0,
                       keysToWrite: ['aws-s3-log-bucket-id'], templateChanged: true, templateDiffLines: 12,
                       changeSetChanges: 2, replacements: 1, instancesToReplace: 1, strategy: 'surge', drift: []]]]
            def plan = Plan.fromReport(report, 'ssh://git@example.com/config.git', 'main', '0123456789abcdef', 'c')
            """;

    private Job gate(String approveCall, boolean changes) {
        String script = PLAN.replace("EXIT", changes ? "2" : "0").replace("CHANGES", String.valueOf(changes))
                + "def who = " + approveCall + "\necho \"gate returned ${who}\"\n";
        return job("gate", script, Map.of("BRANCH_NAME", "main"));
    }

    @Test
    void showsThePlanAndReturnsTheApprover() {
        Build b = jenkins.build(gate("datomicApprove(plan: plan, submitter: 'alice, datomic-approvers')", true));
        PendingInput in = b.pendingInput();
        assertThat(in).as(b.log()).isNotNull();
        assertThat(in.message()).contains("Deploy main 0123456789?")
                .contains("Stack prod (datomic-prod)")
                .contains("AWS resources: 1 to create, 0 to update (writes aws-s3-log-bucket-id)")
                .contains("Template: 12 diff lines")
                .contains("Change set: 2 changes, 1 with replacement")
                .contains("Instances to replace: 1 (strategy surge)");
        assertThat(in.ok()).isEqualTo("Deploy");
        assertThat(in.submitterParameter()).isEqualTo("approver");

        assertThatThrownBy(() -> b.approve("mallory")).hasMessageContaining("may not approve");
        b.approve("carol", "datomic-approvers");
        assertSucceeded(b);
        assertThat(b.log()).contains("gate returned carol");

        assertThat(b.stepNames()).containsSubsequence("milestone", "timeout", "input", "milestone");
        StepRecord input = b.steps("input").get(0);
        assertThat(input.inside("timeout")).isTrue();
        assertThat(input.inside("node")).as("input waits without holding an executor").isFalse();
        assertThat(b.steps("timeout").get(0).args()).containsEntry("time", 24).containsEntry("unit", "HOURS");
    }

    @Test
    void abortedApprovalStopsTheBuild() {
        Build b = jenkins.build(gate("datomicApprove(plan: plan, submitter: 'alice')", true));
        b.abort("alice");
        assertThat(b.result()).isEqualTo("ABORTED");
        assertThat(b.log()).contains("Rejected by alice").doesNotContain("gate returned");
    }

    @Test
    void approvalTimesOut() {
        Build b = jenkins.build(gate("datomicApprove(plan: plan, timeout: 30, timeoutUnit: 'MINUTES')", true));
        jenkins.advance(Duration.ofMinutes(29));
        assertThat(b.pendingInput()).isNotNull();
        jenkins.advance(Duration.ofMinutes(2));
        assertThat(b.result()).isEqualTo("ABORTED");
        assertThat(b.log()).contains("Timeout has been exceeded").doesNotContain("gate returned");
    }

    @Test
    void nothingToApproveWhenThePlanHasNoChanges() {
        Build b = jenkins.build(gate("datomicApprove(plan: plan)", false));
        assertSucceeded(b);
        assertThat(b.steps("input")).isEmpty();
        assertThat(b.log()).contains("nothing to approve").contains("gate returned null");
    }

    @Test
    void refusesToWaitInsideNode() {
        Build b = jenkins.build(gate("node { datomicApprove(plan: plan) }", true));
        assertThat(b.result()).isEqualTo("FAILURE");
        assertThat(b.log()).contains("datomicApprove: call it outside node");
        assertThat(b.steps("input")).isEmpty();
    }

    @Test
    void newerApprovedBuildSupersedesAnOlderWaitingOne() {
        Job job = gate("datomicApprove(plan: plan)", true);
        Build older = jenkins.build(job);
        Build newer = jenkins.build(job);
        assertThat(older.pendingInput()).isNotNull();
        assertThat(newer.pendingInput()).isNotNull();
        newer.approve("alice");
        assertSucceeded(newer);
        assertThat(older.result()).as("older build, waiting when the newer one was approved").isEqualTo("NOT_BUILT");
        assertThat(older.log()).contains("Superseded by gate #2").doesNotContain("gate returned");
    }

    @Test
    void olderBuildApprovedFirstStillGoesFirst() {
        Job job = gate("datomicApprove(plan: plan)", true);
        Build older = jenkins.build(job);
        Build newer = jenkins.build(job);
        older.approve("alice");
        assertSucceeded(older);
        assertThat(newer.pendingInput()).isNotNull();
        newer.approve("bob");
        assertSucceeded(newer);
    }
}

package io.datomicgitops.jenkins.library;

import io.datomicgitops.config.Redactor;
import io.datomicgitops.deploy.PlanSummary;
import io.datomicgitops.jenkins.harness.Build;
import io.datomicgitops.jenkins.harness.GitScm;
import io.datomicgitops.jenkins.harness.Job;
import io.datomicgitops.jenkins.harness.PendingInput;
import io.datomicgitops.jenkins.harness.StepRecord;
import io.datomicgitops.report.Report;
import io.datomicgitops.testing.TestRepos;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** datomicApprove: the approval gate, on a Plan made from a plan report of the documented shape. */
class ApproveStepTest extends PipelineTestSupport {
    /** A plan report as the runner writes it: the numbers, and the runner's words about them (summary, details). */
    static final String PLAN = """
            import io.datomicgitops.jenkins.Plan
            def report = [exitCode: EXIT, status: 'changes-pending', stacks: [
                prod: [stackName: 'datomic-prod', changes: CHANGES,
                       summary: '1 to create, 0 to update, 1 key(s) to write, template 12 line(s) changed, 2 stack change(s) (1 replacement(s)), 1 instance(s) to replace (surge)',
                       details: ['AWS resources: 1 to create, 0 to update (writes aws-s3-log-bucket-id)', 'Template: 12 diff lines',
                                 'Change set: 2 changes, 1 with replacement', 'Instances to replace: 1 (strategy surge)'],
                       resourcesToCreate: 1, resourcesToUpdate: 0,
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
        // the input's message is its heading: one line; the plan is in the log just above it
        assertThat(in.message()).isEqualTo("Deploy main 0123456789 (stacks: prod)?");
        assertThat(b.log()).contains("Deploy main 0123456789?")
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
    void showsTheReportsWordsNotTextMadeFromItsNumbers() {
        // numbers that would read "1 to create, 2 changes"; the runner's words say otherwise, and the words are shown
        String script = """
                import io.datomicgitops.jenkins.Plan
                def report = [exitCode: 2, stacks: [
                    prod: [stackName: 'datomic-prod', changes: true, resourcesToCreate: 1, changeSetChanges: 2,
                           summary: 'the runner says: three roles and a bucket',
                           details: ['Roles: 3 to create', 'Bucket: kept as found', 'Change set: as the runner words it']],
                    quiet: [stackName: 'datomic-quiet', changes: false, summary: 'no changes', details: ['not shown']]]]
                def plan = Plan.fromReport(report, 'ssh://git@example.com/config.git', 'main', '0123456789abcdef', 'c')
                echo "description: ${plan.summaryLine()}"
                def who = datomicApprove(plan: plan)
                """;
        Build b = jenkins.build(job("words", script, Map.of("BRANCH_NAME", "main")));
        PendingInput in = b.pendingInput();
        assertThat(in).as(b.log()).isNotNull();
        assertThat(in.message()).isEqualTo("Deploy main 0123456789 (stacks: prod)?");
        assertThat(b.log()).contains("""
                Deploy main 0123456789?

                Stack prod (datomic-prod)
                  Roles: 3 to create
                  Bucket: kept as found
                  Change set: as the runner words it
                """);
        assertThat(b.log()).contains("description: datomic-gitops: changes pending at 0123456789: "
                + "prod: the runner says: three roles and a bucket\n");
        b.approve("alice");
        assertSucceeded(b);
    }

    @Test
    void showsWhatTheRunnerWroteForANewStack() {
        PlanSummary fresh = new PlanSummary("datomic-new", "eu-west-1", true, 5, 0, List.of("transactor:aws-peer-role"),
                true, 140, false, 0, 0, 0, "surge", false, List.of(), 0, List.of());
        Report report = new Report("test", "plan", Clock.systemUTC());
        report.putStack("fresh", fresh);
        report.finish("changes-pending", 2, null);
        String script = "import io.datomicgitops.jenkins.Plan\nimport io.datomicgitops.jenkins.Reports\n"
                + "def plan = Plan.fromReport(Reports.parse('''" + report.toJson(new Redactor()) + "'''), "
                + "'ssh://git@example.com/config.git', 'main', '0123456789abcdef', 'c')\n"
                + "echo \"description: ${plan.summaryLine()}\"\n"
                + "def who = datomicApprove(plan: plan)\n";
        Build b = jenkins.build(job("runner-words", script, Map.of("BRANCH_NAME", "main")));
        PendingInput in = b.pendingInput();
        assertThat(in).as(b.log()).isNotNull();
        StringBuilder expected = new StringBuilder("Deploy main 0123456789?\n\nStack fresh (datomic-new)\n");
        fresh.details().forEach(line -> expected.append("  ").append(line).append('\n'));
        assertThat(b.log()).contains(expected.toString()).contains("Change set: new stack");
        assertThat(in.message()).isEqualTo("Deploy main 0123456789 (stacks: fresh)?");
        assertThat(b.log()).contains("description: datomic-gitops: changes pending at 0123456789: fresh: " + fresh.oneLine() + "\n");
        b.abort("alice");
    }

    @Test
    void aFieldMissingFromTheReportIsSaidNotShownAsZero() {
        // a report with the numbers only (no summary, no details): nothing is made up from them, and nothing reads 0
        String script = """
                import io.datomicgitops.jenkins.Plan
                def report = [exitCode: 2, stacks: [prod: [stackName: 'datomic-prod', changes: true, resourcesToCreate: 1]]]
                def plan = Plan.fromReport(report, 'ssh://git@example.com/config.git', 'main', '0123456789abcdef', 'c')
                echo "description: ${plan.summaryLine()}"
                def who = datomicApprove(plan: plan)
                """;
        Build b = jenkins.build(job("missing", script, Map.of("BRANCH_NAME", "main")));
        PendingInput in = b.pendingInput();
        assertThat(in).as(b.log()).isNotNull();
        assertThat(b.log()).contains("""
                Deploy main 0123456789?

                Stack prod (datomic-prod)
                  report.json has no stacks.prod.details
                """);
        assertThat(b.log()).contains("description: datomic-gitops: changes pending at 0123456789: "
                + "prod: report.json has no stacks.prod.summary\n");
        assertThat(in.message() + b.log()).doesNotContainPattern("\\b0 (to|changes|with|diff)");
        b.abort("alice");
    }

    @Test
    void theInputsMessageIsOneLineLinkingToThePlan() {
        String script = PLAN.replace("EXIT", "2").replace("CHANGES", "true")
                + "plan = plan.withFiles('datomic-gitops/plan/plan.json', 'datomic-gitops/plan/plan.md', null)\n"
                + "def who = datomicApprove(plan: plan)\n";
        Build b = jenkins.build(job("heading", script, Map.of("BRANCH_NAME", "main")));
        assertThat(b.pendingInput()).as(b.log()).isNotNull();
        assertThat(b.pendingInput().message()).doesNotContain("\n")
                .isEqualTo("Deploy main 0123456789 (stacks: prod)? The plan: " + b.url() + "artifact/datomic-gitops/plan/plan.md");
        b.abort("alice");
    }

    @Test
    void anAnswerWithoutApproverIsRefusedAndTheGateStaysOpen() {
        Build b = jenkins.build(gate("datomicApprove(plan: plan, submitter: 'alice')", true));
        b.proceedEmpty("alice");
        assertThat(b.pendingInput()).as("still waiting; log:%n%s", b.log()).isNotNull();
        assertThat(b.log()).contains("datomic-gitops: approval refused: the answer names no approver")
                .doesNotContain("gate returned");
        b.approve("alice");
        assertSucceeded(b);
        assertThat(b.log()).contains("gate returned alice");
    }

    @Test
    void anAdministratorMayApproveWhateverTheSubmitterSays() {
        Build b = jenkins.build(gate("datomicApprove(plan: plan, submitter: 'datomic-approvers')", true));
        assertThatThrownBy(() -> b.approve("root")).hasMessageContaining("may not approve");
        b.approveAsAdministrator("root");
        assertSucceeded(b);
        assertThat(b.log()).contains("gate returned root").contains("datomic-gitops: approved by root");
    }

    @Test
    void theAuthorOfAChangeMayNotApproveIt() throws Exception {
        Job job = authoredChange("datomicApprove(plan: plan, submitter: 'dave, erin')");
        Build second = jenkins.build(job);
        assertThat(second.changes()).extracting(GitScm.Change::authorId).containsExactly("dave");
        second.approve("dave");
        assertThat(second.pendingInput()).as("still waiting; log:%n%s", second.log()).isNotNull();
        assertThat(second.log()).contains("approval refused: dave authored a change in this build")
                .doesNotContain("gate returned");
        second.approve("erin");
        assertSucceeded(second);
        assertThat(second.log()).contains("gate returned erin");
    }

    @Test
    void theAuthorMayApproveWhenAllowed() throws Exception {
        Build second = jenkins.build(authoredChange("datomicApprove(plan: plan, submitter: 'dave', allowAuthorApproval: true)"));
        second.approve("dave");
        assertSucceeded(second);
        assertThat(second.log()).contains("gate returned dave");
    }

    /** A job whose first build is done, and a commit by dave pushed since: the next build's change is dave's. */
    private Job authoredChange(String approveCall) throws Exception {
        Path bare = TestRepos.bareWith(tmp.resolve("git"), "main", Map.of("stacks/prod/deploy.properties", "stack-name=prod\n"));
        String script = "node { checkout scm }\n" + PLAN.replace("EXIT", "2").replace("CHANGES", "true")
                + "def who = " + approveCall + "\necho \"gate returned ${who}\"\n";
        Job job = job("authored", script, Map.of("BRANCH_NAME", "main")).scm(GitScm.branch("ssh://git@example.com/config.git", bare, "main"));
        Build first = jenkins.build(job);
        assertThat(first.changes()).as("a branch's first build lists no changes").isEmpty();
        first.abort("erin");
        try (Git git = Git.cloneRepository().setURI(bare.toUri().toString()).setDirectory(tmp.resolve("dave").toFile()).call()) {
            Files.writeString(tmp.resolve("dave/stacks/prod/deploy.properties"), "stack-name=prod\nreplace-strategy=surge\n");
            git.add().addFilepattern(".").call();
            PersonIdent dave = new PersonIdent("dave", "dave@example.com");
            git.commit().setMessage("surge").setAuthor(dave).setCommitter(dave).setSign(false).call();
            git.push().call();
        }
        return job;
    }

    @Test
    void theGateSurvivesARestartWhileWaiting() throws Exception {
        Build b = jenkins.build(gate("datomicApprove(plan: plan, submitter: 'alice')", true));
        assertThat(b.pendingInput()).isNotNull();
        jenkins.restart();
        b.approve("alice");
        assertSucceeded(b);
        assertThat(b.log()).contains("Resuming build after Jenkins restart").contains("gate returned alice");
        assertThat(b.stepNames()).containsSubsequence("input", "milestone");
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

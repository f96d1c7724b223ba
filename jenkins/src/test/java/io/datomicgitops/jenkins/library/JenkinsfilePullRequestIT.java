package io.datomicgitops.jenkins.library;

import com.fasterxml.jackson.databind.JsonNode;
import io.datomicgitops.aws.AwsClients;
import io.datomicgitops.jenkins.harness.Build;
import io.datomicgitops.jenkins.harness.GitScm;
import io.datomicgitops.jenkins.harness.Job;
import io.datomicgitops.report.Json;
import io.datomicgitops.testing.Sandbox;
import io.datomicgitops.testing.TestRepos;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Scenarios that plan: pull requests (same repository and fork; the plan as a check, a comment or the description),
 * the scheduled drift check, the two-line form's author check, a moved branch.
 */
class JenkinsfilePullRequestIT extends ScenarioSupport {
    @Test
    void pullRequestBuildPlansTheMergeJenkinsBuiltAndChangesNothing() throws Exception {
        // a same-repo pull request: branch feature, which GitHub also shows as refs/pull/1/head
        String feature = pushTo("refs/heads/feature", "raise threshold");
        TestRepos.pushChange(bare, tmp.resolve("other"), "main", Map.of("stacks/demo/NOTES", "main moved on\n"), "notes");
        pushRef(feature, "refs/pull/1/head");
        String mainBefore = head("main");
        Job pr = job("config/PR-1", jenkinsfileExample(), Map.of("BRANCH_NAME", "PR-1", "CHANGE_ID", "1",
                "CHANGE_BRANCH", "feature", "CHANGE_TARGET", "main")).scm(GitScm.pullRequestMerged(url, bare, 1, "main"));
        Build b = jenkins.build(pr);
        assertSucceeded(b);
        String planned = plannedRevision(b);
        assertMergeOf(b, planned, mainBefore, feature);
        // the description is the runner's summary line, as report.json gives it (a new stack: the sandbox is empty)
        JsonNode demo = planReport(b).path("stacks").path("demo");
        assertThat(demo.path("summary").asText()).contains("new stack");
        assertThat(b.description()).isEqualTo("datomic-gitops: changes pending at " + planned.substring(0, 10) + ": demo: "
                + demo.path("summary").asText());
        assertThat(b.artifact("datomic-gitops/plan/plan.md")).exists();
        // the plan on the pull request: a check whose text is plan.md
        assertThat(b.steps("publishChecks")).singleElement().satisfies(check -> {
            assertThat(check.arg("text")).isEqualTo(Files.readString(b.artifact("datomic-gitops/plan/plan.md")));
            assertThat(check.arg("title")).isEqualTo(b.description());
        });
        assertThat(b.steps("pullRequest.comment")).as("a check, so no comment as well").isEmpty();
        assertThat(b.steps("input")).isEmpty();
        assertThat(b.steps("node")).as("only the Plan stage takes an agent (when ... beforeAgent)").hasSize(1);
        assertThat(runnerCalls(b)).as("Jenkins' checkout, not the runner's").containsExactly("plan");
        // plan-only credentials: the read-only AWS credential, no git credential
        assertThat(b.steps("withCredentials").toString()).contains("datomic-aws-plan").doesNotContain("datomic-config-repo")
                .as("a plan resolves no secret: the license key is not handed to a pull request").doesNotContain("datomic-license-key");
        assertThat(Files.readString(b.artifact("datomic-gitops/plan/report.json"))).contains("\"mutating\": 0");
        assertThat(head("main")).as("a plan pushes nothing").isEqualTo(mainBefore);
    }

    @Test
    void forkPullRequestWithABranchNamedLikeTheTargetPlansTheForksChange() throws Exception {
        // a fork's branch "main": not a branch of the base repository; GitHub gives it as refs/pull/2/head only
        String mainBefore = head("main");
        String fork = pushTo("refs/pull/2/head", "fork raises threshold");
        Job pr = job("config/PR-2", jenkinsfileExample(), Map.of("BRANCH_NAME", "PR-2", "CHANGE_ID", "2",
                "CHANGE_BRANCH", "main", "CHANGE_FORK", "contributor", "CHANGE_TARGET", "main"))
                .scm(GitScm.pullRequestMerged(url, bare, 2, "main"));
        Build b = jenkins.build(pr);
        assertSucceeded(b);
        assertMergeOf(b, plannedRevision(b), mainBefore, fork);
        assertThat(jenkins.home().resolve("workspace/config_PR-2/datomic-gitops/scm/stacks/demo/transactor.properties"))
                .content().contains("memory-index-threshold=64m");
        assertThat(head("main")).isEqualTo(mainBefore);
    }

    @Test
    void withoutTheChecksApiThePlanIsACommentOnThePullRequest() throws Exception {
        jenkins.withoutPlugin("checks-api");
        Build b = jenkins.build(samePullRequest(3));
        assertSucceeded(b);
        assertThat(b.steps("publishChecks")).isEmpty();
        String planMd = Files.readString(b.artifact("datomic-gitops/plan/plan.md"));
        assertThat(b.steps("pullRequest.comment")).singleElement().satisfies(comment -> assertThat(comment.arg("body"))
                .isEqualTo("**datomic-gitops plan** of " + plannedRevision(b).substring(0, 10) + " ([build](" + b.url() + ")): "
                        + b.description() + "\n\n" + planMd));
        assertThat(b.log()).contains("datomic-gitops: the plan is a comment on the pull request");
    }

    @Test
    void withNeitherChecksNorCommentsThePlanIsInTheBuildDescription() throws Exception {
        jenkins.withoutPlugin("checks-api").withoutPlugin("pipeline-github");
        Build b = jenkins.build(samePullRequest(4));
        assertSucceeded(b);
        assertThat(b.steps("publishChecks")).isEmpty();
        assertThat(b.steps("pullRequest.comment")).isEmpty();
        assertThat(b.description()).startsWith("datomic-gitops: changes pending at " + plannedRevision(b).substring(0, 10) + ": demo: ");
        assertThat(b.artifact("datomic-gitops/plan/plan.md")).exists();
        assertThat(b.log()).contains("datomic-gitops: the plan is in the build description and in the archived plan.md");
    }

    @Test
    void scheduledBuildIsTheDriftCheckAndFindsAChangeMadeByHandInAws(Sandbox sandbox) throws Exception {
        Job main = mainJob(jenkinsfileExample());
        Build deploy = jenkins.build(main);
        deploy.approve("alice", "datomic-approvers");
        assertSucceeded(deploy);
        assertThat(main.property("pipelineTriggers")).as("main has the daily cron").isNotNull();
        assertThat(main.property("buildDiscarder")).isNotNull();

        Build same = jenkins.buildByTimer(main);
        assertSucceeded(same);
        assertThat(same.description()).isEqualTo("datomic-gitops: no drift on main: AWS matches git");
        assertThat(runnerCalls(same)).as("the drift check, not a plan").containsExactly("checkout", "drift");

        // by hand, in AWS: the table's deletion protection turned off
        try (AwsClients aws = sandbox.clients()) {
            aws.dynamoDb("us-east-1").updateTable(r -> r.tableName("demo-datomic").deletionProtectionEnabled(false));
        }
        String before = head("main");
        Build drifted = jenkins.buildByTimer(main);
        assertThat(drifted.result()).as(drifted.log()).isEqualTo("UNSTABLE");
        JsonNode report = Json.mapper().readTree(Files.readString(drifted.artifact("datomic-gitops/drift/report.json")));
        String summary = null;
        for (JsonNode phase : report.path("phases")) {
            if (phase.path("phase").asText().equals("drift")) summary = phase.path("summary").asText();
        }
        assertThat(summary).startsWith("demo (demo-datomic-transactor): ").contains("dynamodb-table demo-datomic");
        assertThat(drifted.description()).isEqualTo("datomic-gitops: drift in demo: " + summary);
        assertThat(drifted.log()).contains("WARNING: datomic-gitops: drift in demo: ");
        assertThat(report.path("awsCalls").path("mutating").asLong()).as("read-only").isZero();
        assertThat(drifted.steps("input")).isEmpty();
        assertThat(runnerCalls(drifted)).containsExactly("checkout", "drift");
        assertThat(head("main")).isEqualTo(before);
    }

    @Test
    void theTwoLineFormsScheduledBuildIsTheDriftCheck() throws Exception {
        Job main = mainJob(TWO_LINE.replace("@Library('datomic-gitops') _",
                "@Library('datomic-gitops') _\nproperties([pipelineTriggers([cron('H 6 * * *')])])"));
        Build first = jenkins.build(main);
        first.abort("alice");
        Build timer = jenkins.buildByTimer(main);
        // nothing deployed yet: a deployment waiting is not drift (the drift found by hand is the other scenario's)
        assertThat(timer.result()).as(timer.log()).isEqualTo("SUCCESS");
        assertThat(timer.description()).isEqualTo("datomic-gitops: no drift on main: AWS matches git");
        assertThat(timer.steps("input")).isEmpty();
        assertThat(runnerCalls(timer)).containsExactly("checkout", "drift");
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

package io.datomicgitops.jenkins.library;

import com.fasterxml.jackson.databind.JsonNode;
import io.datomicgitops.jenkins.harness.Build;
import io.datomicgitops.jenkins.harness.GitScm;
import io.datomicgitops.jenkins.harness.Job;
import io.datomicgitops.testing.TestRepos;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Scenarios that plan a pull request: from the same repository and from a fork (the merge commit Jenkins built is
 * planned, with plan-only credentials), the plan as a check, else a comment, else in the build description.
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
}

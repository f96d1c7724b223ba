package io.datomicgitops.jenkins.library;

import io.datomicgitops.jenkins.harness.Build;
import io.datomicgitops.jenkins.harness.GitScm;
import io.datomicgitops.jenkins.harness.Job;
import io.datomicgitops.testing.TestRepos;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The library in the environment a controller really gives: no GIT_* before a checkout, errors as Jenkins shows an
 * AbortException (one line), files an earlier build left in the workspace, where a step may be called.
 */
class LibraryEnvironmentTest extends PipelineTestSupport {
    @Test
    void anUnknownParameterIsOneErrorLineNotAStackTrace() {
        Build b = jenkins.build(job("typo", "datomicApprove(plan: null, submiter: 'alice')\n", Map.of()));
        assertThat(b.result()).isEqualTo("FAILURE");
        assertThat(b.log()).contains("ERROR: datomicApprove: unknown parameter(s) submiter; the parameters are: plan, submitter")
                .doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void aReportAndPlanLeftByAnEarlierBuildAreNeitherReadNorArchived() {
        // the runner never starts (no such java): what an earlier build left must not pass for this build's plan
        Build b = jenkins.build(job("stale", """
                node {
                    writeFile(file: 'datomic-gitops/plan/report.json',
                              text: '{"exitCode": 2, "error": {"message": "an error of an earlier build"}, "stacks": {}}')
                    writeFile(file: 'datomic-gitops/plan/plan.md', text: '# the plan of an earlier build')
                    datomicPlan(checkout: false, dir: 'c', repo: 'ssh://git@example.com/config.git', branch: 'main',
                                jar: params.JAR, java: 'no-such-java-command')
                }
                """, Map.of()), Map.of("JAR", runnerJar().toString()));
        assertThat(b.result()).isEqualTo("FAILURE");
        assertThat(b.log()).contains("ERROR: datomic-gitops plan failed (exit 127)").doesNotContain("an error of an earlier build");
        assertThat(b.artifact("datomic-gitops/plan/plan.md")).doesNotExist();
        assertThat(b.artifact("datomic-gitops/plan/report.json")).doesNotExist();
    }

    @Test
    void withoutACheckoutThereIsNoGitUrlAndThePlanSaysWhatToPass() {
        Build b = jenkins.build(job("no-scm", "node { datomicPlan(jar: params.JAR) }\n", Map.of("BRANCH_NAME", "main")),
                Map.of("JAR", runnerJar().toString()));
        assertThat(b.result()).isEqualTo("FAILURE");
        assertThat(b.log()).contains("ERROR: datomicPlan: no config repo URL or branch: pass repo: and branch:");
    }

    @Test
    void theRepoComesFromTheJobsScmWhenNothingWasCheckedOutYet() throws Exception {
        // scripted, no checkout scm: env.GIT_URL is null, but the job's SCM names the repository
        Path bare = TestRepos.bareWith(tmp.resolve("git"), "main", Map.of("stacks/demo/deploy.properties", "stack-name=demo\n"));
        Build b = jenkins.build(job("from-scm", """
                echo "GIT_URL before any checkout: ${env.GIT_URL}"
                node { datomicPlan(jar: params.JAR, stacks: ['no-such-stack']) }
                """, Map.of("BRANCH_NAME", "main")).scm(GitScm.branch(bare.toString(), bare, "main")),
                Map.of("JAR", runnerJar().toString()));
        assertThat(b.log()).contains("GIT_URL before any checkout: null");
        assertThat(ScenarioSupport.runnerCalls(b)).as(b.log()).startsWith("checkout");
        assertThat(b.steps("sh").get(0).arg("script").toString()).contains("'checkout' '--repo' '" + bare + "' '--branch' 'main'");
        assertThat(jenkins.home().resolve("workspace/from-scm/datomic-gitops/config/stacks/demo/deploy.properties")).exists();
    }

    @Test
    void applyRefusesToWaitForItsLocksInsideNode() {
        Build b = jenkins.build(job("apply-in-node", ApproveStepTest.PLAN.replace("EXIT", "2").replace("CHANGES", "true")
                + "node { datomicApply(plan: plan, approvedBy: 'alice') }\n", Map.of("BRANCH_NAME", "main")));
        assertThat(b.result()).isEqualTo("FAILURE");
        assertThat(b.log()).contains("ERROR: datomicApply: call it outside node { }");
        assertThat(b.steps("lock")).isEmpty();
    }

    @Test
    void lockNamesSayWhichConfigRepo() {
        Build b = jenkins.build(job("locks", """
                import io.datomicgitops.jenkins.Plan
                for (String url in ['git@github.com:acme/config.git', 'ssh://git@github.com:22/acme/config.git',
                                    'https://github.com/acme/config', 'https://github.com/other/config.git']) {
                    echo "lock ${url} -> ${new Plan(url, 'main', 'abc', 'c', 2, [:]).lockResource('prod')}"
                }
                """, Map.of()));
        assertSucceeded(b);
        assertThat(b.log()).contains("lock git@github.com:acme/config.git -> datomic-gitops github.com/acme/config prod")
                .contains("lock ssh://git@github.com:22/acme/config.git -> datomic-gitops github.com/acme/config prod")
                .contains("lock https://github.com/acme/config -> datomic-gitops github.com/acme/config prod")
                .contains("lock https://github.com/other/config.git -> datomic-gitops github.com/other/config prod");
    }

    /** A job whose builds check out main and then plan it, with a runner jar that does not exist (it is never needed). */
    private Job planAfterCheckout(Path bare) {
        return job("own-push", """
                properties([pipelineTriggers([cron('H 6 * * *')])])
                node {
                    checkout scm
                    def plan = datomicPlan(jar: 'no-such-runner.jar', repo: 'ssh://git@example.com/config.git')
                    echo "plan: ${plan.summaryLine()} changes: ${plan.hasChanges()}"
                }
                """, Map.of("BRANCH_NAME", "main")).scm(GitScm.branch("ssh://git@example.com/config.git", bare, "main"));
    }

    /** Commits a file to main as WHO (author and committer, as the runner commits), pushed to the bare repository. */
    private void commitAs(Path bare, PersonIdent who, String file) throws Exception {
        Path work = tmp.resolve("push-" + file);
        try (Git git = Git.cloneRepository().setURI(bare.toUri().toString()).setDirectory(work.toFile()).call()) {
            Files.writeString(work.resolve(file), file + "\n");
            git.add().addFilepattern(".").call();
            git.commit().setMessage("add " + file).setAuthor(who).setCommitter(who).setSign(false).call();
            git.push().call();
        }
    }

    @Test
    void aBuildThatOnlyBringsInTheRunnersOwnCommitsEndsAsNotBuiltWithoutRunningTheRunner() throws Exception {
        Path bare = TestRepos.bareWith(tmp.resolve("git"), "main", Map.of("stacks/demo/deploy.properties", "stack-name=demo\n"));
        Job job = planAfterCheckout(bare);
        Build first = jenkins.build(job);
        assertThat(first.result()).as("a first build has no change log: it plans (and fails on the missing jar)")
                .isEqualTo("FAILURE");
        assertThat(first.log()).contains("the runner jar no-such-runner.jar (from jar) does not exist");

        // the runner's deployment record, pushed to main by the runner: it starts a build of main
        commitAs(bare, RUNNER, "stacks/demo/deployment.json");
        commitAs(bare, RUNNER, "stacks/demo/cf.json");
        Build own = jenkins.build(job);
        assertThat(own.result()).as(own.log()).isEqualTo("NOT_BUILT");
        String reason = "datomic-gitops: not built: the 2 commit(s) this build brings in are the runner's own "
                + "(committed by datomic-gitops@localhost: a deployment's record); nothing to plan";
        assertThat(own.description()).isEqualTo(reason);
        assertThat(own.log()).contains(reason + "\n").contains("plan: " + reason + " changes: false");
        assertThat(own.steps("sh")).as("the runner is neither fetched nor run").isEmpty();

        // a person's commit among the runner's: planned
        commitAs(bare, RUNNER, "stacks/demo/names.json");
        commitAs(bare, new PersonIdent("Olga Operator", "olga@example.com"), "stacks/demo/NOTES");
        Build mixed = jenkins.build(job);
        assertThat(mixed.result()).isEqualTo("FAILURE");
        assertThat(mixed.log()).contains("the runner jar no-such-runner.jar (from jar) does not exist").doesNotContain("not built");

        // the scheduled build is never skipped, whoever committed
        commitAs(bare, RUNNER, "stacks/demo/more.json");
        Build timer = jenkins.buildByTimer(job);
        assertThat(timer.result()).isEqualTo("FAILURE");
        assertThat(timer.log()).contains("the runner jar no-such-runner.jar (from jar) does not exist");
    }

    /** The runner's committer identity when DATOMIC_GITOPS_COMMITTER_NAME/EMAIL are not set (GitOptions' defaults). */
    static final PersonIdent RUNNER = new PersonIdent("datomic-gitops", "datomic-gitops@localhost");
}

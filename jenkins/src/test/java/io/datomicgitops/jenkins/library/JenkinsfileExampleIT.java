package io.datomicgitops.jenkins.library;

import io.datomicgitops.jenkins.harness.Build;
import io.datomicgitops.jenkins.harness.Credentials;
import io.datomicgitops.jenkins.harness.GitScm;
import io.datomicgitops.jenkins.harness.StepRecord;
import io.datomicgitops.testing.GitSshServer;
import io.datomicgitops.testing.Sandbox;
import io.datomicgitops.testing.SandboxExtension;
import io.datomicgitops.testing.TestRepos;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Jenkinsfile.example as written, on main: the declarative pipeline runs, the library is loaded, the
 * runner checks out the config repo over SSH with the key from the credentials store, and the plan command gets
 * the documented arguments. (Whatever the plan then reports is the subject of the scenario classes on ScenarioSupport.)
 */
@ExtendWith(SandboxExtension.class)
class JenkinsfileExampleIT extends PipelineTestSupport {
    @Test
    void mainBuildChecksOutWithTheSshCredentialAndRunsThePlan(Sandbox sandbox) throws Exception {
        sandbox.env().forEach(jenkins::agentEnv);
        jenkins.agentEnv("DATOMIC_GITOPS_JAR", runnerJar().toString());
        jenkins.credentials().add("datomic-aws", new Credentials.AwsKeys("testing", "testing"));
        jenkins.credentials().add("datomic-license-key", new Credentials.SecretText("license-in-a-jenkins-credential"));
        Path key = tmp.resolve("deploy_key");
        GitSshServer.keygen(key, "pass phrase");
        jenkins.credentials().add("datomic-config-repo", new Credentials.SshKey("git", Files.readString(key), "pass phrase"));
        Path base = tmp.resolve("srv");
        Files.createDirectories(base);
        Path bare = TestRepos.bareWith(base, "main", Map.of("stacks/demo/deploy.properties", "stack-name=demo\n"));
        try (GitSshServer git = GitSshServer.start(base, Path.of(key + ".pub"), tmp.resolve("hostkey.ser"))) {
            Files.writeString(agentHome.resolve(".ssh/known_hosts"), git.knownHostsLine() + "\n");
            Build b = jenkins.build(job("config/main", jenkinsfileExample(), Map.of("BRANCH_NAME", "main"))
                    .scm(GitScm.branch(git.url(bare), bare, "main")));

            assertThat(b.steps("declarative")).hasSize(1);
            assertThat(b.job().concurrentBuildsDisabled()).isTrue();
            assertThat(b.steps("timeout").get(0).args()).containsEntry("time", 2).containsEntry("unit", "DAYS");
            assertThat(ScenarioSupport.runnerCalls(b)).as(b.log()).startsWith("checkout", "plan");
            assertThat(jenkins.home().resolve("workspace/config_main/datomic-gitops/config/stacks/demo/deploy.properties")).exists();
            StepRecord plan = b.steps("sh").get(1);
            assertThat(plan.arg("script").toString())
                    .contains("'plan' '--dir' 'datomic-gitops/config' '--plan-md' 'datomic-gitops/plan/plan.md' "
                            + "'--out' 'datomic-gitops/plan/plan.json' '--report' 'datomic-gitops/plan/report.json'");
            assertThat(plan.stages()).containsExactly("Plan");
            assertThat(plan.context()).contains("timeout", "node", "withCredentials");
            assertThat(b.steps("archiveArtifacts")).isNotEmpty();
            assertThat(b.log()).doesNotContain("Stage \"Plan\" skipped");
            assertThat(b.unmaskedLog()).doesNotContain("pass phrase").doesNotContain("BEGIN OPENSSH PRIVATE KEY");
            assertThat(b.cpsMismatches()).isEmpty();
        }
    }
}

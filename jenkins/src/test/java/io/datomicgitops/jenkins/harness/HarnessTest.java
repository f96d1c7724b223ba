package io.datomicgitops.jenkins.harness;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The harness itself: CPS execution, persistence at every step, and the Jenkins behaviours the library relies on. */
class HarnessTest {
    @TempDir
    Path tmp;
    Path lib;
    Jenkins jenkins;

    @BeforeEach
    void setUp() throws IOException {
        lib = tmp.resolve("lib");
        Files.createDirectories(lib.resolve("vars"));
        Files.createDirectories(lib.resolve("src/org/example"));
        Files.writeString(lib.resolve("vars/greet.groovy"), """
                def call(Map args = [:]) {
                    sh "echo hello ${args.who ?: 'world'} > greeting.txt"
                    return readFile('greeting.txt').trim()
                }
                """);
        Files.writeString(lib.resolve("src/org/example/Counter.groovy"), """
                package org.example
                class Counter implements Serializable {
                    int n
                    int next() { return ++n }
                }
                """);
        jenkins = new Jenkins(tmp.resolve("home"), lib);
    }

    private Build run(String jenkinsfile) {
        return run(jenkinsfile, Map.of("BRANCH_NAME", "main"));
    }

    private Build run(String jenkinsfile, Map<String, String> env) {
        return jenkins.build(jenkins.job("job", jenkinsfile, env));
    }

    @Test
    void runsScriptedPipelineWithGlobalVariableAndRealShell() {
        Build b = run("""
                node {
                    def g = greet(who: 'jenkins')
                    def c = new org.example.Counter()
                    c.next()
                    echo "got ${g} ${c.next()} on ${env.BRANCH_NAME}"
                }
                """);
        assertThat(b.result()).as(b.log()).isEqualTo("SUCCESS");
        assertThat(b.log()).contains("got hello jenkins 2 on main");
        assertThat(b.stepNames()).containsExactly("node", "sh", "readFile", "echo");
        assertThat(b.serializationRoundTrips()).isGreaterThanOrEqualTo(5);
        assertThat(b.cpsMismatches()).isEmpty();
    }

    @Test
    void pausedEachLoopSurvivesSerialization() {
        Build b = run("""
                def seen = []
                [a: 1, b: 2].each { k, v ->
                    ['x', 'y'].each { i ->
                        input message: "ok ${k}${i}?"
                        seen << "${k}${v}${i}".toString()
                    }
                }
                echo "seen ${seen}"
                """);
        for (int i = 0; i < 4; i++) {
            assertThat(b.pendingInput()).as(b.log()).isNotNull();
            b.approve("alice");
        }
        assertThat(b.result()).as(b.log()).isEqualTo("SUCCESS");
        assertThat(b.log()).contains("seen [a1x, a1y, b2x, b2y]");
    }

    @Test
    void stepFromNonCpsMethodIsReportedAsMismatch() {
        Build b = run("""
                @NonCPS
                def helper() {
                    echo 'first'
                    return 'rest of the method'
                }
                def r = helper()
                echo "helper returned ${r}"
                """);
        assertThat(b.cpsMismatches()).isNotEmpty();
        assertThat(b.log()).doesNotContain("helper returned rest of the method");
    }

    @Test
    void nonSerializableLocalAcrossStepFailsTheBuild() {
        Build b = run("""
                def m = ('abc' =~ /b/)
                echo 'step while a Matcher is live'
                """);
        assertThat(b.result()).isEqualTo("FAILURE");
        assertThat(b.log()).contains("NotSerializableException").contains("Matcher");
    }

    @Test
    void groovy24RejectsLambdas() {
        assertThatThrownBy(() -> jenkins.library().parse("def f = (x) -> x + 1", "Jenkinsfile"))
                .hasMessageContaining("found '->'");
    }

    @Test
    void unknownStepIsNoSuchMethodError() {
        Build b = run("nosuchstep 'x'");
        assertThat(b.result()).isEqualTo("FAILURE");
        assertThat(b.log()).contains("No such DSL method 'nosuchstep'");
    }

    @Test
    void aStepNamingAParameterItsPluginDoesNotHaveFails() {
        Build b = run("echo(msg: 'x')");
        assertThat(b.result()).isEqualTo("FAILURE");
        assertThat(b.log()).contains("echo does not take parameter msg");
        Build lock = run("lock(resource: 'r', inversePrecedense: true) { echo 'in' }");
        assertThat(lock.log()).contains("lock does not take parameter inversePrecedense").doesNotContain("\nin\n");
        Build binding = run("node { withCredentials([string(credentialsId: 'x', var: 'Y')]) { echo 'in' } }");
        assertThat(binding.log()).contains("string does not take parameter var");
    }

    /** The signature table covers every step and symbol a script can reach (any other name is No such DSL method). */
    @Test
    void everyStepAndSymbolServedHasItsPublishedSignature() {
        java.util.Set<String> served = new java.util.TreeSet<>();
        served.addAll(Steps.PLUGINS.keySet());
        served.addAll(Jenkins.BODY_STEPS.keySet());
        served.addAll(Jenkins.SYMBOLS.keySet());
        // Declarative's own blocks, not steps
        served.removeAll(java.util.List.of("pipeline", "script"));
        assertThat(StepSignatures.PARAMETERS.keySet()).containsAll(served);
    }

    @Test
    void gitVariablesExistOnlyAfterACheckout() throws Exception {
        Path bare = bareRepo();
        Job job = jenkins.job("scripted", """
                echo "before: ${env.GIT_URL}"
                node {
                    def vars = checkout scm
                    echo "returned: ${vars.GIT_URL} ${vars.GIT_COMMIT}"
                    echo "env after scripted checkout: ${env.GIT_URL}"
                }
                """, Map.of("BRANCH_NAME", "main")).scm(GitScm.branch("ssh://git@example.com/config.git", bare, "main"));
        Build b = jenkins.build(job);
        assertThat(b.result()).as(b.log()).isEqualTo("SUCCESS");
        assertThat(b.log()).contains("before: null").containsPattern("returned: ssh://git@example.com/config.git [0-9a-f]{40}")
                .contains("env after scripted checkout: null");
        assertThat(jenkins.home().resolve("workspace/scripted/README")).hasContent("config");
    }

    @Test
    void declarativeChecksOutOnEnteringAnAgentAndSetsGitVariables() throws Exception {
        Path bare = bareRepo();
        Job job = jenkins.job("declarative", """
                pipeline {
                    agent none
                    stages {
                        stage('No agent') { steps { echo "without agent: ${env.GIT_URL}" } }
                        stage('Agent') { agent any; steps { echo "with agent: ${env.GIT_URL}"; sh 'cat README' } }
                    }
                }
                """, Map.of("BRANCH_NAME", "main")).scm(GitScm.branch("ssh://git@example.com/config.git", bare, "main"));
        Build b = jenkins.build(job);
        assertThat(b.result()).as(b.log()).isEqualTo("SUCCESS");
        assertThat(b.log()).contains("without agent: null").contains("with agent: ssh://git@example.com/config.git");
        assertThat(b.steps("checkout")).hasSize(1);
    }

    @Test
    void whenIsEvaluatedAfterTheAgentUnlessBeforeAgent() {
        Build b = run("""
                pipeline {
                    agent none
                    stages {
                        stage('Late') { agent any; when { branch 'other' }; steps { echo 'late ran' } }
                        stage('Early') { agent any; when { beforeAgent true; branch 'other' }; steps { echo 'early ran' } }
                    }
                }
                """);
        assertThat(b.result()).as(b.log()).isEqualTo("SUCCESS");
        assertThat(b.log()).doesNotContain("late ran").doesNotContain("early ran");
        assertThat(b.steps("node")).as("only the stage without beforeAgent took an agent").hasSize(1);
        assertThat(b.steps("node").get(0).stages()).containsExactly("Late");
    }

    @Test
    void aPullRequestIsBuiltAsItsHeadMergedIntoItsTarget() throws Exception {
        Path bare = bareRepo();
        String head;
        try (org.eclipse.jgit.api.Git git = org.eclipse.jgit.api.Git.cloneRepository().setURI(bare.toUri().toString())
                .setDirectory(tmp.resolve("fork").toFile()).call()) {
            Files.writeString(tmp.resolve("fork/CHANGE"), "from a fork\n");
            git.add().addFilepattern("CHANGE").call();
            head = git.commit().setMessage("fork change").setSign(false).call().name();
            git.push().setRefSpecs(new org.eclipse.jgit.transport.RefSpec("HEAD:refs/pull/3/head")).call();
        }
        Job job = jenkins.job("PR-3", "node { def v = checkout scm; echo \"built ${v.GIT_COMMIT}\" }",
                Map.of("BRANCH_NAME", "PR-3", "CHANGE_ID", "3")).scm(GitScm.pullRequestMerged("ssh://x/config.git", bare, 3, "main"));
        Build b = jenkins.build(job);
        assertThat(b.result()).as(b.log()).isEqualTo("SUCCESS");
        try (org.eclipse.jgit.api.Git ws = org.eclipse.jgit.api.Git.open(jenkins.home().resolve("workspace/PR-3").toFile())) {
            var built = ws.getRepository().parseCommit(ws.getRepository().resolve("HEAD"));
            assertThat(built.getParentCount()).isEqualTo(2);
            assertThat(built.getParent(1).name()).isEqualTo(head);
            assertThat(b.log()).contains("built " + built.name());
        }
        assertThat(jenkins.home().resolve("workspace/PR-3/CHANGE")).hasContent("from a fork");
    }

    private Path bareRepo() throws Exception {
        return io.datomicgitops.testing.TestRepos.bareWith(tmp.resolve("git"), "main", Map.of("README", "config"));
    }

    @Test
    void shOutsideNodeHasNoWorkspace() {
        Build b = run("sh 'true'");
        assertThat(b.result()).isEqualTo("FAILURE");
        assertThat(b.log()).contains("Required context class hudson.FilePath is missing");
    }

    @Test
    void timeoutInterruptsAWaitingInput() {
        Build b = run("""
                try {
                    timeout(time: 5, unit: 'MINUTES') {
                        input message: 'go?'
                    }
                } finally {
                    echo 'cleanup ran'
                }
                """);
        assertThat(b.pendingInput()).isNotNull();
        jenkins.advance(Duration.ofMinutes(4));
        assertThat(b.pendingInput()).isNotNull();
        jenkins.advance(Duration.ofMinutes(2));
        assertThat(b.result()).isEqualTo("ABORTED");
        assertThat(b.log()).contains("Timeout has been exceeded").contains("cleanup ran");
    }

    @Test
    void newerBuildPassingMilestoneAbortsOlderWaitingOne() {
        Job job = jenkins.job("deploy", """
                milestone()
                def who = input message: 'deploy?', submitterParameter: 'approver'
                milestone()
                echo "deployed by ${who}"
                """, Map.of("BRANCH_NAME", "main"));
        Build first = jenkins.build(job);
        Build second = jenkins.build(job);
        assertThat(first.pendingInput()).isNotNull();
        assertThat(second.pendingInput()).isNotNull();
        second.approve("bob");
        assertThat(second.result()).isEqualTo("SUCCESS");
        assertThat(second.log()).contains("deployed by bob");
        assertThat(first.result()).isEqualTo("NOT_BUILT");
        assertThat(first.log()).contains("Superseded by deploy #2").doesNotContain("deployed by");
    }

    @Test
    void declarativePipelineRunsStagesWhenAndPost() {
        Build b = run("""
                pipeline {
                    agent none
                    options { disableConcurrentBuilds() }
                    stages {
                        stage('Build') {
                            agent any
                            steps { sh 'echo built > out.txt' }
                            post { always { archiveArtifacts artifacts: 'out.txt' } }
                        }
                        stage('PR only') {
                            when { changeRequest() }
                            steps { echo 'pr stage ran' }
                        }
                        stage('Main only') {
                            when { branch 'main' }
                            steps { script { def x = 'main stage ran'; echo x } }
                        }
                    }
                    post { success { echo 'all good' } }
                }
                """);
        assertThat(b.result()).as(b.log()).isEqualTo("SUCCESS");
        assertThat(b.log()).contains("main stage ran").contains("all good").doesNotContain("pr stage ran");
        assertThat(b.artifact("out.txt")).hasContent("built");
        assertThat(b.job().concurrentBuildsDisabled()).isTrue();
    }
}

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

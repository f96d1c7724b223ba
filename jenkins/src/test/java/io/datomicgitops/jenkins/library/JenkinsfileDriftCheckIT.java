package io.datomicgitops.jenkins.library;

import com.fasterxml.jackson.databind.JsonNode;
import io.datomicgitops.aws.AwsClients;
import io.datomicgitops.jenkins.harness.Build;
import io.datomicgitops.jenkins.harness.Job;
import io.datomicgitops.report.Json;
import io.datomicgitops.testing.Sandbox;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The scheduled build of main is the drift check: a change made by hand in AWS found (UNSTABLE, read-only), and the
 * two-line form's timer build.
 */
class JenkinsfileDriftCheckIT extends ScenarioSupport {
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
}

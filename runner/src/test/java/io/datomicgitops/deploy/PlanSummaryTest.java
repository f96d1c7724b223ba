package io.datomicgitops.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import io.datomicgitops.config.Redactor;
import io.datomicgitops.report.Json;
import io.datomicgitops.report.Report;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The plan summary's words, exactly: the console, plan.md and the Jenkins library all print these. */
class PlanSummaryTest {

    static PlanSummary withChanges() {
        return new PlanSummary("datomic-prod", "eu-west-1", true, 1, 2, List.of("transactor:aws-s3-log-bucket-id"),
                true, 12, true, 3, 1, 2, "surge", false, List.of(), 2, List.of());
    }

    static PlanSummary noChanges() {
        return new PlanSummary("datomic-prod", "eu-west-1", false, 0, 0, List.of(), false, 0, true, 0, 0, 0, "rolling", true, List.of(), 1, List.of());
    }

    static PlanSummary newStack() {
        return new PlanSummary("datomic-new", "us-east-1", true, 5, 0, List.of("transactor:aws-peer-role", "cf:aws-cloudwatch-region"),
                true, 140, false, 0, 0, 0, "surge", false, List.of(), 0, List.of());
    }

    @Test
    void oneLineOfAPlanWithChanges() {
        assertThat(withChanges().oneLine()).isEqualTo("1 to create, 2 to update, 1 key(s) to write, template 12 line(s) changed, "
                + "3 stack change(s) (1 recreating a resource), 2 instance(s) to replace (surge)");
    }

    @Test
    void oneLineOfAPlanWithoutChanges() {
        assertThat(noChanges().oneLine()).isEqualTo("no changes");
    }

    @Test
    void oneLineOfANewStack() {
        assertThat(newStack().oneLine()).isEqualTo("5 to create, 0 to update, 2 key(s) to write, template 140 line(s) changed, "
                + "new stack, 0 instance(s) to replace (surge)");
    }

    @Test
    void detailsOfAPlanWithChanges() {
        assertThat(withChanges().details()).containsExactly(
                "AWS resources: 1 to create, 2 to update (writes transactor:aws-s3-log-bucket-id)",
                "Template: 12 diff lines",
                "Change set: 3 changes, 1 recreating a resource",
                "Instances to replace: 2 (strategy surge)");
    }

    @Test
    void detailsOfAPlanWithoutChanges() {
        assertThat(noChanges().details()).containsExactly(
                "AWS resources: 0 to create, 0 to update",
                "Template: unchanged",
                "Change set: 0 changes, 0 recreating a resource",
                "Instances to replace: 0 (strategy rolling)");
    }

    @Test
    void detailsOfANewStackSayNewRatherThanZeroChanges() {
        assertThat(newStack().details()).containsExactly(
                "AWS resources: 5 to create, 0 to update (writes transactor:aws-peer-role, cf:aws-cloudwatch-region)",
                "Template: 140 diff lines",
                "Change set: new stack (created from the template)",
                "Instances to replace: 0 (strategy surge)");
    }

    @Test
    void detailsListTheDrift() {
        PlanSummary drifted = new PlanSummary("datomic-prod", "eu-west-1", true, 0, 0, List.of(), false, 0, true, 1, 0, 0, "surge",
                true, List.of("the deployed template differs from cf.json", "role datomic-aws-peer is gone"), 1, List.of());
        assertThat(drifted.details()).last()
                .isEqualTo("Drift: the deployed template differs from cf.json; role datomic-aws-peer is gone");
    }

    @Test
    void theReportCarriesTheSummaryAndTheDetailsPerStack() throws Exception {
        Report report = new Report("1.0", "plan", Clock.fixed(Instant.parse("2025-01-01T00:00:00Z"), ZoneOffset.UTC));
        report.putStack("prod", withChanges());
        report.putStack("fresh", newStack());
        JsonNode stacks = Json.mapper().readTree(report.toJson(new Redactor())).path("stacks");

        assertThat(stacks.path("prod").path("summary").asText()).isEqualTo(withChanges().oneLine());
        assertThat(stacks.path("prod").path("details")).extracting(JsonNode::asText).containsExactlyElementsOf(withChanges().details());
        assertThat(stacks.path("fresh").path("summary").asText()).isEqualTo(newStack().oneLine());
        assertThat(stacks.path("prod").path("resourcesToCreate").asInt()).as("the numbers stay").isEqualTo(1);
        assertThat(stacks.path("prod").fieldNames()).toIterable().startsWith("stackName", "region", "changes", "impact", "summary", "details", "findings");
    }

    @Test
    void theImpactLineSaysWhatIsReplacedInWhichOrderAndHowLong() {
        assertThat(withChanges().impact()).isEqualTo("1 AWS resource(s) to create, 2 to update; the stack update changes 3 resource(s); "
                + "replaces 2 of 2 transactor(s) by surge, the standby first, then the active: 1 failover (about 11 s without writes); "
                + "expected about 8 min");
        assertThat(noChanges().impact()).isEqualTo("nothing to do");
        assertThat(newStack().impact()).isEqualTo("5 AWS resource(s) to create, 0 to update; a new stack launches its transactor(s); "
                + "expected about 5 min");
        PlanSummary terminateOne = new PlanSummary("datomic-prod", "eu-west-1", true, 0, 0, List.of(), true, 4, true, 1, 0, 1, "terminate",
                false, List.of(), 1, List.of());
        assertThat(terminateOne.impact()).isEqualTo("the stack update changes 1 resource(s); replaces 1 of 1 transactor(s) by terminate: "
                + "no standby, writes unavailable while the new transactor boots (about 3 min); expected about 5 min");
    }
}

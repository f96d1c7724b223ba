package io.datomicgitops.stack;

import io.datomicgitops.report.Json;
import io.datomicgitops.stack.StackResult.StackEventLine;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * report.json must not change with the way results are built: the expected files under /results were written by
 * the positional constructor before the builder existed (commit 21db8a0), from the same values.
 */
class StackResultTest {
    static final StackEventLine EVENT = new StackEventLine("2024-01-01T00:00:00Z", "LaunchGroup",
            "AWS::AutoScaling::AutoScalingGroup", "UPDATE_FAILED", "boom", "asg-1");

    static final StackPreview PREVIEW = new StackPreview("tx-prod", "changes", "UPDATE", "change-set", "datomic-gitops-1",
            "arn:cs", "reason", 1234, "https://bucket/t.json", List.of("CAPABILITY_IAM"),
            List.of(new StackPreview.ParameterValue("Size", "2", "1", true, false)),
            List.of(new StackPreview.ResourceChange("Modify", "LaunchGroup", "asg-1", "AWS::AutoScaling::AutoScalingGroup",
                    "False", List.of("Properties"), List.of())));

    @Test
    void everyFieldSetByNameWritesTheJsonThePositionalConstructorWrote() throws IOException {
        StackResult r = StackResult.builder()
                .stackName("tx-prod").stackId("arn:stack").operation(StackOperation.UPDATE).outcome(StackOutcome.ROLLED_BACK)
                .stackStatus("UPDATE_ROLLBACK_COMPLETE").statusReason("why")
                .changeSetName("datomic-gitops-1").changeSetId("arn:cs").templateUrl("https://bucket/t.json")
                .terminationProtection(true).autoScalingGroup("asg-1").durationMs(4321).preview(PREVIEW)
                .events(List.of(EVENT)).failures(List.of(EVENT)).warnings(List.of("careful"))
                .build();

        assertThat(Json.write(r)).isEqualTo(expected("stack-full.json"));
    }

    @Test
    void onlyTheRequiredFieldsLeaveOutTheNullsButKeepTheListsAsEmptyArrays() throws IOException {
        StackResult r = StackResult.builder().stackName("tx-prod").operation(StackOperation.CONTINUE_ROLLBACK).outcome(StackOutcome.TIMEOUT)
                .durationMs(7).build();

        assertThat(Json.write(r)).isEqualTo(expected("stack-sparse.json"));
    }

    /** The strings report.json, the console and the deploy commit message said before outcomes were an enum. */
    static final Map<StackOutcome, String> OLD_OUTCOMES = Map.of(
            StackOutcome.CREATED, "created",
            StackOutcome.UPDATED, "updated",
            StackOutcome.NO_CHANGES, "no-changes",
            StackOutcome.ROLLBACK_CONTINUED, "rollback-continued",
            StackOutcome.ROLLED_BACK, "rolled-back",
            StackOutcome.FAILED, "failed",
            StackOutcome.TIMEOUT, "timeout");

    @Test
    void eachOutcomeIsWrittenAndPrintedAsItsOldString() {
        assertThat(OLD_OUTCOMES.keySet()).as("every outcome has its string pinned here").isEqualTo(EnumSet.allOf(StackOutcome.class));
        OLD_OUTCOMES.forEach((outcome, old) -> {
            StackResult r = StackResult.builder().stackName("s").operation(StackOperation.UPDATE).outcome(outcome).durationMs(0).build();
            assertThat(Json.write(r)).contains("\n  \"outcome\": \"" + old + "\",\n");
            assertThat("stack s: " + r.outcome()).isEqualTo("stack s: " + old);
        });
    }

    @Test
    void succeedsExactlyWhenItDidBefore() {
        assertThat(EnumSet.allOf(StackOutcome.class)).filteredOn(StackOutcome::succeeded)
                .containsExactlyInAnyOrder(StackOutcome.CREATED, StackOutcome.UPDATED, StackOutcome.NO_CHANGES,
                        StackOutcome.ROLLBACK_CONTINUED);
    }

    @Test
    void eachOperationIsWrittenAndPrintedAsItsOldStringAndSucceedsAsBefore() {
        Map<StackOperation, String> old = Map.of(StackOperation.CREATE, "create", StackOperation.UPDATE, "update",
                StackOperation.CONTINUE_ROLLBACK, "continue-rollback");
        assertThat(old.keySet()).isEqualTo(EnumSet.allOf(StackOperation.class));
        old.forEach((operation, label) -> {
            StackResult r = StackResult.builder().stackName("s").operation(operation).outcome(operation.success()).durationMs(0).build();
            assertThat(Json.write(r)).contains("\n  \"operation\": \"" + label + "\",\n");
            assertThat("while " + r.operation() + " was running").isEqualTo("while " + label + " was running");
        });
        assertThat(StackOperation.CREATE.success()).isEqualTo(StackOutcome.CREATED);
        assertThat(StackOperation.UPDATE.success()).isEqualTo(StackOutcome.UPDATED);
        assertThat(StackOperation.CONTINUE_ROLLBACK.success()).isEqualTo(StackOutcome.ROLLBACK_CONTINUED);
    }

    @Test
    void aBuilderMissingRequiredFieldsNamesThemAll() {
        assertThatThrownBy(() -> StackResult.builder().stackName("tx-prod").build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("StackResult built without operation, outcome, durationMs (required)");
    }

    static String expected(String name) throws IOException {
        try (InputStream in = StackResultTest.class.getResourceAsStream("/results/" + name)) {
            assertThat(in).as("/results/" + name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}

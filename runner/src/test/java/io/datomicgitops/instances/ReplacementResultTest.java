package io.datomicgitops.instances;

import io.datomicgitops.instances.ReplacementResult.TimelineEntry;
import io.datomicgitops.report.Json;
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
 * report.json must not change with the way results are built: /results/replacement.json was written by the positional
 * constructor before the builder existed (commit 21db8a0), from the same values.
 */
class ReplacementResultTest {
    @Test
    void builtByNameWritesTheJsonThePositionalConstructorWrote() throws IOException {
        ReplacementResult r = ReplacementResult.builder()
                .groupName("asg-1").strategy("surge").outcome(ReplacementOutcome.NOTHING_TO_REPLACE)
                .replaced(List.of("i-1")).launched(List.of("i-2")).oldRemaining(List.of())
                .capacityBefore(new Capacity(1, 2, 1)).zeroInServiceSeconds(1.5).durationMs(99).readiness("http /health")
                .timeline(List.of(new TimelineEntry("t0", "launched i-2"))).warnings(List.of("w"))
                .build();

        assertThat(Json.write(r)).isEqualTo(expected("replacement.json"));
    }

    @Test
    void unsetListsAreWrittenAsEmptyArraysAsBefore() {
        ReplacementResult r = ReplacementResult.builder().groupName("asg-1").strategy("terminate").outcome(ReplacementOutcome.FAILED)
                .durationMs(1).build();

        assertThat(Json.write(r)).contains("\"replaced\": [],", "\"launched\": [],", "\"oldRemaining\": [],",
                "\"timeline\": [],", "\"warnings\": []").doesNotContain("capacityBefore", "capacityAfter", "readiness");
    }

    @Test
    void eachOutcomeIsWrittenAndPrintedAsItsOldString() {
        Map<ReplacementOutcome, String> old = Map.of(
                ReplacementOutcome.REPLACED, "replaced",
                ReplacementOutcome.NOTHING_TO_REPLACE, "nothing-to-replace",
                ReplacementOutcome.FAILED, "failed",
                ReplacementOutcome.TIMEOUT, "timeout");
        assertThat(old.keySet()).as("every outcome has its string pinned here").isEqualTo(EnumSet.allOf(ReplacementOutcome.class));
        old.forEach((outcome, label) -> {
            ReplacementResult r = ReplacementResult.builder().groupName("g").strategy("surge").outcome(outcome).durationMs(0).build();
            assertThat(Json.write(r)).contains("\n  \"outcome\": \"" + label + "\",\n");
            // ReplaceInstancesCommand's summary concatenates the outcome
            assertThat(r.outcome() + " [i-1]").isEqualTo(label + " [i-1]");
        });
    }

    @Test
    void aBuilderMissingRequiredFieldsNamesThemAll() {
        assertThatThrownBy(() -> ReplacementResult.builder().strategy("surge").durationMs(1).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("ReplacementResult built without groupName, outcome (required)");
    }

    static String expected(String name) throws IOException {
        try (InputStream in = ReplacementResultTest.class.getResourceAsStream("/results/" + name)) {
            assertThat(in).as("/results/" + name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}

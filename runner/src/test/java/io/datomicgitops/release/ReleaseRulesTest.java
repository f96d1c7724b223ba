package io.datomicgitops.release;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The rules the runner ships with: each one sourced, and what they say about the releases Datomic's notes name. */
class ReleaseRulesTest {
    private static final ReleaseRules BUNDLED = ReleaseRules.bundled();

    private static DatomicVersion v(String s) {
        return DatomicVersion.of(s);
    }

    @Test
    void everyRuleNamesItsSourceAndTheDayTheRulesWereChecked() {
        assertThat(BUNDLED.checked()).isEqualTo("2026-12-07");
        assertThat(BUNDLED.checkedAgainst()).anySatisfy(s -> assertThat(s).startsWith("https://docs.datomic.com/changes/pro.html"));
        List<ReleaseRules.Rule> all = new java.util.ArrayList<>(BUNDLED.withdrawn());
        all.addAll(BUNDLED.stopAll());
        all.add(BUNDLED.licenseKeyNotNeededFrom());
        assertThat(all).isNotEmpty().allSatisfy(r -> {
            assertThat(r.source()).startsWith("https://docs.datomic.com/");
            assertThat(r.note()).isNotBlank();
        });
    }

    @Test
    void theReleaseWhoseDownloadDatomicRemovedIsWithdrawnAndItsFixIsNot() {
        assertThat(BUNDLED.withdrawnRule(v("1.0.7010"))).isPresent();
        assertThat(BUNDLED.withdrawnRule(v("1.0.7021"))).isEmpty();
        assertThat(BUNDLED.withdrawnRule(v("1.0.7277"))).isEmpty();
    }

    @Test
    void theLicenseKeyIsNeededBefore1_0_6726Only() {
        assertThat(BUNDLED.needsLicenseKey(v("1.0.6711"))).isTrue();
        assertThat(BUNDLED.needsLicenseKey(v("0.9.5561.62"))).isTrue();
        assertThat(BUNDLED.needsLicenseKey(v("1.0.6726"))).isFalse();
        assertThat(BUNDLED.needsLicenseKey(v("1.0.7277"))).isFalse();
    }

    @Test
    void aStopAllReleaseCountsWhenTheChangeCrossesItEitherWay() {
        assertThat(BUNDLED.stopAllBetween(v("0.9.4470"), v("0.9.5530"))).extracting(ReleaseRules.Rule::version)
                .containsExactly("0.9.4532", "0.9.4609");
        assertThat(BUNDLED.stopAllBetween(v("0.9.5530"), v("0.9.4470"))).extracting(ReleaseRules.Rule::version)
                .as("a downgrade across it too").containsExactly("0.9.4532", "0.9.4609");
        assertThat(BUNDLED.stopAllBetween(v("0.9.4532"), v("0.9.4600"))).as("already on it").isEmpty();
        assertThat(BUNDLED.stopAllBetween(v("1.0.7187"), v("1.0.7277"))).isEmpty();
    }

    @Test
    void aTestRulesFileIsReadTheSameWay() throws Exception {
        ReleaseRules rules;
        try (var in = getClass().getResourceAsStream("test-releases.json")) {
            rules = ReleaseRules.read(in);
        }
        assertThat(rules.withdrawnRule(v("1.0.7999"))).hasValueSatisfying(r -> assertThat(r.source()).isEqualTo("https://example.test/withdrawn"));
        assertThat(rules.stopAllBetween(v("1.0.7491"), v("1.0.7556"))).extracting(ReleaseRules.Rule::version).containsExactly("1.0.7500");
    }

    @Test
    void aRuleThatNamesNoReleaseIsABrokenFile() {
        String broken = "{\"checked\": \"2026-12-07\", \"withdrawn\": [{\"version\": \"latest\", \"source\": \"x\", \"note\": \"y\"}]}";
        assertThatThrownBy(() -> ReleaseRules.read(new ByteArrayInputStream(broken.getBytes(StandardCharsets.UTF_8))))
                .hasMessageContaining("not a Datomic version: latest");
    }

    @Test
    void versionsOrderAsDatomicNumbersThem() {
        assertThat(v("1.0.7277")).isGreaterThan(v("1.0.7187")).isGreaterThan(v("0.9.6045"));
        assertThat(v("0.8.4020.24")).as("a bugfix release after its parent").isGreaterThan(v("0.8.4020"));
        assertThat(v("1.0.10000")).as("numbers, not text").isGreaterThan(v("1.0.9999"));
        assertThat(v("1.0.7277").compareTo(v("1.0.7277"))).isZero();
        assertThat(DatomicVersion.parse("${env:V}")).isEmpty();
    }
}

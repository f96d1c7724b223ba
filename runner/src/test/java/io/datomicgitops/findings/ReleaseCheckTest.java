package io.datomicgitops.findings;

import io.datomicgitops.config.PropertiesFile;
import io.datomicgitops.release.ReleaseRules;
import io.datomicgitops.release.VersionChange;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The release gate on a stack's files and the version its stack runs: the bundled rules where Datomic's notes have
 * one (1.0.7010 withdrawn, the license key), test-only rules for the rest, so each mechanism is tested whatever the
 * notes say.
 */
class ReleaseCheckTest {
    private static final ReleaseRules BUNDLED = ReleaseRules.bundled();
    private static final ReleaseRules TEST = testRules();
    private static final ReleaseCheck.Allowed NOTHING = new ReleaseCheck.Allowed(false, false);
    private static final String BACKUP = "backup-command=./backup.sh\nbackup-uri=s3://backups/demo\n";

    private static ReleaseRules testRules() {
        try (var in = ReleaseCheckTest.class.getResourceAsStream("/io/datomicgitops/release/test-releases.json")) {
            return ReleaseRules.read(in);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static PropertiesFile tx(String extra) {
        return PropertiesFile.parse("stacks/demo/transactor.properties", "protocol=ddb\nhost=localhost\nport=4334\n" + extra);
    }

    private static PropertiesFile cf(String version, int groupSize) {
        return PropertiesFile.parse("stacks/demo/cf.properties", "aws-instance-type=m5.large\naws-autoscaling-group-size=" + groupSize
                + "\ndatomic-version=" + version + "\n");
    }

    private static PropertiesFile deploy(String extra) {
        return PropertiesFile.parse("stacks/demo/deploy.properties", "stack-name=demo\n" + extra);
    }

    private static ReleaseCheck.Result check(String running, String wanted, String deployExtra, ReleaseRules rules, ReleaseCheck.Allowed allowed,
                                             int groupSize) {
        return ReleaseCheck.check(new VersionChange(Optional.ofNullable(running), Optional.of(wanted)), tx(""), cf(wanted, groupSize),
                deploy(deployExtra), rules, allowed);
    }

    private static List<String> codes(ReleaseCheck.Result r) {
        return r.findings().stream().map(Finding::code).toList();
    }

    @Test
    void anUnchangedVersionPassesTheGateSilently() {
        ReleaseCheck.Result r = check("1.0.7277", "1.0.7277", "", BUNDLED, NOTHING, 1);
        assertThat(r.findings()).isEmpty();
        assertThat(r.stopAll()).isFalse();
    }

    @Test
    void anUpgradeShowsTheGateAndTheBackupStep() {
        ReleaseCheck.Result r = check("1.0.7277", "1.0.7394", BACKUP, BUNDLED, NOTHING, 1);
        assertThat(codes(r)).containsExactly(FindingCodes.DATOMIC_VERSION_CHANGE, FindingCodes.BACKUP_BEFORE_UPGRADE);
        assertThat(r.findings().get(0).message()).contains("1.0.7277 -> 1.0.7394", "as of 2026-12-07");
        assertThat(r.findings().get(0).where()).isEqualTo("stacks/demo/cf.properties:3");
        assertThat(r.findings().get(1).message()).contains("apply backs up to s3://backups/demo before the stack update");
        assertThat(r.findings().get(1).where()).isEqualTo("stacks/demo/deploy.properties:2");
    }

    @Test
    void aWithdrawnReleaseIsRefusedWithItsSource() {
        ReleaseCheck.Result r = check(null, "1.0.7010", "", BUNDLED, NOTHING, 1);
        Finding withdrawn = r.findings().stream().filter(f -> f.code().equals(FindingCodes.WITHDRAWN_RELEASE)).findFirst().orElseThrow();
        assertThat(withdrawn.severity()).isEqualTo(Finding.Severity.ERROR);
        assertThat(withdrawn.message()).contains("Datomic 1.0.7010 was withdrawn", "https://docs.datomic.com/changes/pro.html#1.0.7010",
                "choose another release");
        // a rule from another file: the mechanism, not the data
        assertThat(codes(check("1.0.7277", "1.0.7999", BACKUP, TEST, NOTHING, 1))).contains(FindingCodes.WITHDRAWN_RELEASE);
        assertThat(codes(check("1.0.7277", "1.0.7999", BACKUP, BUNDLED, NOTHING, 1))).doesNotContain(FindingCodes.WITHDRAWN_RELEASE);
    }

    @Test
    void aDowngradeIsRefusedUnlessAllowed() {
        ReleaseCheck.Result refused = check("1.0.7394", "1.0.7277", BACKUP, BUNDLED, NOTHING, 1);
        assertThat(codes(refused)).contains(FindingCodes.DOWNGRADE).doesNotContain(FindingCodes.DOWNGRADE_ALLOWED);
        assertThat(Findings.errors(refused.findings())).singleElement().satisfies(f ->
                assertThat(f.message()).contains("1.0.7394 -> 1.0.7277 is a downgrade", "--allow-downgrade"));

        ReleaseCheck.Result allowed = check("1.0.7394", "1.0.7277", BACKUP, BUNDLED, new ReleaseCheck.Allowed(true, false), 1);
        assertThat(Findings.hasErrors(allowed.findings())).isFalse();
        assertThat(codes(allowed)).contains(FindingCodes.DOWNGRADE_ALLOWED, FindingCodes.BACKUP_BEFORE_UPGRADE);
    }

    @Test
    void aReleaseEveryTransactorMovesToTogetherForcesAStopAllReplacement() {
        ReleaseCheck.Result r = check("1.0.7491", "1.0.7556", BACKUP, TEST, NOTHING, 1);
        assertThat(r.stopAll()).isTrue();
        assertThat(r.findings()).filteredOn(f -> f.code().equals(FindingCodes.RELEASE_NEEDS_STOP_ALL)).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Finding.Severity.WARNING);
            assertThat(f.message()).contains("1.0.7500", "https://example.test/stop-all", "strategy terminate");
        });
        assertThat(Findings.hasErrors(r.findings())).isFalse();

        ReleaseCheck.Result standby = check("1.0.7491", "1.0.7556", BACKUP, TEST, NOTHING, 2);
        assertThat(Findings.errors(standby.findings())).extracting(Finding::code).containsExactly(FindingCodes.STOP_ALL_WITH_STANDBY);

        assertThat(check("1.0.7501", "1.0.7556", BACKUP, TEST, NOTHING, 1).stopAll()).as("already past it").isFalse();
        assertThat(check("0.9.4470", "0.9.5530", BACKUP, BUNDLED, NOTHING, 1).stopAll()).as("Datomic's own: log format 2").isTrue();
    }

    @Test
    void aVersionChangeOfARunningStackNeedsABackupOrSkipBackup() {
        ReleaseCheck.Result none = check("1.0.7277", "1.0.7394", "", BUNDLED, NOTHING, 1);
        assertThat(Findings.errors(none.findings())).singleElement().satisfies(f -> {
            assertThat(f.code()).isEqualTo(FindingCodes.VERSION_CHANGE_WITHOUT_BACKUP);
            assertThat(f.message()).contains("set backup-command and backup-uri in stacks/demo/deploy.properties", "--skip-backup");
        });
        assertThat(Findings.errors(check("1.0.7277", "1.0.7394", "backup-command=./b.sh\n", BUNDLED, NOTHING, 1).findings()))
                .singleElement().satisfies(f -> assertThat(f.message()).contains("set backup-uri="));

        ReleaseCheck.Result skipped = check("1.0.7277", "1.0.7394", "", BUNDLED, new ReleaseCheck.Allowed(false, true), 1);
        assertThat(Findings.hasErrors(skipped.findings())).isFalse();
        assertThat(codes(skipped)).contains(FindingCodes.BACKUP_SKIPPED);

        assertThat(codes(check(null, "1.0.7394", "", BUNDLED, NOTHING, 1))).as("a new stack has nothing to back up")
                .containsExactly(FindingCodes.DATOMIC_VERSION_CHANGE);
    }

    @Test
    void theLicenseKeyCanGoFromTheReleaseThatDroppedIt() {
        PropertiesFile tx = tx("license-key=${env:DATOMIC_LICENSE_KEY}\n");
        ReleaseCheck.Result free = ReleaseCheck.check(new VersionChange(Optional.of("1.0.7277"), Optional.of("1.0.7277")), tx,
                cf("1.0.7277", 1), deploy(""), BUNDLED, NOTHING);
        assertThat(free.findings()).singleElement().satisfies(f -> {
            assertThat(f.code()).isEqualTo(FindingCodes.LICENSE_KEY_NOT_NEEDED);
            assertThat(f.severity()).isEqualTo(Finding.Severity.INFO);
            assertThat(f.where()).isEqualTo("stacks/demo/transactor.properties:4");
            assertThat(f.message()).contains("from 1.0.6726", "the template leaves license-key out; remove it");
        });
        ReleaseCheck.Result paid = ReleaseCheck.check(new VersionChange(Optional.of("1.0.6711"), Optional.of("1.0.6711")), tx,
                cf("1.0.6711", 1), deploy(""), BUNDLED, NOTHING);
        assertThat(paid.findings()).isEmpty();
    }
}

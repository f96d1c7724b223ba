package io.datomicgitops.findings;

import io.datomicgitops.config.PropertiesFile;
import io.datomicgitops.release.DatomicVersion;
import io.datomicgitops.release.ReleaseRules;
import io.datomicgitops.release.UpgradeBackup;
import io.datomicgitops.release.VersionChange;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The release gate: what Datomic's release notes ({@link ReleaseRules}, each rule with its source) say about the
 * {@code datomic-version} a deployment moves a stack to, and the backup taken before it. A withdrawn release and a
 * downgrade (unless allowed) are errors; a release every transactor must move to together forces a stop-all
 * replacement; a version change of a running stack needs a backup (or --skip-backup). Pure: the version the stack
 * runs comes from the plan's stack preview.
 */
public final class ReleaseCheck {
    private ReleaseCheck() {}

    /**
     * @param findings what the plan shows
     * @param stopAll  the deployment must stop every transactor before a new one starts (terminate, one transactor)
     */
    public record Result(List<Finding> findings, boolean stopAll) {}

    /** What the operator allows on the command line: a downgrade (--allow-downgrade), no backup (--skip-backup). */
    public record Allowed(boolean downgrade, boolean skipBackup) {}

    public static Result check(VersionChange change, PropertiesFile tx, PropertiesFile cf, PropertiesFile deploy,
                               ReleaseRules rules, Allowed allowed) {
        List<Finding> out = new ArrayList<>();
        Optional<DatomicVersion> wanted = change.wanted().flatMap(DatomicVersion::parse);
        if (wanted.isEmpty()) return new Result(List.of(), false); // no version, or not one: the schema's finding
        String versionWhere = cf.where("datomic-version");
        if (tx.get("license-key").isPresent() && !rules.needsLicenseKey(wanted.get())) {
            ReleaseRules.Rule r = rules.licenseKeyNotNeededFrom();
            out.add(Finding.info(FindingCodes.LICENSE_KEY_NOT_NEEDED, "Datomic " + wanted.get() + " needs no license key (from "
                    + r.version() + ": " + r.note() + "; " + r.source() + "): the template leaves license-key out; remove it "
                    + "from " + tx.name() + ", and the secret it names", tx.where("license-key")));
        }
        if (!change.changes()) return new Result(List.copyOf(out), false);

        out.add(Finding.info(FindingCodes.DATOMIC_VERSION_CHANGE, "datomic-version " + change.describe()
                + ": checked against Datomic's release notes as of " + rules.checked() + " (" + rules.withdrawn().size()
                + " withdrawn release(s), " + rules.stopAll().size() + " release(s) every transactor moves to together)", versionWhere));
        rules.withdrawnRule(wanted.get()).ifPresent(r -> out.add(Finding.error(FindingCodes.WITHDRAWN_RELEASE, "Datomic "
                + r.version() + " was withdrawn (" + r.note() + "; " + r.source() + "): choose another release", versionWhere)));

        Optional<DatomicVersion> running = change.running().flatMap(DatomicVersion::parse);
        boolean stopAll = false;
        if (running.isPresent()) {
            if (wanted.get().isBefore(running.get())) {
                if (allowed.downgrade()) {
                    out.add(Finding.warning(FindingCodes.DOWNGRADE_ALLOWED, "datomic-version " + change.describe()
                            + " is a downgrade, allowed by --allow-downgrade: a database written by the newer release may not "
                            + "be readable by the older one; the backup taken before it is the way back", versionWhere));
                } else {
                    out.add(Finding.error(FindingCodes.DOWNGRADE, "datomic-version " + change.describe() + " is a downgrade below the "
                            + "version the stack runs now: set datomic-version=" + running.get() + " or later, or pass "
                            + "--allow-downgrade to plan and apply to downgrade on purpose", versionWhere));
                }
            }
            List<ReleaseRules.Rule> together = rules.stopAllBetween(running.get(), wanted.get());
            if (!together.isEmpty()) {
                stopAll = true;
                String why = String.join("; ", together.stream().map(r -> r.version() + ": " + r.note() + " (" + r.source() + ")").toList());
                out.add(Finding.warning(FindingCodes.RELEASE_NEEDS_STOP_ALL, "datomic-version " + change.describe()
                        + " crosses a release every transactor moves to together (" + why + "): the replacement stops each "
                        + "old transactor before its replacement starts (strategy terminate), with downtime", versionWhere));
                int size = cf.get("aws-autoscaling-group-size").flatMap(ReleaseCheck::integer).orElse(1);
                if (size > 1) {
                    out.add(Finding.error(FindingCodes.STOP_ALL_WITH_STANDBY, "with aws-autoscaling-group-size=" + size
                            + " a transactor of the old release keeps running while the first new one starts: set "
                            + "aws-autoscaling-group-size=1 for this deployment, and raise it again after", cf.where("aws-autoscaling-group-size")));
                }
            }
        }
        if (change.changesRunningStack()) backup(deploy, change, allowed, out);
        return new Result(List.copyOf(out), stopAll);
    }

    /** The backup step the plan shows: the backup apply takes, a refusal without one, or the operator's --skip-backup. */
    private static void backup(PropertiesFile deploy, VersionChange change, Allowed allowed, List<Finding> out) {
        Optional<UpgradeBackup.Config> config = UpgradeBackup.Config.of(deploy);
        if (config.isPresent()) {
            out.add(Finding.info(FindingCodes.BACKUP_BEFORE_UPGRADE, "apply backs up to " + config.get().uri() + " before the stack "
                    + "update (" + UpgradeBackup.COMMAND + "), then records it as the Backup: trailer and in deployment.json",
                    deploy.where(UpgradeBackup.COMMAND)));
        } else if (allowed.skipBackup()) {
            out.add(Finding.warning(FindingCodes.BACKUP_SKIPPED, "datomic-version " + change.describe() + " without a backup, "
                    + "by --skip-backup (recorded as Backup: skipped (--skip-backup))", deploy.name()));
        } else {
            out.add(Finding.error(FindingCodes.VERSION_CHANGE_WITHOUT_BACKUP, "datomic-version " + change.describe() + " and no "
                    + "backup before it: " + UpgradeBackup.Config.missing(deploy) + " (Datomic recommends a backup before adopting "
                    + "a new release); or pass --skip-backup to plan and apply", deploy.name()));
        }
    }

    private static Optional<Integer> integer(String s) {
        try {
            return Optional.of(Integer.parseInt(s.trim()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}

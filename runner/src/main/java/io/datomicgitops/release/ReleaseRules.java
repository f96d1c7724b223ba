package io.datomicgitops.release;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.datomicgitops.report.Json;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;

/**
 * What Datomic's release notes say about moving a transactor to a version, kept as data with the source of each rule
 * ({@code io/datomicgitops/release/datomic-releases.json}; docs/APPLY.md says how they were checked): releases
 * withdrawn, releases every transactor must move to together, and the release from which the transactor needs no
 * license key.
 *
 * @param checked                 the day the rules were last checked against the sources
 * @param checkedAgainst          the sources read that day
 * @param licenseKeyNotNeededFrom the first release whose transactor needs no license-key (absent: every one needs it)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ReleaseRules(String checked, List<String> checkedAgainst, List<Rule> withdrawn, List<Rule> stopAll,
                           Rule licenseKeyNotNeededFrom) {

    /** One release a rule is about, where Datomic says so, and what it says (in our words). */
    public record Rule(String version, String source, String note) {
        public DatomicVersion release() {
            return DatomicVersion.of(version);
        }
    }

    static final String BUNDLED = "/io/datomicgitops/release/datomic-releases.json";

    public ReleaseRules {
        checkedAgainst = checkedAgainst == null ? List.of() : List.copyOf(checkedAgainst);
        withdrawn = withdrawn == null ? List.of() : List.copyOf(withdrawn);
        stopAll = stopAll == null ? List.of() : List.copyOf(stopAll);
    }

    /** The rules the runner ships with (read once). */
    public static ReleaseRules bundled() {
        return Bundled.RULES;
    }

    private static final class Bundled {
        static final ReleaseRules RULES = load();
    }

    private static ReleaseRules load() {
        try (InputStream in = ReleaseRules.class.getResourceAsStream(BUNDLED)) {
            if (in == null) throw new IllegalStateException("missing resource " + BUNDLED);
            return read(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static ReleaseRules read(InputStream json) throws IOException {
        ReleaseRules rules = Json.mapper().readValue(json, ReleaseRules.class);
        // a rule that names no release is a broken file, not a rule to skip
        rules.withdrawn.forEach(Rule::release);
        rules.stopAll.forEach(Rule::release);
        if (rules.licenseKeyNotNeededFrom != null) rules.licenseKeyNotNeededFrom.release();
        return rules;
    }

    /** The withdrawn release this version is, if it is one. */
    public Optional<Rule> withdrawnRule(DatomicVersion v) {
        return withdrawn.stream().filter(r -> r.release().compareTo(v) == 0).findFirst();
    }

    /**
     * The releases between the two versions (either way) that every transactor must move to together: a stack that
     * crosses one cannot run an old and a new transactor side by side.
     */
    public List<Rule> stopAllBetween(DatomicVersion a, DatomicVersion b) {
        DatomicVersion low = a.isBefore(b) ? a : b;
        DatomicVersion high = a.isBefore(b) ? b : a;
        return stopAll.stream().filter(r -> low.isBefore(r.release()) && r.release().compareTo(high) <= 0).toList();
    }

    /**
     * Whether a stack whose cf.properties says this {@code datomic-version} leaves {@code license-key} out: a release
     * from which the transactor needs none. A version that is not one (a placeholder, "latest") keeps the key.
     */
    public boolean licenseKeyDropped(String datomicVersion) {
        return DatomicVersion.parse(datomicVersion).filter(v -> !needsLicenseKey(v)).isPresent();
    }

    /** Whether this version's transactor still needs a license key. */
    public boolean needsLicenseKey(DatomicVersion v) {
        return licenseKeyNotNeededFrom == null || v.isBefore(licenseKeyNotNeededFrom.release());
    }
}

package io.datomicgitops.findings;

import io.datomicgitops.config.Validator;
import io.datomicgitops.findings.Finding.Severity;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Every finding code the checks emit, with its usual severity. The codes are stable: operators name them in
 * deploy.properties ({@code acknowledge=}) and pipelines read them from report.json. Each one is documented in
 * docs/FINDINGS.md (a test holds the two together); a new check adds its code here and there.
 */
public final class FindingCodes {
    private FindingCodes() {}

    // a file's keys against their schema (config/Validator)
    public static final String INVALID_VALUE = Validator.INVALID_VALUE;
    public static final String UNKNOWN_KEY = Validator.UNKNOWN_KEY;
    public static final String DUPLICATE_KEY = Validator.DUPLICATE_KEY;
    // what Datomic and the tool need
    public static final String MISSING_REQUIRED_KEY = "missing-required-key";
    public static final String UNKNOWN_INSTANCE_TYPE = "unknown-instance-type";
    public static final String INSTANCE_TYPE_NOT_IN_DATOMIC_MAP = "instance-type-not-in-datomic-map";
    public static final String NO_AMI_FOR_REGION = "no-ami-for-region";
    public static final String AMI_NOT_FOUND = "ami-not-found";
    public static final String AMI_ARCHITECTURE_MISMATCH = "ami-architecture-mismatch";
    public static final String AMI_NOT_CHECKED = "ami-not-checked";
    public static final String PLACEHOLDER_IN_CF = "placeholder-in-cf";
    public static final String SECURITY_GROUP_NAME_WITH_SUBNETS = "security-group-name-with-subnets";
    // storage
    public static final String STORAGE_ON_INSTANCE = "storage-on-instance";
    public static final String NO_HA_FOR_PROTOCOL = "no-ha-for-protocol";
    // memory
    public static final String HEAP_ABOVE_INSTANCE_MEMORY = "heap-above-instance-memory";
    public static final String CACHE_ABOVE_HEAP = "cache-above-heap";
    public static final String LITTLE_HEAP_HEADROOM = "little-heap-headroom";
    // secrets
    public static final String PLAIN_TEXT_SECRET = "plain-text-secret";
    public static final String EMPTY_SECRET = "empty-secret";
    public static final String SECRET_UNAVAILABLE = "secret-unavailable";
    public static final String SECRET_IN_USER_DATA = "secret-in-user-data";
    // the release gate and the backup before a version change (ReleaseCheck)
    public static final String DATOMIC_VERSION_CHANGE = "datomic-version-change";
    public static final String WITHDRAWN_RELEASE = "withdrawn-release";
    public static final String DOWNGRADE = "downgrade";
    public static final String DOWNGRADE_ALLOWED = "downgrade-allowed";
    public static final String RELEASE_NEEDS_STOP_ALL = "release-needs-stop-all";
    public static final String STOP_ALL_WITH_STANDBY = "stop-all-with-standby";
    public static final String LICENSE_KEY_NOT_NEEDED = "license-key-not-needed";
    public static final String BACKUP_BEFORE_UPGRADE = "backup-before-upgrade";
    public static final String VERSION_CHANGE_WITHOUT_BACKUP = "version-change-without-backup";
    public static final String BACKUP_SKIPPED = "backup-skipped";
    // acknowledge= in deploy.properties
    public static final String ACKNOWLEDGED_ERROR = "acknowledged-error";
    public static final String UNKNOWN_ACKNOWLEDGEMENT = "unknown-acknowledgement";

    private static final Map<String, Severity> USUAL = usual();

    private static Map<String, Severity> usual() {
        Map<String, Severity> m = new LinkedHashMap<>();
        m.put(INVALID_VALUE, Severity.ERROR);
        m.put(UNKNOWN_KEY, Severity.WARNING);
        m.put(DUPLICATE_KEY, Severity.WARNING);
        m.put(MISSING_REQUIRED_KEY, Severity.ERROR);
        m.put(UNKNOWN_INSTANCE_TYPE, Severity.ERROR);
        m.put(INSTANCE_TYPE_NOT_IN_DATOMIC_MAP, Severity.WARNING);
        m.put(NO_AMI_FOR_REGION, Severity.ERROR);
        m.put(AMI_NOT_FOUND, Severity.ERROR);
        m.put(AMI_ARCHITECTURE_MISMATCH, Severity.ERROR);
        m.put(AMI_NOT_CHECKED, Severity.WARNING);
        m.put(PLACEHOLDER_IN_CF, Severity.ERROR);
        m.put(SECURITY_GROUP_NAME_WITH_SUBNETS, Severity.WARNING);
        m.put(STORAGE_ON_INSTANCE, Severity.ERROR);
        m.put(NO_HA_FOR_PROTOCOL, Severity.ERROR);
        m.put(HEAP_ABOVE_INSTANCE_MEMORY, Severity.ERROR);
        m.put(CACHE_ABOVE_HEAP, Severity.ERROR);
        m.put(LITTLE_HEAP_HEADROOM, Severity.WARNING);
        m.put(PLAIN_TEXT_SECRET, Severity.WARNING);
        m.put(EMPTY_SECRET, Severity.ERROR);
        m.put(SECRET_UNAVAILABLE, Severity.WARNING);
        m.put(SECRET_IN_USER_DATA, Severity.WARNING);
        m.put(DATOMIC_VERSION_CHANGE, Severity.INFO);
        m.put(WITHDRAWN_RELEASE, Severity.ERROR);
        m.put(DOWNGRADE, Severity.ERROR);
        m.put(DOWNGRADE_ALLOWED, Severity.WARNING);
        m.put(RELEASE_NEEDS_STOP_ALL, Severity.WARNING);
        m.put(STOP_ALL_WITH_STANDBY, Severity.ERROR);
        m.put(LICENSE_KEY_NOT_NEEDED, Severity.INFO);
        m.put(BACKUP_BEFORE_UPGRADE, Severity.INFO);
        m.put(VERSION_CHANGE_WITHOUT_BACKUP, Severity.ERROR);
        m.put(BACKUP_SKIPPED, Severity.WARNING);
        m.put(ACKNOWLEDGED_ERROR, Severity.WARNING);
        m.put(UNKNOWN_ACKNOWLEDGEMENT, Severity.WARNING);
        return Collections.unmodifiableMap(m);
    }

    /** Every code, in the order of docs/FINDINGS.md. */
    public static Set<String> all() {
        return USUAL.keySet();
    }

    /** The severity a code's findings have (instance-type-not-in-datomic-map is info with the operator's own AMI). */
    public static Severity usualSeverity(String code) {
        return USUAL.get(code);
    }

    public static boolean isKnown(String code) {
        return USUAL.containsKey(code);
    }

    /** Findings of this code are errors: acknowledging it is refused. */
    public static boolean isError(String code) {
        return USUAL.get(code) == Severity.ERROR;
    }
}

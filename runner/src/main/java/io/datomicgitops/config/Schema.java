package io.datomicgitops.config;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import static io.datomicgitops.config.ValueType.*;

/**
 * The known keys of each kind of file, with their types. Keys ending in ".*" match any suffix (per-region
 * overrides such as {@code aws-ami.eu-west-1}). Unknown keys are warned about, not rejected: Datomic adds keys
 * in new releases and operators keep their own.
 */
public final class Schema {
    private final String kind;
    private final Map<String, ValueType> keys;
    private final Map<String, ValueType> prefixes;

    private Schema(String kind, Map<String, ValueType> keys) {
        this.kind = kind;
        this.keys = new LinkedHashMap<>();
        this.prefixes = new LinkedHashMap<>();
        keys.forEach((k, t) -> {
            if (k.endsWith(".*")) prefixes.put(k.substring(0, k.length() - 1), t);
            else this.keys.put(k, t);
        });
    }

    public String kind() { return kind; }

    public Optional<ValueType> typeOf(String key) {
        ValueType t = keys.get(key);
        if (t != null) return Optional.of(t);
        return prefixes.entrySet().stream().filter(e -> key.startsWith(e.getKey())).map(Map.Entry::getValue).findFirst();
    }

    public Iterable<String> knownKeys() {
        return keys.keySet();
    }

    private static Map<String, ValueType> map(Object... pairs) {
        Map<String, ValueType> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) m.put((String) pairs[i], (ValueType) pairs[i + 1]);
        return m;
    }

    /** transactor.properties: Datomic's transactor settings (DynamoDB and the other storages). */
    public static final Schema TRANSACTOR = new Schema("transactor.properties", map(
            "protocol", oneOf("ddb", "ddb-local", "dev", "free", "sql", "cass", "mem"),
            "host", TEXT, "alt-host", TEXT, "port", PORT,
            "license-key", TEXT,
            "aws-dynamodb-table", TEXT, "aws-dynamodb-region", REGION_NAME, "aws-dynamodb-override-endpoint", TEXT,
            "aws-transactor-role", TEXT, "aws-peer-role", TEXT,
            "aws-s3-log-bucket-id", TEXT,
            "aws-cloudwatch-region", REGION_NAME, "aws-cloudwatch-dimension-value", TEXT,
            "memory-index-threshold", SIZE_VALUE, "memory-index-max", SIZE_VALUE, "object-cache-max", SIZE_VALUE,
            "encrypt-channel", BOOLEAN,
            "data-dir", TEXT, "log-dir", TEXT, "pid-file", TEXT,
            "memcached", TEXT, "memcached-username", TEXT, "memcached-password", TEXT,
            "memcached-config-timeout-msec", NON_NEGATIVE_INT, "memcached-auto-discovery", BOOLEAN,
            "valcache-path", TEXT, "valcache-max-gb", POSITIVE_INT,
            "write-concurrency", POSITIVE_INT, "read-concurrency", POSITIVE_INT,
            "heartbeat-interval-msec", POSITIVE_INT,
            "ping-host", TEXT, "ping-port", PORT, "ping-concurrency", POSITIVE_INT,
            "metrics-callback", TEXT,
            "sql-url", TEXT, "sql-user", TEXT, "sql-password", TEXT, "sql-driver-class", TEXT, "sql-driver-params", TEXT,
            "cassandra-table", TEXT, "cassandra-host", TEXT, "cassandra-port", PORT, "cassandra-user", TEXT,
            "cassandra-password", TEXT, "cassandra-ssl", BOOLEAN,
            "storage-access", oneOf("local", "remote"), "storage-admin-password", TEXT, "storage-datomic-password", TEXT,
            "old-storage-admin-password", TEXT, "old-storage-datomic-password", TEXT,
            "h2-port", PORT, "h2-web-port", PORT));

    /** cf.properties: Datomic's CloudFormation settings, plus the hand edits operators make most. */
    public static final Schema CF = new Schema("cf.properties", map(
            "aws-instance-type", TEXT, "aws-region", REGION_NAME, "aws-instance-monitoring", BOOLEAN,
            "aws-autoscaling-group-size", POSITIVE_INT,
            "java-xmx", JAVA_XMX, "java-opts", TEXT,
            "aws-security-group", TEXT, "aws-ingress-groups", NAME_LIST, "aws-ingress-cidrs", CIDR_LIST,
            "datomic-version", DATOMIC_VERSION, "datomic-deploy-s3-bucket", TEXT,
            // our additions: an operator's own AMI, VPC placement and SSH access
            "aws-ami", AMI_ID, "aws-ami.*", AMI_ID, "aws-vpc-id", TEXT, "aws-subnets", SUBNET_LIST,
            "aws-key-name", TEXT, "aws-instance-profile", TEXT));

    /** deploy.properties: what Datomic's files do not say (documented in the README with defaults). */
    public static final Schema DEPLOY = new Schema("deploy.properties", map(
            "stack-name", TEXT, "aws-region", REGION_NAME,
            "replace-strategy", oneOf("surge", "terminate", "instance-refresh"),
            "engine", oneOf("native", "datomic"), "datomic-home", TEXT,
            "template.launch", oneOf("template", "configuration"),
            "template-bucket", TEXT,
            "stack-timeout", DURATION_VALUE, "replace-timeout", DURATION_VALUE, "health-timeout", DURATION_VALUE,
            "replace-warmup", DURATION_VALUE,
            "termination-protection", BOOLEAN,
            // the storage's protections ensure-transactor turns on (never off)
            "table-deletion-protection", BOOLEAN, "table-point-in-time-recovery", BOOLEAN,
            "log-bucket-block-public-access", BOOLEAN, "log-bucket-versioning", BOOLEAN,
            "lock-table", TEXT, "lock-lease", LOCK_LEASE,
            // the alarms that guard a deployment (guard.GuardSettings): CloudFormation's rollback triggers and the bake
            "guard-alarms", NAME_LIST, "guard-standard-alarms", BOOLEAN, "guard-bake", DURATION_VALUE,
            "guard-monitoring", MONITORING_TIME,
            // finding codes (docs/FINDINGS.md) whose warnings the operator has read and accepts
            "acknowledge", NAME_LIST,
            // a storage on the transactor's own instance (dev, free, mem, ddb-local), lost on every replacement: on purpose
            "allow-instance-storage", BOOLEAN,
            // the backup apply takes before a datomic-version change (release.UpgradeBackup)
            "backup-command", TEXT, "backup-uri", TEXT));
}

package io.datomicgitops.config;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** The type of a known property: checks a (non-blank) value and says what was expected. */
public final class ValueType {
    private static final Pattern SIZE = Pattern.compile("\\d+[kKmMgG]?");
    private static final Pattern XMX = Pattern.compile("\\d+[gGmM]");
    private static final Pattern DURATION = Pattern.compile("\\d+(ms|s|m|h)?");
    private static final Pattern IPV4_CIDR = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})/(\\d{1,2})");
    private static final Pattern AMI = Pattern.compile("ami-[0-9a-f]{8,17}");
    private static final Pattern SUBNET = Pattern.compile("subnet-[0-9a-f]{8,17}");
    private static final Pattern VERSION = Pattern.compile("\\d+\\.\\d+\\.\\d+(\\.\\d+)?(-[A-Za-z0-9.]+)?");

    private final String expected;
    private final java.util.function.Predicate<String> check;

    private ValueType(String expected, java.util.function.Predicate<String> check) {
        this.expected = expected;
        this.check = check;
    }

    public String expected() { return expected; }

    /** Empty when valid, else what was expected. */
    public Optional<String> check(String value) {
        return check.test(value) ? Optional.empty() : Optional.of(expected);
    }

    public static final ValueType TEXT = new ValueType("any text", v -> true);
    public static final ValueType BOOLEAN = new ValueType("true or false", v -> v.equals("true") || v.equals("false"));
    public static final ValueType POSITIVE_INT = new ValueType("a whole number of at least 1, e.g. 1 or 2",
            v -> v.matches("\\d{1,9}") && Integer.parseInt(v) >= 1);
    public static final ValueType NON_NEGATIVE_INT = new ValueType("a whole number, e.g. 0 or 5000", v -> v.matches("\\d{1,9}"));
    public static final ValueType PORT = new ValueType("a TCP port from 1 to 65535",
            v -> v.matches("\\d{1,5}") && Integer.parseInt(v) >= 1 && Integer.parseInt(v) <= 65535);
    public static final ValueType SIZE_VALUE = new ValueType("a size such as 32m, 512m or 1g", v -> SIZE.matcher(v).matches());
    public static final ValueType JAVA_XMX = new ValueType("a heap size such as 2625m or 4g (digits then m or g)",
            v -> XMX.matcher(v).matches());
    /**
     * A region the runner's AWS SDK knows: a typo (us-east1, us-esat-1) fails here, with file:line, not as retried calls to
     * an endpoint that does not exist. (A region newer than the SDK needs a newer runner.)
     */
    public static final ValueType REGION_NAME = new ValueType("an AWS region such as us-east-1", ValueType::isKnownRegion);
    public static final ValueType CIDR_LIST = new ValueType("comma-separated IPv4 CIDRs such as 10.0.0.0/16,192.168.1.0/24",
            v -> splitList(v).stream().allMatch(ValueType::isCidr));
    public static final ValueType NAME_LIST = new ValueType("a comma-separated list of names", v -> !splitList(v).isEmpty());
    public static final ValueType DURATION_VALUE = new ValueType("a duration such as 90s, 30m or 1h",
            v -> DURATION.matcher(v).matches());
    /**
     * A lock's lease: at least {@link DeploySettings#MIN_LOCK_LEASE}. The holder renews it every third of it; a
     * shorter lease could run out between two renewals of a live holder (a slow or retried DynamoDB call), and another
     * run would take the lock from it.
     */
    public static final ValueType LOCK_LEASE = new ValueType("a duration of at least 1m, such as 10m (the lock is renewed every third of it)",
            v -> DURATION.matcher(v).matches() && parseDuration(v).compareTo(DeploySettings.MIN_LOCK_LEASE) >= 0);
    /** CloudFormation's monitoring time of rollback triggers: whole minutes, at most 180. */
    public static final ValueType MONITORING_TIME = new ValueType("whole minutes from 0m to 180m, such as 0m or 10m",
            v -> DURATION.matcher(v).matches() && parseDuration(v).toMillis() % 60_000 == 0 && parseDuration(v).toMinutes() <= 180);
    public static final ValueType AMI_ID = new ValueType("an AMI id such as ami-0123456789abcdef0", v -> AMI.matcher(v).matches());
    public static final ValueType SUBNET_LIST = new ValueType("comma-separated subnet ids such as subnet-0123abcd,subnet-4567ef01",
            v -> splitList(v).stream().allMatch(s -> SUBNET.matcher(s).matches()));
    public static final ValueType DATOMIC_VERSION = new ValueType("a Datomic version such as 1.0.7277",
            v -> VERSION.matcher(v).matches());

    public static ValueType oneOf(String... allowed) {
        List<String> list = List.of(allowed);
        return new ValueType("one of " + String.join(", ", list), list::contains);
    }

    public static List<String> splitList(String v) {
        return java.util.Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    private static boolean isKnownRegion(String v) {
        if (!v.matches("[a-z0-9-]+") || v.endsWith("-global")) return false;
        return software.amazon.awssdk.regions.RegionMetadata.of(software.amazon.awssdk.regions.Region.of(v)) != null;
    }

    private static boolean isCidr(String s) {
        var m = IPV4_CIDR.matcher(s);
        if (!m.matches()) return false;
        for (int i = 1; i <= 4; i++) if (Integer.parseInt(m.group(i)) > 255) return false;
        return Integer.parseInt(m.group(5)) <= 32;
    }

    /** Parses a validated duration into seconds; a bare number is seconds. */
    public static java.time.Duration parseDuration(String v) {
        String s = v.trim();
        if (s.endsWith("ms")) return java.time.Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2)));
        if (s.endsWith("s")) return java.time.Duration.ofSeconds(Long.parseLong(s.substring(0, s.length() - 1)));
        if (s.endsWith("m")) return java.time.Duration.ofMinutes(Long.parseLong(s.substring(0, s.length() - 1)));
        if (s.endsWith("h")) return java.time.Duration.ofHours(Long.parseLong(s.substring(0, s.length() - 1)));
        return java.time.Duration.ofSeconds(Long.parseLong(s));
    }
}

package io.datomicgitops.template;

import io.datomicgitops.config.PropertiesFile;
import io.datomicgitops.config.Secrets;
import io.datomicgitops.config.ValueType;

import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The settings the template takes from cf.properties (and the instance profile from transactor.properties), checked:
 * every problem is collected with its file:line so the operator fixes them all in one go.
 */
record CfSettings(
        String region,
        String instanceType,
        String monitoring,
        int groupSize,
        String xmx,
        String javaOpts,
        List<String> securityGroups,
        String deployBucket,
        String datomicVersion,
        String instanceProfile,
        List<String> subnets,
        Optional<String> keyName,
        Optional<String> ami,
        SortedMap<String, String> regionAmis) {

    static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
    static final String AMI_PREFIX = "aws-ami.";
    private static final Pattern REGION = Pattern.compile("[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\\d");

    /** Reads and checks; adds every problem to {@code problems} and returns null when there is any error. */
    static CfSettings read(PropertiesFile cf, PropertiesFile tx, InputProblems problems) {
        Reader r = new Reader(cf, problems);
        for (PropertiesFile.Definition d : cf.definitions()) {
            if (Secrets.isPlaceholder(d.value())) {
                r.error(d.key(), "'" + d.key() + "' uses a placeholder: cf.properties values are written into the template",
                        "write the value itself; placeholders are for secrets in transactor.properties");
            }
        }
        String region = r.required("aws-region", "set aws-region=<the stack's region, e.g. us-east-1>");
        String instanceType = r.required("aws-instance-type", "set aws-instance-type=<EC2 instance type, e.g. m5.large>");
        if (instanceType != null && !InstanceTypes.isWellFormed(instanceType)) {
            r.error("aws-instance-type", "'aws-instance-type' = '" + instanceType + "' is not an EC2 instance type",
                    "write a type such as m5.large or c6i.xlarge");
        }
        String monitoring = r.required("aws-instance-monitoring", "set aws-instance-monitoring=true or false");
        String size = r.required("aws-autoscaling-group-size", "set aws-autoscaling-group-size=1 (2 for HA: active and standby)");
        String xmx = r.required("java-xmx", "set java-xmx (e.g. 4g), or run ensure-cf, which fills it in from the instance's memory");
        String javaOpts = unquote(cf.get("java-opts").orElse(""));
        if (javaOpts.indexOf('\'') >= 0 || javaOpts.indexOf('\n') >= 0 || javaOpts.indexOf('\r') >= 0) {
            r.error("java-opts", "'java-opts' contains a single quote inside the options",
                    "the options reach the start-up script single-quoted: remove the inner quote, "
                            + "or quote the whole value once ('-XX:... -XX:...')");
        }
        String groups = r.required("aws-security-group", "set aws-security-group=<the transactor's security group name or sg- id>");
        String bucket = r.required("datomic-deploy-s3-bucket", "set datomic-deploy-s3-bucket=<Datomic's deploy bucket for your distribution>");
        if (bucket != null && !BUCKET.matcher(bucket).matches()) {
            r.error("datomic-deploy-s3-bucket", "'datomic-deploy-s3-bucket' = '" + bucket + "' is not an S3 bucket name",
                    "write the bucket name Datomic gives for your distribution (lower case, digits, dots and dashes)");
        }
        String version = r.required("datomic-version", "set datomic-version=<the Datomic version to run, e.g. 1.0.7277>, or run ensure-cf");

        String profile = cf.get("aws-instance-profile").or(() -> tx.get("aws-transactor-role")).orElse(null);
        if (profile == null) {
            problems.missing(tx, "aws-transactor-role", "the instance profile has the role's name: run ensure-transactor, "
                    + "which creates the role and writes it back, or set aws-instance-profile in " + cf.name());
        }

        SortedMap<String, String> regionAmis = new TreeMap<>();
        for (String key : cf.keys()) {
            if (!key.startsWith(AMI_PREFIX)) continue;
            String amiRegion = key.substring(AMI_PREFIX.length());
            if (!REGION.matcher(amiRegion).matches()) {
                r.error(key, "'" + key + "' does not end with an AWS region", "name the key aws-ami.<region>, e.g. aws-ami.eu-west-1");
                continue;
            }
            cf.get(key).ifPresent(ami -> regionAmis.put(amiRegion, ami));
        }

        if (problems.hasErrors()) return null;
        return new CfSettings(region, instanceType, monitoring, Integer.parseInt(size), xmx, javaOpts,
                ValueType.splitList(groups), bucket, version, profile,
                cf.get("aws-subnets").map(ValueType::splitList).orElse(List.of()),
                cf.get("aws-key-name"), cf.get("aws-ami"), regionAmis);
    }

    /** The AMI the operator chose for a region: aws-ami.&lt;region&gt;, else aws-ami for the stack's own region. */
    Optional<String> customAmi(String forRegion) {
        if (regionAmis.containsKey(forRegion)) return Optional.of(regionAmis.get(forRegion));
        return forRegion.equals(region) ? ami : Optional.empty();
    }

    boolean securityGroupsAreIds() {
        return securityGroups.stream().allMatch(g -> g.matches("sg-[0-9a-f]{8,17}"));
    }

    /** Datomic's sample quotes java-opts for its unquoted export ({@code java-opts='-XX:...'}): drop one outer pair. */
    static String unquote(String v) {
        if (v.length() >= 2 && (v.charAt(0) == '\'' || v.charAt(0) == '"') && v.charAt(v.length() - 1) == v.charAt(0)) {
            return v.substring(1, v.length() - 1).trim();
        }
        return v;
    }

    private record Reader(PropertiesFile file, InputProblems problems) {
        String required(String key, String todo) {
            Optional<String> v = file.get(key);
            if (v.isEmpty()) problems.missing(file, key, todo);
            return v.orElse(null);
        }

        void error(String key, String what, String todo) {
            problems.error(file, key, what, todo);
        }
    }
}

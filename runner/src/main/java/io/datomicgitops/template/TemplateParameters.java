package io.datomicgitops.template;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The template's parameters: Datomic's (InstanceType, InstanceMonitoring, GroupSize, SecurityGroups, Xmx, JavaOpts,
 * DatomicDeployBucket, DatomicVersion, InstanceProfile), ours (MaxGroupSize, and Subnets / KeyName when set), each
 * with its property's value as Default, then one NoEcho parameter per secret transactor property, without Default.
 * The AllowedPatterns keep quotes out of every value the start-up script single-quotes.
 */
final class TemplateParameters {
    static final String INSTANCE_TYPE = "InstanceType";
    static final String INSTANCE_MONITORING = "InstanceMonitoring";
    static final String GROUP_SIZE = "GroupSize";
    static final String MAX_GROUP_SIZE = "MaxGroupSize";
    static final String SECURITY_GROUPS = "SecurityGroups";
    static final String SUBNETS = "Subnets";
    static final String KEY_NAME = "KeyName";
    static final String INSTANCE_PROFILE = "InstanceProfile";
    static final String XMX = "Xmx";
    static final String JAVA_OPTS = "JavaOpts";
    static final String DEPLOY_BUCKET = "DatomicDeployBucket";
    static final String VERSION = "DatomicVersion";

    /** Every name a secret's parameter must not take. */
    static final Set<String> RESERVED = Set.of(INSTANCE_TYPE, INSTANCE_MONITORING, GROUP_SIZE, MAX_GROUP_SIZE, SECURITY_GROUPS,
            SUBNETS, KEY_NAME, INSTANCE_PROFILE, XMX, JAVA_OPTS, DEPLOY_BUCKET, VERSION);

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private TemplateParameters() {}

    /** Non-secret parameter values, in template order. */
    static Map<String, String> values(CfSettings s) {
        Map<String, String> v = new LinkedHashMap<>();
        v.put(INSTANCE_TYPE, s.instanceType());
        v.put(INSTANCE_MONITORING, s.monitoring());
        v.put(GROUP_SIZE, Integer.toString(s.groupSize()));
        v.put(MAX_GROUP_SIZE, Integer.toString(s.groupSize() + 1));
        v.put(SECURITY_GROUPS, String.join(",", s.securityGroups()));
        if (!s.subnets().isEmpty()) v.put(SUBNETS, String.join(",", s.subnets()));
        s.keyName().ifPresent(k -> v.put(KEY_NAME, k));
        v.put(INSTANCE_PROFILE, s.instanceProfile());
        v.put(XMX, s.xmx());
        v.put(JAVA_OPTS, s.javaOpts());
        v.put(DEPLOY_BUCKET, s.deployBucket());
        v.put(VERSION, s.datomicVersion());
        return v;
    }

    /** The template's "Parameters" object. */
    static ObjectNode declare(CfSettings s, Map<String, String> secretParameters) {
        Map<String, String> values = values(s);
        ObjectNode p = JSON.objectNode();
        p.set(INSTANCE_TYPE, string("EC2 instance type (cf.properties aws-instance-type)", values.get(INSTANCE_TYPE)));
        p.set(INSTANCE_MONITORING, string("Detailed monitoring of the instances (cf.properties aws-instance-monitoring)",
                values.get(INSTANCE_MONITORING)).set("AllowedValues", JSON.arrayNode().add("true").add("false")));
        p.set(GROUP_SIZE, string("Transactors to run: 1, or 2 for HA (cf.properties aws-autoscaling-group-size)",
                values.get(GROUP_SIZE)).put("AllowedPattern", "[1-9][0-9]*"));
        p.set(MAX_GROUP_SIZE, string("GroupSize + 1: room to start a new transactor before the old one stops",
                values.get(MAX_GROUP_SIZE)).put("AllowedPattern", "[1-9][0-9]*"));
        p.set(SECURITY_GROUPS, JSON.objectNode()
                .put("Description", "Security groups of the transactor, names or sg- ids (cf.properties aws-security-group)")
                .put("Type", "CommaDelimitedList").put("Default", values.get(SECURITY_GROUPS)));
        if (values.containsKey(SUBNETS)) {
            p.set(SUBNETS, JSON.objectNode().put("Description", "VPC subnets of the group (cf.properties aws-subnets)")
                    .put("Type", "CommaDelimitedList").put("Default", values.get(SUBNETS)));
        }
        if (values.containsKey(KEY_NAME)) {
            p.set(KEY_NAME, string("EC2 key pair for SSH access (cf.properties aws-key-name)", values.get(KEY_NAME)));
        }
        p.set(INSTANCE_PROFILE, string("Existing IAM instance profile (transactor.properties aws-transactor-role, "
                + "or cf.properties aws-instance-profile)", values.get(INSTANCE_PROFILE)));
        p.set(XMX, string("Xmx setting for the JVM (cf.properties java-xmx)", values.get(XMX)).put("AllowedPattern", "\\d+[GgMm]"));
        p.set(JAVA_OPTS, string("Options passed to the Java launcher (cf.properties java-opts)", values.get(JAVA_OPTS))
                .put("AllowedPattern", "[^'\\r\\n]*"));
        p.set(DEPLOY_BUCKET, string("S3 bucket Datomic is downloaded from (cf.properties datomic-deploy-s3-bucket)",
                values.get(DEPLOY_BUCKET)).put("AllowedPattern", CfSettings.BUCKET.pattern()));
        p.set(VERSION, string("Datomic version to run (cf.properties datomic-version)", values.get(VERSION))
                .put("AllowedPattern", "[0-9A-Za-z.-]+"));
        secretParameters.forEach((name, key) -> p.set(name, JSON.objectNode()
                .put("Description", "transactor.properties " + key + ": secret, passed at deploy time, never stored in the template")
                .put("Type", "String").put("NoEcho", true)));
        return p;
    }

    private static ObjectNode string(String description, String defaultValue) {
        return JSON.objectNode().put("Description", description).put("Type", "String").put("Default", defaultValue);
    }
}

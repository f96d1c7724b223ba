package io.datomicgitops.ensure;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The IAM documents Datomic's ensure-transactor writes, with its policy names, and a comparison that ignores how
 * a document is spelled (a single string or a one-element list, key order, white space).
 */
final class PolicyDocuments {
    static final String VERSION = "2012-10-17";
    static final String METRICS_POLICY = "transactor-metrics";
    /** Not Datomic's: the secrets the start-up script reads at boot (config/SecretReference). */
    static final String SECRETS_POLICY = "transactor-secrets";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private PolicyDocuments() {}

    static String tablePolicyName(String table) { return table + "-transactor"; }
    static String logsPolicyName(String bucket) { return bucket + "-transactor-logs"; }
    static String peerPolicyName(String table) { return table + "-peer"; }

    /** True for names in Datomic's scheme for this role kind: policies ensure manages and reports when stale. */
    static boolean managedName(String policyName, boolean transactor) {
        return transactor
                ? policyName.endsWith("-transactor") || policyName.endsWith("-transactor-logs") || policyName.equals(METRICS_POLICY)
                        || policyName.equals(SECRETS_POLICY)
                : policyName.endsWith("-peer");
    }

    static String tableArn(String account, String table) {
        return "arn:aws:dynamodb:*:" + account + ":table/" + table;
    }

    /**
     * The transactor's inline policies, name to document, in Datomic's order, then the secrets it reads at boot:
     * {@code secretsmanager:GetSecretValue} on exactly those ARNs. No kms:Decrypt: a secret encrypted with the account's
     * default key (aws/secretsmanager) needs none; one under a customer managed key needs it on that key, which its key
     * policy grants.
     */
    static Map<String, String> transactor(String account, String table, String bucket, boolean metrics, List<String> secretArns) {
        Map<String, String> out = new LinkedHashMap<>();
        out.put(tablePolicyName(table), allow(List.of("dynamodb:*"), List.of(tableArn(account, table)), null));
        if (bucket != null) {
            out.put(logsPolicyName(bucket), allow(List.of("s3:PutObject"),
                    List.of("arn:aws:s3:::" + bucket, "arn:aws:s3:::" + bucket + "/*"), null));
        }
        if (metrics) {
            ObjectNode condition = F.objectNode();
            condition.putObject("Bool").put("aws:SecureTransport", "true");
            out.put(METRICS_POLICY, allow(List.of("cloudwatch:PutMetricData", "cloudwatch:PutMetricDataBatch"), List.of("*"), condition));
        }
        if (!secretArns.isEmpty()) out.put(SECRETS_POLICY, allow(List.of("secretsmanager:GetSecretValue"), secretArns, null));
        return out;
    }

    static Map<String, String> peer(String account, String table) {
        Map<String, String> out = new LinkedHashMap<>();
        out.put(peerPolicyName(table), allow(List.of("dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Scan", "dynamodb:Query"),
                List.of(tableArn(account, table)), null));
        return out;
    }

    static ObjectNode ec2TrustStatement() {
        ObjectNode s = F.objectNode();
        s.put("Effect", "Allow");
        s.putObject("Principal").putArray("Service").add("ec2.amazonaws.com");
        s.putArray("Action").add("sts:AssumeRole");
        return s;
    }

    static String ec2Trust() {
        ObjectNode doc = F.objectNode();
        doc.put("Version", VERSION);
        doc.putArray("Statement").add(ec2TrustStatement());
        return doc.toString();
    }

    /** True when some Allow statement lets EC2 assume the role. */
    static boolean trustsEc2(String document) {
        for (JsonNode s : statements(parse(document))) {
            if (!"Allow".equals(s.path("Effect").asText())) continue;
            boolean ec2 = strings(s.path("Principal").path("Service")).contains("ec2.amazonaws.com");
            List<String> actions = strings(s.path("Action"));
            if (ec2 && (actions.contains("sts:AssumeRole") || actions.contains("sts:*") || actions.contains("*"))) return true;
        }
        return false;
    }

    /** The document with an EC2 trust statement added to its own statements. */
    static String withEc2Trust(String document) {
        JsonNode doc = parse(document);
        ObjectNode out = F.objectNode();
        out.put("Version", doc.path("Version").asText(VERSION));
        ArrayNode statements = out.putArray("Statement");
        statements.addAll(statements(doc));
        statements.add(ec2TrustStatement());
        return out.toString();
    }

    private static String allow(List<String> actions, List<String> resources, ObjectNode condition) {
        ObjectNode doc = F.objectNode();
        doc.put("Version", VERSION);
        ObjectNode s = doc.putArray("Statement").addObject();
        s.put("Effect", "Allow");
        ArrayNode a = s.putArray("Action");
        actions.forEach(a::add);
        ArrayNode r = s.putArray("Resource");
        resources.forEach(r::add);
        if (condition != null) s.set("Condition", condition);
        return doc.toString();
    }

    /** IAM answers documents URL-encoded; some endpoints answer them plain. */
    static String decode(String document) {
        if (document == null) return null;
        String t = document.trim();
        return t.startsWith("{") ? t : URLDecoder.decode(t, StandardCharsets.UTF_8);
    }

    static JsonNode parse(String document) {
        try {
            return MAPPER.readTree(decode(document));
        } catch (JsonProcessingException e) {
            return F.textNode(document);
        }
    }

    /** Same meaning: single values and one-element lists alike, key order and white space ignored. */
    static boolean same(String a, String b) {
        return normalize(parse(a)).equals(normalize(parse(b)));
    }

    /** Compact JSON, for differences in a report. */
    static String compact(String document) {
        return parse(document).toString();
    }

    private static List<JsonNode> statements(JsonNode doc) {
        JsonNode st = doc.path("Statement");
        List<JsonNode> out = new ArrayList<>();
        if (st.isArray()) st.forEach(out::add);
        else if (st.isObject()) out.add(st);
        return out;
    }

    private static List<String> strings(JsonNode n) {
        List<String> out = new ArrayList<>();
        if (n.isArray()) n.forEach(x -> out.add(x.asText()));
        else if (n.isValueNode()) out.add(n.asText());
        return out;
    }

    private static Object normalize(JsonNode n) {
        if (n.isObject()) {
            Map<String, Object> m = new TreeMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                m.put(e.getKey(), normalize(e.getValue()));
            }
            return m;
        }
        if (n.isArray()) {
            if (n.size() == 1) return normalize(n.get(0));
            List<Object> l = new ArrayList<>();
            n.forEach(x -> l.add(normalize(x)));
            return l;
        }
        return n.asText();
    }
}

package io.datomicgitops.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.datomicgitops.report.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The runner's IAM policy as shipped ({@code resources/iam-policy.json}, the Jenkins library's resource folder), and
 * the form of it the sandbox can enforce.
 */
final class IamPolicy {
    /** A statement: its Sid, actions, resources, and whether it carries a condition. */
    record Statement(String sid, List<String> actions, List<String> resources, JsonNode condition) {
        boolean onlyThroughAwsServices() {
            return condition != null && condition.toString().contains("aws:ViaAWSService");
        }
    }

    /**
     * IAM actions the sandbox checks under another name: S3's HEAD of a bucket, its public access block. (moto 5.2.1
     * in fact authorizes PutPublicAccessBlock as s3:CreateBucket and GetPublicAccessBlock as s3:ListBucket: its
     * action table says "public_access_block" where the request says "publicAccessBlock".)
     */
    static final Map<String, String> SANDBOX_NAMES = Map.of(
            "s3:ListBucket", "s3:HeadBucket",
            "s3:PutBucketPublicAccessBlock", "s3:PutPublicAccessBlock");

    private final JsonNode document;

    private IamPolicy(JsonNode document) {
        this.document = document;
    }

    static IamPolicy load() {
        return new IamPolicy(read(file()));
    }

    static Path file() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isRegularFile(dir.resolve("resources/iam-policy.json"))) dir = dir.getParent();
        if (dir == null) throw new IllegalStateException("resources/iam-policy.json not found above " + Path.of("").toAbsolutePath());
        return dir.resolve("resources/iam-policy.json");
    }

    JsonNode document() {
        return document;
    }

    List<Statement> statements() {
        List<Statement> out = new ArrayList<>();
        for (JsonNode s : document.path("Statement")) {
            out.add(new Statement(s.path("Sid").asText(null), strings(s.get("Action")), strings(s.get("Resource")),
                    s.has("Condition") ? s.get("Condition") : null));
        }
        return out;
    }

    Statement statement(String sid) {
        return statements().stream().filter(s -> sid.equals(s.sid())).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no statement " + sid));
    }

    /** Every action granted, whatever the resource or condition. */
    Set<String> actions() {
        Set<String> out = new LinkedHashSet<>();
        statements().forEach(s -> out.addAll(s.actions()));
        return out;
    }

    /**
     * The policy as the sandbox can enforce it, without the named statements. The sandbox evaluates actions, and
     * resources for S3 only (other services are checked against "*"); it evaluates no condition of an identity
     * policy; its CloudFormation creates a stack's resources without asking IAM; and it names CloudWatch's actions
     * after the API's signing name ("monitoring:"). So: statements that only apply through an AWS service (the stack's
     * resources, made by CloudFormation) are left out, conditions are dropped, non-S3 resources become "*", and an
     * action the sandbox names differently is granted under its name too ({@link #SANDBOX_NAMES}). Every other grant
     * is exactly the shipped one.
     */
    String sandboxForm(Set<String> without) {
        ObjectNode out = Json.mapper().createObjectNode();
        out.put("Version", document.path("Version").asText());
        ArrayNode statements = out.putArray("Statement");
        for (Statement s : statements()) {
            if (without.contains(s.sid()) || s.onlyThroughAwsServices()) continue;
            ObjectNode st = statements.addObject();
            st.put("Sid", s.sid());
            st.put("Effect", "Allow");
            ArrayNode actions = st.putArray("Action");
            for (String a : s.actions()) {
                actions.add(a);
                if (a.startsWith("cloudwatch:")) actions.add("monitoring:" + a.substring("cloudwatch:".length()));
                if (SANDBOX_NAMES.containsKey(a)) actions.add(SANDBOX_NAMES.get(a));
            }
            boolean s3 = s.actions().stream().allMatch(a -> a.startsWith("s3:"));
            ArrayNode resources = st.putArray("Resource");
            if (s3) s.resources().forEach(resources::add);
            else resources.add("*");
        }
        return Json.write(out);
    }

    /** Statement Sid -> its actions, in file order. */
    Map<String, List<String>> actionsBySid() {
        Map<String, List<String>> out = new LinkedHashMap<>();
        statements().forEach(s -> out.put(s.sid(), s.actions()));
        return out;
    }

    private static List<String> strings(JsonNode node) {
        List<String> out = new ArrayList<>();
        if (node == null) return out;
        if (node.isArray()) node.forEach(n -> out.add(n.asText()));
        else out.add(node.asText());
        return out;
    }

    private static JsonNode read(Path p) {
        try {
            return Json.mapper().readTree(Files.readString(p));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package io.datomicgitops.ensure;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.datomicgitops.ExitCode;
import io.datomicgitops.ToolException;
import software.amazon.awssdk.services.cloudformation.model.CloudFormationException;
import software.amazon.awssdk.services.cloudformation.model.Parameter;
import software.amazon.awssdk.services.cloudformation.model.Stack;
import software.amazon.awssdk.services.cloudformation.model.TemplateStage;
import software.amazon.awssdk.services.iam.model.Role;

import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Read-only look at the running stack: whether it exists (DescribeStacks), and for --adopt the names it runs with,
 * from the transactor properties its UserData writes (Datomic's template writes every one of them) and its
 * InstanceProfile parameter.
 */
final class StackCheck {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final EnsureContext ctx;

    StackCheck(EnsureContext ctx) {
        this.ctx = ctx;
    }

    Optional<Stack> describe(String region, String stackName) {
        try {
            return ctx.aws.cloudFormation(region).describeStacks(r -> r.stackName(stackName)).stacks().stream().findFirst();
        } catch (CloudFormationException e) {
            if (e.statusCode() == 400 && String.valueOf(AwsCodes.message(e)).contains("does not exist")) return Optional.empty();
            throw e;
        }
    }

    /** The names the stack runs with for the given keys (keys it does not tell are absent from the answer). */
    Map<String, String> names(String region, Stack stack, Collection<String> keys) {
        Map<String, String> parameters = new LinkedHashMap<>();
        for (Parameter p : stack.parameters()) parameters.put(p.parameterKey(), p.parameterValue());
        String body = ctx.aws.cloudFormation(region)
                .getTemplate(r -> r.stackName(stack.stackName()).templateStage(TemplateStage.ORIGINAL)).templateBody();
        String userData = userDataText(body, parameters);
        Map<String, String> out = new LinkedHashMap<>();
        for (String key : keys) {
            Set<String> values = valuesOf(userData, key);
            if (values.size() > 1) {
                throw new ToolException(ExitCode.INVALID_CONFIG, "stack " + stack.stackName() + " names several values for " + key + ": " + values,
                        "stack " + stack.stackName(), "set " + key + " in the file by hand");
            }
            if (values.size() == 1) out.put(key, values.iterator().next());
        }
        if (keys.contains(Roles.TRANSACTOR_KEY) && !out.containsKey(Roles.TRANSACTOR_KEY)) {
            String profile = parameters.get("InstanceProfile");
            if (profile != null && !profile.isBlank()) {
                new InstanceProfiles(ctx).get(profile).flatMap(p -> p.roles().stream().map(Role::roleName).findFirst())
                        .ifPresent(role -> out.put(Roles.TRANSACTOR_KEY, role));
            }
        }
        return out;
    }

    static Set<String> valuesOf(String text, String key) {
        Matcher m = Pattern.compile("(?<![A-Za-z0-9-])" + Pattern.quote(key) + "=([A-Za-z0-9_.@+,-]+)").matcher(text);
        Set<String> values = new LinkedHashSet<>();
        while (m.find()) values.add(m.group(1));
        return values;
    }

    /** The UserData of a JSON template rendered to text (Fn::Join, Fn::Base64, Ref to parameters); else the raw body. */
    static String userDataText(String body, Map<String, String> parameters) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (Exception e) {
            return body; // YAML: its UserData lines are in the text as written
        }
        if (root == null || !root.isObject()) return body;
        StringBuilder out = new StringBuilder();
        collectUserData(root, parameters, out);
        return out.length() == 0 ? body : out.toString();
    }

    private static void collectUserData(JsonNode node, Map<String, String> parameters, StringBuilder out) {
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if ("UserData".equals(e.getKey())) out.append(render(e.getValue(), parameters)).append('\n');
                else collectUserData(e.getValue(), parameters, out);
            }
        } else if (node.isArray()) {
            node.forEach(n -> collectUserData(n, parameters, out));
        }
    }

    private static String render(JsonNode n, Map<String, String> parameters) {
        if (n.isTextual()) return n.asText();
        if (n.isObject()) {
            if (n.has("Ref")) return parameters.getOrDefault(n.get("Ref").asText(), "");
            if (n.has("Fn::Base64")) return render(n.get("Fn::Base64"), parameters);
            if (n.has("Fn::Join") && n.get("Fn::Join").isArray() && n.get("Fn::Join").size() == 2) {
                String sep = n.get("Fn::Join").get(0).asText();
                StringBuilder sb = new StringBuilder();
                JsonNode parts = n.get("Fn::Join").get(1);
                for (int i = 0; i < parts.size(); i++) {
                    if (i > 0) sb.append(sep);
                    sb.append(render(parts.get(i), parameters));
                }
                return sb.toString();
            }
            if (n.has("Fn::Sub")) {
                JsonNode sub = n.get("Fn::Sub");
                String text = sub.isArray() ? sub.get(0).asText() : sub.asText();
                for (Map.Entry<String, String> p : parameters.entrySet()) text = text.replace("${" + p.getKey() + "}", p.getValue());
                return text;
            }
        }
        StringBuilder sb = new StringBuilder();
        n.forEach(c -> sb.append(render(c, parameters)).append('\n'));
        return sb.toString();
    }
}

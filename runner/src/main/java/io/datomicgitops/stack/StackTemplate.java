package io.datomicgitops.stack;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.datomicgitops.ExitCode;
import io.datomicgitops.ToolException;
import io.datomicgitops.report.Json;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the runner needs to know about a CloudFormation template before sending it: its size, its parameters
 * (defaults, NoEcho), its resources, and the capabilities it needs. Templates are JSON (cf.json).
 */
public final class StackTemplate {
    /** CloudFormation's limit for TemplateBody; a larger template must be passed by TemplateURL. */
    public static final int INLINE_LIMIT_BYTES = 51_200;

    private static final Set<String> IAM_TYPES = Set.of("AWS::IAM::Role", "AWS::IAM::Policy", "AWS::IAM::ManagedPolicy",
            "AWS::IAM::InstanceProfile", "AWS::IAM::User", "AWS::IAM::Group", "AWS::IAM::AccessKey",
            "AWS::IAM::UserToGroupAddition", "AWS::IAM::RolePolicy", "AWS::IAM::GroupPolicy", "AWS::IAM::UserPolicy");
    /** A resource of these types with its name property set needs CAPABILITY_NAMED_IAM. */
    private static final Map<String, String> IAM_NAME_PROPERTIES = Map.of(
            "AWS::IAM::Role", "RoleName", "AWS::IAM::ManagedPolicy", "ManagedPolicyName",
            "AWS::IAM::InstanceProfile", "InstanceProfileName", "AWS::IAM::User", "UserName",
            "AWS::IAM::Group", "GroupName");

    public record Parameter(String key, String type, Optional<String> defaultValue, boolean noEcho) {}

    public record Resource(String logicalId, String type, Optional<String> condition) {}

    private final String body;
    private final int bytes;
    private final Map<String, Parameter> parameters;
    private final List<Resource> resources;
    private final Set<String> capabilities;

    private StackTemplate(String body, Map<String, Parameter> parameters, List<Resource> resources, Set<String> capabilities) {
        this.body = body;
        this.bytes = body.getBytes(StandardCharsets.UTF_8).length;
        this.parameters = parameters;
        this.resources = resources;
        this.capabilities = capabilities;
    }

    /** Parses a JSON template; {@code where} names it in errors (a file or a stack). */
    public static StackTemplate parse(String body, String where) {
        JsonNode root;
        try {
            root = Json.mapper().readTree(body);
        } catch (JsonProcessingException e) {
            throw new ToolException(ExitCode.INVALID_CONFIG, "the template is not valid JSON (line "
                    + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ": " + e.getOriginalMessage() + ")",
                    where, "regenerate it (create-cf-template) or fix the JSON; YAML templates are not supported");
        }
        if (root == null || !root.isObject() || !root.path("Resources").isObject() || root.path("Resources").isEmpty()) {
            throw new ToolException(ExitCode.INVALID_CONFIG, "the template has no Resources object", where,
                    "pass a CloudFormation template in JSON with at least one resource");
        }
        Map<String, Parameter> parameters = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.path("Parameters").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode p = e.getValue();
            JsonNode def = p.get("Default");
            Optional<String> defaultValue = def == null || def.isNull() ? Optional.empty()
                    : Optional.of(def.isArray() ? joinArray(def) : def.asText());
            boolean noEcho = p.path("NoEcho").asText("false").equalsIgnoreCase("true");
            parameters.put(e.getKey(), new Parameter(e.getKey(), p.path("Type").asText("String"), defaultValue, noEcho));
        }
        List<Resource> resources = new ArrayList<>();
        Set<String> capabilities = new TreeSet<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.path("Resources").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String type = e.getValue().path("Type").asText("");
            JsonNode condition = e.getValue().get("Condition");
            resources.add(new Resource(e.getKey(), type, Optional.ofNullable(condition).map(JsonNode::asText)));
            if (IAM_TYPES.contains(type)) {
                capabilities.add("CAPABILITY_IAM");
                String nameProperty = IAM_NAME_PROPERTIES.get(type);
                if (nameProperty != null && e.getValue().path("Properties").has(nameProperty)) capabilities.add("CAPABILITY_NAMED_IAM");
            }
        }
        if (root.has("Transform")) capabilities.add("CAPABILITY_AUTO_EXPAND");
        return new StackTemplate(body, parameters, resources, capabilities);
    }

    private static String joinArray(JsonNode array) {
        List<String> parts = new ArrayList<>();
        array.forEach(n -> parts.add(n.asText()));
        return String.join(",", parts);
    }

    /**
     * Whether a parameter's deployed value equals a new one. A list parameter compares its items, whether written
     * "a,b" or read back as "['a', 'b']" (as some endpoints answer).
     */
    public static boolean sameValue(String type, String previous, String value) {
        if (!"CommaDelimitedList".equals(type) && (type == null || !type.startsWith("List<"))) return Objects.equals(previous, value);
        return listItems(previous).equals(listItems(value));
    }

    static List<String> listItems(String value) {
        if (value == null) return List.of();
        String v = value.strip();
        if (v.startsWith("[") && v.endsWith("]")) v = v.substring(1, v.length() - 1);
        return java.util.Arrays.stream(v.split(",")).map(x -> x.strip().replaceAll("^['\"]|['\"]$", "")).filter(x -> !x.isEmpty()).toList();
    }

    public String body() { return body; }

    public int bytes() { return bytes; }

    public boolean fitsInline() { return bytes <= INLINE_LIMIT_BYTES; }

    public Map<String, Parameter> parameters() { return parameters; }

    public List<Resource> resources() { return resources; }

    /** CAPABILITY_IAM, CAPABILITY_NAMED_IAM, CAPABILITY_AUTO_EXPAND as the template needs them. */
    public Set<String> requiredCapabilities() { return capabilities; }

    /** Parameters the template marks NoEcho, plus those the caller says are secret. */
    public Set<String> noEchoKeys(Set<String> alsoSecret) {
        Set<String> keys = new LinkedHashSet<>(alsoSecret);
        parameters.values().stream().filter(Parameter::noEcho).map(Parameter::key).forEach(keys::add);
        return keys;
    }

    /**
     * Every declared parameter with its value: the given one, else the template's default. Every parameter is
     * passed explicitly (on an update, an omitted parameter would also fall back to its default, but being explicit
     * keeps the change set honest and avoids UsePreviousValue). Unknown or missing parameters are errors.
     */
    public Map<String, String> resolveParameters(Map<String, String> given, String where) {
        for (String key : given.keySet()) {
            if (!parameters.containsKey(key)) {
                throw new ToolException(ExitCode.INVALID_CONFIG, "parameter " + key + " is not declared in the template", where,
                        "remove it, or use one of: " + String.join(", ", parameters.keySet()));
            }
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (Parameter p : parameters.values()) {
            String value = given.containsKey(p.key()) ? given.get(p.key()) : p.defaultValue().orElse(null);
            if (value == null) {
                throw new ToolException(ExitCode.INVALID_CONFIG, "parameter " + p.key() + " has no value and no Default", where,
                        "pass it (--parameter " + p.key() + "=VALUE) or give it a Default in the template");
            }
            values.put(p.key(), value);
        }
        return values;
    }
}

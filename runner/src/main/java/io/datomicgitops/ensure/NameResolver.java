package io.datomicgitops.ensure;

import io.datomicgitops.ExitCode;
import io.datomicgitops.ToolException;
import software.amazon.awssdk.services.cloudformation.model.Stack;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Names for the keys a file leaves to ensure. In this order: a resource tagged for the system and key is reused
 * (recovered); else, when the stack already runs, the file is refused unless --adopt (names from the stack) or
 * --allow-new-resources (new names) says what to do; else a name is generated the way Datomic does.
 */
final class NameResolver {
    /** A key without a value, how to find its tagged resource, and how to name a new one. */
    record Missing(String key, Supplier<List<String>> findTagged, Supplier<Name> generate) {}

    private final EnsureContext ctx;
    private final Plan plan;

    NameResolver(EnsureContext ctx, Plan plan) {
        this.ctx = ctx;
        this.plan = plan;
    }

    Map<String, Name> resolve(List<Missing> missing, String stackRegion) {
        Map<String, Name> names = new LinkedHashMap<>();
        List<Missing> remaining = new ArrayList<>();
        for (Missing m : missing) {
            List<String> tagged = m.findTagged().get().stream().sorted().toList();
            if (tagged.size() > 1) {
                throw new ToolException(ExitCode.INVALID_CONFIG, "several resources are tagged for system " + ctx.system()
                        + " and key " + m.key() + ": " + tagged, plan.file.name(),
                        "set " + m.key() + " to the one in use; the others are leftovers to remove by hand");
            }
            if (tagged.size() == 1) {
                names.put(m.key(), new Name(m.key(), tagged.get(0), Name.Source.RECOVERED,
                        "found again by its tags (system " + ctx.system() + ")"));
            } else {
                remaining.add(m);
            }
        }
        if (remaining.isEmpty()) return names;
        List<String> keys = remaining.stream().map(Missing::key).toList();
        Optional<String> stackName = ctx.options.stackName();
        Optional<Stack> stack = Optional.empty();
        if (stackName.isEmpty()) {
            plan.warnings.add("no stack name given: cannot check whether a running stack already uses names for " + keys
                    + " (pass --stack-name, or keep a deploy.properties next to the file)");
        } else {
            stack = new StackCheck(ctx).describe(stackRegion, stackName.get());
        }
        if (stack.isPresent()) {
            String s = stackName.get();
            if (ctx.options.adopt()) {
                Map<String, String> adopted = new StackCheck(ctx).names(stackRegion, stack.get(), keys);
                adopted.forEach((k, v) -> names.put(k, new Name(k, v, Name.Source.ADOPTED, "taken from stack " + s + " (--adopt)")));
                remaining.removeIf(m -> adopted.containsKey(m.key()));
                if (!remaining.isEmpty() && !ctx.options.allowNewResources()) {
                    throw new ToolException(ExitCode.INVALID_CONFIG, "stack " + s + " does not tell the names for "
                            + remaining.stream().map(Missing::key).toList(), plan.file.name(),
                            "set them in the file by hand, or add --allow-new-resources to create new ones");
                }
            } else if (!ctx.options.allowNewResources()) {
                throw new ToolException(ExitCode.INVALID_CONFIG, "stack " + s + " already exists, but " + plan.file.name()
                        + " has no value for " + String.join(", ", keys) + " and no resource tagged for them was found:"
                        + " new names would create a second set of resources", plan.file.name(),
                        "restore the keys from the file's git history; or pass --adopt to take the names the stack runs with,"
                                + " or --allow-new-resources to create new ones");
            }
            if (!remaining.isEmpty()) {
                plan.warnings.add("stack " + s + " exists; new names for " + remaining.stream().map(Missing::key).toList()
                        + " because --allow-new-resources was given");
            }
        }
        for (Missing m : remaining) names.put(m.key(), m.generate().get());
        return names;
    }
}

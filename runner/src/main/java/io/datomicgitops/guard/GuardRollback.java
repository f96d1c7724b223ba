package io.datomicgitops.guard;

import io.datomicgitops.configrepo.StackInputs;
import io.datomicgitops.instances.InstanceReplacer;
import io.datomicgitops.instances.LaunchTemplateVersion;
import io.datomicgitops.instances.ReplacementResult;
import io.datomicgitops.stack.StackDeployer;
import io.datomicgitops.stack.StackOutcome;
import io.datomicgitops.stack.StackRequest;
import io.datomicgitops.stack.StackResult;
import io.datomicgitops.stack.StackTags;
import io.datomicgitops.stack.StackTemplate;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Returns a stack to its previous deployment: the previous template through a change set (the same deployer as every
 * update), then, when the deployment replaced transactors, every instance of the group replaced again with the
 * stack's own strategy, so the transactors run the previous launch again.
 */
final class GuardRollback {
    private final StackDeployer deployer;
    private final InstanceReplacer replacer;
    private final LaunchTemplateVersion versions;

    GuardRollback(StackDeployer deployer, InstanceReplacer replacer, LaunchTemplateVersion versions) {
        this.deployer = deployer;
        this.replacer = replacer;
        this.versions = versions;
    }

    /** What the previous deployment ran: its template, and the commit it came from (empty: read from the stack). */
    record Previous(String template, Optional<String> commit) {
        String describe() {
            return commit.map(c -> "cf.json of " + c.substring(0, Math.min(10, c.length()))).orElse("the template the stack ran before");
        }
    }

    /** Rolls back and says what it did, in one line for the error. */
    String run(StackInputs in, StackRequest deployed, Previous previous, String group, boolean instancesReplaced) {
        StackResult stack = deployer.apply(request(deployed, previous));
        String done = "stack " + deployed.stackName() + " back to " + previous.describe() + " (" + stack.outcome() + ")";
        if (!instancesReplaced || stack.outcome() == StackOutcome.NO_CHANGES) return done;
        String groupNow = stack.autoScalingGroup() != null ? stack.autoScalingGroup() : group;
        versions.read(groupNow).ifPresent(l -> versions.alignGroup(groupNow, l));
        ReplacementResult back = replacer.replace(in.settings().replacementRequest(groupNow, Optional.of(in.tx())).withAll(true));
        return done + ", " + back.replaced().size() + " instance(s) replaced by " + back.strategy() + " (" + String.join(", ", back.launched()) + " now run it)";
    }

    /**
     * The previous template as a request: its parameters take their defaults (a generated template's parameters default
     * to their values), its secret ones this run's values; the deployment's tags, naming the previous commit; no rollback
     * triggers, since one of them is in ALARM already.
     */
    static StackRequest request(StackRequest deployed, Previous previous) {
        StackTemplate template = StackTemplate.parse(previous.template(), "the previous template of stack " + deployed.stackName());
        Map<String, String> secrets = new LinkedHashMap<>();
        template.noEchoKeys(deployed.noEchoParameters()).forEach(k -> {
            String value = deployed.parameters().get(k);
            if (value != null && template.parameters().containsKey(k)) secrets.put(k, value);
        });
        Map<String, String> tags = new LinkedHashMap<>(deployed.tags());
        previous.commit().ifPresentOrElse(c -> tags.put(StackTags.COMMIT, c), () -> tags.remove(StackTags.COMMIT));
        StackRequest.Builder b = StackRequest.builder(deployed.stackName(), previous.template())
                .parameters(secrets).noEcho(secrets.keySet()).tags(tags)
                .timeout(deployed.timeout()).templateBucket(deployed.templateBucket().orElse(null))
                .terminationProtection(deployed.terminationProtection());
        deployed.capabilities().forEach(b::capability);
        return b.build();
    }
}

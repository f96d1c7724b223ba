package io.datomicgitops.ensure;

import io.datomicgitops.CommandLines;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A role's inline policies in Datomic's scheme: each desired policy is created or brought back to its document
 * (PutRolePolicy only when it differs); a policy in the scheme the file no longer asks for (an old table or
 * bucket name) is reported, never deleted.
 */
final class RolePolicies {
    private final EnsureContext ctx;

    RolePolicies(EnsureContext ctx) {
        this.ctx = ctx;
    }

    /** @param region the stack's region: the advice's aws command names it (IAM is global, but the partition is the region's) */
    List<Step> ensure(String region, String role, boolean roleExists, Map<String, String> desired, boolean transactor) {
        List<Step> steps = new ArrayList<>();
        for (Map.Entry<String, String> p : desired.entrySet()) {
            String policy = p.getKey();
            String document = p.getValue();
            String label = role + "/" + policy;
            Optional<String> current = roleExists ? get(role, policy) : Optional.empty();
            if (current.isPresent() && PolicyDocuments.same(current.get(), document)) {
                steps.add(Step.report(ResourceChange.of(ResourceChange.Kind.IAM_POLICY, label, ResourceChange.Action.UNCHANGED, null,
                        List.of(), null)));
                continue;
            }
            ResourceChange change = ResourceChange.of(ResourceChange.Kind.IAM_POLICY, label,
                    current.isPresent() ? ResourceChange.Action.UPDATE : ResourceChange.Action.CREATE, null,
                    List.of("Iam:PutRolePolicy"), null);
            if (current.isPresent()) {
                change = change.withDifferences(List.of(new ResourceChange.Difference("document",
                        PolicyDocuments.compact(current.get()), PolicyDocuments.compact(document))));
            }
            steps.add(Step.of(change, () -> ctx.aws.iam().putRolePolicy(r -> r.roleName(role).policyName(policy).policyDocument(document))));
        }
        if (roleExists) {
            Map<String, String> roleTags = null; // read once, when a policy's owner is asked for
            for (String policy : policyNames(role)) {
                if (!desired.containsKey(policy) && PolicyDocuments.managedName(policy, transactor)) {
                    if (roleTags == null) roleTags = new Roles(ctx).tags(role);
                    steps.add(Step.report(ResourceChange.of(ResourceChange.Kind.IAM_POLICY, role + "/" + policy,
                            ResourceChange.Action.STALE_POLICY_KEPT, null, List.of(), staleNote(region, role, policy, roleTags))));
                }
            }
        }
        return steps;
    }

    private List<String> policyNames(String role) {
        Optional<IamAccount> account = ctx.iamAccount();
        if (account.isPresent()) return account.get().inlinePolicyNames(role);
        return ctx.aws.iam().listRolePoliciesPaginator(r -> r.roleName(role)).policyNames().stream().toList();
    }

    /**
     * A policy the file does not ask for, on a role several systems may share under Datomic's default names: this
     * system's to remove only when the role is (its {@code datomic-gitops:system} tag names this system). Another
     * system's policy is named as that system's; with no owner on the role, nobody is told to delete anything.
     */
    private String staleNote(String region, String role, String policy, Map<String, String> roleTags) {
        String owner = roleTags.get(Tags.SYSTEM);
        if (ctx.system().equals(owner)) {
            return "in Datomic's naming scheme but no longer asked for by the file; not deleted (remove it by hand once unused: "
                    + CommandLines.of("aws", "iam", "delete-role-policy", "--role-name", role, "--policy-name", policy, "--region", region) + ")";
        }
        if (owner != null) {
            return "in Datomic's naming scheme, not asked for by this file: the role is system " + owner + "'s (its " + Tags.SYSTEM
                    + " tag) and shared with this system, so the policy is taken for " + owner + "'s; left alone";
        }
        return "in Datomic's naming scheme, not asked for by this file, on a role shared under Datomic's default name whose tags "
                + "name no owning system (" + Tags.SYSTEM + "): another system may use it; left alone";
    }

    private Optional<String> get(String role, String policy) {
        Optional<IamAccount> account = ctx.iamAccount();
        if (account.isPresent()) return account.get().inlinePolicy(role, policy);
        try {
            return Optional.of(ctx.aws.iam().getRolePolicy(r -> r.roleName(role).policyName(policy)).policyDocument());
        } catch (NoSuchEntityException e) {
            return Optional.empty();
        }
    }
}

package io.datomicgitops.ensure;

import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.EntityType;
import software.amazon.awssdk.services.iam.model.IamException;
import software.amazon.awssdk.services.iam.model.InstanceProfile;
import software.amazon.awssdk.services.iam.model.Role;
import software.amazon.awssdk.services.iam.model.RoleDetail;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every role of the account with its trust policy, tags, inline policies and instance profiles, read in one walk of
 * GetAccountAuthorizationDetails: what a plan needs of IAM for all its stacks, in a page per 1,000 roles instead of
 * a dozen calls per stack (GetRole, ListRoleTags, ListRolePolicies, GetRolePolicy, GetInstanceProfile per name).
 * A profile that holds no role is not in the answer: {@link #profile} says "unknown" for it, and the caller asks IAM.
 */
record IamAccount(Map<String, RoleDetail> roles, Map<String, InstanceProfile> profiles) {
    /** The most roles IAM returns in one page. */
    private static final int PAGE = 1000;

    /**
     * The account's roles, or empty when the caller may not read them in bulk (a policy older than this tool's
     * that grants the per-role reads only): the planners then read role by role, as they did.
     */
    static Optional<IamAccount> read(IamClient iam) {
        Map<String, RoleDetail> roles = new LinkedHashMap<>();
        Map<String, InstanceProfile> profiles = new LinkedHashMap<>();
        try {
            iam.getAccountAuthorizationDetailsPaginator(r -> r.filter(EntityType.ROLE).maxItems(PAGE)).roleDetailList().forEach(role -> {
                roles.put(role.roleName(), role);
                role.instanceProfileList().forEach(p -> profiles.put(p.instanceProfileName(), p));
            });
        } catch (IamException e) {
            if (e.statusCode() == 403) return Optional.empty();
            throw e;
        }
        return Optional.of(new IamAccount(roles, profiles));
    }

    List<String> roleNames() {
        return List.copyOf(roles.keySet());
    }

    /** The role as GetRole would answer it (name, ARN, trust policy, tags). */
    Optional<Role> role(String name) {
        return Optional.ofNullable(roles.get(name)).map(d -> Role.builder().roleName(d.roleName()).roleId(d.roleId()).arn(d.arn())
                .path(d.path()).createDate(d.createDate()).assumeRolePolicyDocument(d.assumeRolePolicyDocument())
                .permissionsBoundary(d.permissionsBoundary()).tags(d.tags()).build());
    }

    /** The role's tags; empty for an unknown role. */
    Map<String, String> tags(String role) {
        Map<String, String> out = new LinkedHashMap<>();
        RoleDetail d = roles.get(role);
        if (d != null) d.tags().forEach(t -> out.put(t.key(), t.value()));
        return out;
    }

    List<String> inlinePolicyNames(String role) {
        RoleDetail d = roles.get(role);
        return d == null ? List.of() : d.rolePolicyList().stream().map(p -> p.policyName()).toList();
    }

    Optional<String> inlinePolicy(String role, String policy) {
        RoleDetail d = roles.get(role);
        if (d == null) return Optional.empty();
        return d.rolePolicyList().stream().filter(p -> p.policyName().equals(policy)).map(p -> p.policyDocument()).findFirst();
    }

    /** The profile when it holds a role; empty when it holds none or does not exist (the answer cannot tell them apart). */
    Optional<InstanceProfile> profile(String name) {
        return Optional.ofNullable(profiles.get(name));
    }
}

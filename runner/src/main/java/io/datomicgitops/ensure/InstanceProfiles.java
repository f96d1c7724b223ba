package io.datomicgitops.ensure;

import io.datomicgitops.ExitCode;
import io.datomicgitops.ToolException;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.EntityAlreadyExistsException;
import software.amazon.awssdk.services.iam.model.InstanceProfile;
import software.amazon.awssdk.services.iam.model.LimitExceededException;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import software.amazon.awssdk.services.iam.model.Role;
import software.amazon.awssdk.services.iam.model.Tag;

import java.util.List;
import java.util.Optional;

/**
 * The instance profile that lets an EC2 instance run as a role. A profile holds at most one role (an IAM quota):
 * a profile that already holds another role is an error, never changed.
 */
final class InstanceProfiles {
    private final EnsureContext ctx;

    InstanceProfiles(EnsureContext ctx) {
        this.ctx = ctx;
    }

    Optional<InstanceProfile> get(String name) {
        // the bulk read knows every profile that holds a role; one that holds none (or none at all) is asked for
        Optional<InstanceProfile> known = ctx.iamAccount().flatMap(a -> a.profile(name));
        if (known.isPresent()) return known;
        try {
            return Optional.of(ctx.aws.iam().getInstanceProfile(r -> r.instanceProfileName(name)).instanceProfile());
        } catch (NoSuchEntityException e) {
            return Optional.empty();
        }
    }

    /**
     * @param tagKey the properties key the profile belongs to (its name comes from it)
     * @param where  file:line for errors
     */
    Step ensure(String profile, String role, String tagKey, String where) {
        Optional<InstanceProfile> existing = get(profile);
        if (existing.isEmpty()) {
            ResourceChange change = ResourceChange.of(ResourceChange.Kind.INSTANCE_PROFILE, profile, ResourceChange.Action.CREATE, null,
                    List.of("Iam:CreateInstanceProfile", "Iam:AddRoleToInstanceProfile"), "holds role " + role);
            return Step.of(change, () -> {
                create(profile, tagKey);
                addRole(profile, role);
            });
        }
        List<String> roles = existing.get().roles().stream().map(Role::roleName).toList();
        if (roles.contains(role)) {
            return Step.report(ResourceChange.of(ResourceChange.Kind.INSTANCE_PROFILE, profile, ResourceChange.Action.UNCHANGED, null,
                    List.of(), "holds role " + role));
        }
        if (!roles.isEmpty()) throw holdsAnother(profile, roles.get(0), role, where, null);
        ResourceChange change = ResourceChange.of(ResourceChange.Kind.INSTANCE_PROFILE, profile, ResourceChange.Action.UPDATE, null,
                        List.of("Iam:AddRoleToInstanceProfile"), null)
                .withDifferences(List.of(new ResourceChange.Difference("roles", "[]", "[" + role + "]")));
        return Step.of(change, () -> addRole(profile, role));
    }

    private void create(String profile, String tagKey) {
        try {
            ctx.aws.iam().createInstanceProfile(r -> r.instanceProfileName(profile)
                    .tags(Tags.as(ctx.system(), tagKey, (k, v) -> Tag.builder().key(k).value(v).build())));
        } catch (EntityAlreadyExistsException e) {
            // our own earlier attempt (a retried call) may go on; anyone else's profile is not ours to take
            if (!Tags.matches(tags(profile), ctx.system(), tagKey)) {
                throw new ToolException(ExitCode.FAILED, "instance profile " + profile + " appeared after the plan, created by someone else",
                        "IAM", "re-run to see it in the plan", e);
            }
        }
    }

    /** GetInstanceProfile carries the tags (and needs no extra IAM action); ListInstanceProfileTags when it carries none. */
    private java.util.Map<String, String> tags(String profile) {
        java.util.Map<String, String> tags = new java.util.LinkedHashMap<>();
        get(profile).ifPresent(p -> p.tags().forEach(t -> tags.put(t.key(), t.value())));
        if (tags.isEmpty()) {
            for (Tag t : ctx.aws.iam().listInstanceProfileTagsPaginator(r -> r.instanceProfileName(profile)).tags()) tags.put(t.key(), t.value());
        }
        return tags;
    }

    private void addRole(String profile, String role) {
        IamClient iam = ctx.aws.iam();
        try {
            iam.addRoleToInstanceProfile(r -> r.instanceProfileName(profile).roleName(role));
        } catch (LimitExceededException e) {
            // the profile already holds a role: fine when it is ours (a retried call), an error otherwise
            List<String> roles = get(profile).map(p -> p.roles().stream().map(Role::roleName).toList()).orElse(List.of());
            if (!roles.contains(role)) throw holdsAnother(profile, roles.isEmpty() ? "another role" : roles.get(0), role, "IAM", e);
        }
    }

    private static ToolException holdsAnother(String profile, String other, String role, String where, Throwable cause) {
        return new ToolException(ExitCode.FAILED, "instance profile " + profile + " already holds role " + other
                + " (a profile holds one role): it cannot also hold " + role, where,
                "name another profile with aws-instance-profile in cf.properties, or move the profile to " + role + " by hand", cause);
    }
}

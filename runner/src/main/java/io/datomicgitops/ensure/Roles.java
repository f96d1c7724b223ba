package io.datomicgitops.ensure;

import io.datomicgitops.ExitCode;
import io.datomicgitops.ToolException;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.EntityAlreadyExistsException;
import software.amazon.awssdk.services.iam.model.LimitExceededException;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import software.amazon.awssdk.services.iam.model.Role;
import software.amazon.awssdk.services.iam.model.Tag;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The transactor and peer roles: Datomic's generated names ({@code datomic-aws-transactor}, {@code -1}, {@code -2},
 * ... the first one free), the EC2 trust policy, and our tags on every role we create.
 */
final class Roles {
    static final String TRANSACTOR_KEY = "aws-transactor-role";
    static final String PEER_KEY = "aws-peer-role";
    static final String TRANSACTOR_PREFIX = "datomic-aws-transactor";
    static final String PEER_PREFIX = "datomic-aws-peer";

    private final EnsureContext ctx;

    Roles(EnsureContext ctx) {
        this.ctx = ctx;
    }

    static String prefix(String key) {
        return TRANSACTOR_KEY.equals(key) ? TRANSACTOR_PREFIX : PEER_PREFIX;
    }

    /** Names Datomic generates for the key: the prefix alone or with a numeric suffix. */
    static Pattern generatedPattern(String key) {
        return Pattern.compile(Pattern.quote(prefix(key)) + "(-\\d+)?");
    }

    /** Datomic's choice: the prefix, else prefix-1, prefix-2, ... whichever no role has yet. */
    static String firstFree(String prefix, List<String> existing, Set<String> taken) {
        Set<String> used = new HashSet<>(existing);
        used.addAll(taken);
        if (!used.contains(prefix)) return prefix;
        for (int i = 1; ; i++) {
            String candidate = prefix + "-" + i;
            if (!used.contains(candidate)) return candidate;
        }
    }

    Optional<Role> get(String name) {
        Optional<IamAccount> account = ctx.iamAccount();
        if (account.isPresent()) return account.get().role(name);
        try {
            return Optional.of(ctx.aws.iam().getRole(r -> r.roleName(name)).role());
        } catch (NoSuchEntityException e) {
            return Optional.empty();
        }
    }

    Map<String, String> tags(String role) {
        Optional<IamAccount> account = ctx.iamAccount();
        if (account.isPresent()) return account.get().tags(role);
        Map<String, String> out = new LinkedHashMap<>();
        for (Tag t : ctx.aws.iam().listRoleTagsPaginator(r -> r.roleName(role)).tags()) out.put(t.key(), t.value());
        return out;
    }

    /** Roles with a Datomic-generated name that carry this system's tag for the key (ListRoleTags only on those). */
    List<String> findTagged(String key) {
        Pattern pattern = generatedPattern(key);
        List<String> found = new ArrayList<>();
        for (String name : ctx.roleNames()) {
            if (!pattern.matcher(name).matches()) continue;
            try {
                if (Tags.matches(tags(name), ctx.system(), key)) found.add(name);
            } catch (NoSuchEntityException e) {
                // deleted while we listed
            }
        }
        return found;
    }

    /**
     * The role step: create (with the EC2 trust policy and our tags) when missing. An existing role is left as is,
     * except that the transactor's role, which must run on EC2, gets the EC2 statement added to its trust policy
     * when EC2 cannot assume it (a peer role may serve peers elsewhere: its trust is not ours to judge).
     */
    Step ensure(Name name, Optional<Role> existing) {
        String role = name.value();
        if (existing.isEmpty()) {
            ResourceChange change = ResourceChange.of(ResourceChange.Kind.IAM_ROLE, role, ResourceChange.Action.CREATE, name.key(),
                    List.of("Iam:CreateRole"), "trusted by EC2");
            return Step.of(change, () -> create(role, name.key())).writes(name);
        }
        String trust = PolicyDocuments.decode(existing.get().assumeRolePolicyDocument());
        if (TRANSACTOR_KEY.equals(name.key()) && trust != null && !PolicyDocuments.trustsEc2(trust)) {
            String updated = PolicyDocuments.withEc2Trust(trust);
            ResourceChange change = ResourceChange.of(ResourceChange.Kind.IAM_ROLE, role, ResourceChange.Action.UPDATE, name.key(),
                    List.of("Iam:UpdateAssumeRolePolicy"), appendNote(name, "EC2 may not assume it yet: the EC2 statement is added"))
                    .withDifferences(List.of(new ResourceChange.Difference("trust policy", PolicyDocuments.compact(trust), updated)));
            return Step.of(change, () -> ctx.aws.iam().updateAssumeRolePolicy(r -> r.roleName(role).policyDocument(updated)))
                    .writes(name);
        }
        return Step.report(ResourceChange.of(ResourceChange.Kind.IAM_ROLE, role, name.existingAction(), name.key(), List.of(),
                name.note())).writes(name);
    }

    private static String appendNote(Name name, String note) {
        return name.note() == null ? note : name.note() + "; " + note;
    }

    private void create(String role, String key) {
        IamClient iam = ctx.aws.iam();
        try {
            iam.createRole(r -> r.roleName(role)
                    .assumeRolePolicyDocument(PolicyDocuments.ec2Trust())
                    .description("Datomic " + (TRANSACTOR_KEY.equals(key) ? "transactor" : "peer") + " role (" + ctx.system() + ")")
                    .tags(Tags.as(ctx.system(), key, (k, v) -> Tag.builder().key(k).value(v).build())));
        } catch (EntityAlreadyExistsException e) {
            // our own earlier attempt (a retried call) may go on; anyone else's role is not ours to take
            if (!Tags.matches(tags(role), ctx.system(), key)) {
                throw new ToolException(ExitCode.FAILED, "IAM role " + role + " appeared after the plan, created by someone else",
                        "IAM", "re-run: the plan then sees it and picks the next free name", e);
            }
        } catch (LimitExceededException e) {
            throw new ToolException(ExitCode.FAILED, "IAM refused to create role " + role + ": " + AwsCodes.message(e),
                    "IAM", "the account's IAM role quota is reached: delete unused roles or ask AWS for a higher quota, then re-run", e);
        }
    }
}

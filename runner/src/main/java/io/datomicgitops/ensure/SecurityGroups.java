package io.datomicgitops.ensure;

import io.datomicgitops.ExitCode;
import io.datomicgitops.ToolException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.IpPermission;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.SecurityGroup;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.UserIdGroupPair;
import software.amazon.awssdk.services.ec2.model.Vpc;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The transactor's security group, by name in its VPC (aws-vpc-id, else the default VPC, as Datomic), created when
 * missing, with TCP ingress on the transactor port from the ingress groups and CIDRs. Only missing rules are added
 * (one call each); rules the file does not ask for are reported and kept.
 */
final class SecurityGroups {
    static final String KEY = "aws-security-group";

    private final EnsureContext ctx;

    SecurityGroups(EnsureContext ctx) {
        this.ctx = ctx;
    }

    String vpc(String region, Optional<String> configured, String where) {
        if (configured.isPresent()) return configured.get();
        // a region's default VPC does not change during a run: asked once for all the stacks
        Optional<String> vpc = ctx.aws.once("ec2:default-vpc:" + region, () -> ctx.aws.ec2(region)
                .describeVpcs(r -> r.filters(f("isDefault", "true"))).vpcs().stream().map(Vpc::vpcId).findFirst());
        return vpc.orElseThrow(() -> new ToolException(ExitCode.INVALID_CONFIG, "region " + region
                + " has no default VPC to put the security group in", where, "set aws-vpc-id in cf.properties"));
    }

    Optional<SecurityGroup> find(String region, String vpc, String name) {
        if (ctx.options.plan()) {
            // every stack of a plan looks in the same VPC: its groups are read once for all of them
            List<SecurityGroup> all = ctx.aws.untilChange("ec2:security-groups:" + region + ":" + vpc, () -> ctx.aws.ec2(region)
                    .describeSecurityGroupsPaginator(r -> r.filters(f("vpc-id", vpc))).securityGroups().stream().toList());
            return all.stream().filter(g -> name.equals(g.groupName())).findFirst();
        }
        return ctx.aws.ec2(region).describeSecurityGroups(r -> r.filters(f("group-name", name), f("vpc-id", vpc)))
                .securityGroups().stream().findFirst();
    }

    private static Filter f(String name, String value) {
        return Filter.builder().name(name).values(value).build();
    }

    /** Where ingress may come from: a CIDR, or a group (id, possibly of another account). */
    record Source(String cidr, String groupId, String userId, String label) {
        boolean isGroup() { return cidr == null; }
    }

    /** One ingress rule as EC2 stores it, one source per rule. */
    record Rule(String protocol, int from, int to, String source) {
        boolean covers(String proto, int port, String src) {
            boolean p = "-1".equals(protocol) || protocol.equals(proto);
            boolean ports = "-1".equals(protocol) || (from <= port && port <= to);
            return p && ports && source.equals(src);
        }

        @Override
        public String toString() {
            String ports = "-1".equals(protocol) ? "all" : protocol + "/" + (from == to ? String.valueOf(from) : from + "-" + to);
            return ports + " from " + source;
        }
    }

    static List<Rule> rules(SecurityGroup g) {
        List<Rule> out = new ArrayList<>();
        for (IpPermission p : g.ipPermissions()) {
            int from = p.fromPort() == null ? -1 : p.fromPort();
            int to = p.toPort() == null ? -1 : p.toPort();
            p.ipRanges().forEach(r -> out.add(new Rule(p.ipProtocol(), from, to, r.cidrIp())));
            p.ipv6Ranges().forEach(r -> out.add(new Rule(p.ipProtocol(), from, to, r.cidrIpv6())));
            p.userIdGroupPairs().forEach(u -> out.add(new Rule(p.ipProtocol(), from, to, u.groupId())));
            p.prefixListIds().forEach(l -> out.add(new Rule(p.ipProtocol(), from, to, l.prefixListId())));
        }
        return out;
    }

    /**
     * @param groups entries of aws-ingress-groups: a group name in the VPC, a group id, or account:name / account:id
     */
    List<Step> ensure(String region, String vpc, String name, int port, List<String> groups, List<String> cidrs,
                      String account, String where) {
        List<Step> steps = new ArrayList<>();
        Optional<SecurityGroup> existing = find(region, vpc, name);
        AtomicReference<String> groupId = new AtomicReference<>(existing.map(SecurityGroup::groupId).orElse(null));
        if (existing.isPresent()) {
            steps.add(Step.report(ResourceChange.of(ResourceChange.Kind.SECURITY_GROUP, name, ResourceChange.Action.UNCHANGED, KEY,
                    List.of(), groupId.get() + " in " + vpc)));
        } else {
            steps.add(Step.of(ResourceChange.of(ResourceChange.Kind.SECURITY_GROUP, name, ResourceChange.Action.CREATE, KEY,
                    List.of("Ec2:CreateSecurityGroup"), "in " + vpc), () -> groupId.set(create(region, vpc, name))));
        }
        List<Source> sources = new ArrayList<>();
        for (String g : groups) sources.add(resolveGroup(region, vpc, name, groupId.get(), g, account, where));
        for (String c : cidrs) sources.add(new Source(c, null, null, c));

        List<Rule> current = existing.map(SecurityGroups::rules).orElse(List.of());
        List<Rule> matched = new ArrayList<>();
        for (Source s : sources) {
            String key = s.isGroup() ? s.groupId() : s.cidr();
            String label = name + " tcp/" + port + " from " + s.label();
            Optional<Rule> exact = key == null ? Optional.empty()
                    : current.stream().filter(r -> r.protocol().equals("tcp") && r.from() == port && r.to() == port && r.source().equals(key)).findFirst();
            Optional<Rule> covering = key == null ? Optional.empty() : current.stream().filter(r -> r.covers("tcp", port, key)).findFirst();
            if (exact.isPresent()) {
                matched.add(exact.get());
                steps.add(Step.report(ResourceChange.of(ResourceChange.Kind.INGRESS_RULE, label, ResourceChange.Action.UNCHANGED, null, List.of(), null)));
            } else if (covering.isPresent()) {
                matched.add(covering.get());
                steps.add(Step.report(ResourceChange.of(ResourceChange.Kind.INGRESS_RULE, label, ResourceChange.Action.UNCHANGED, null, List.of(),
                        "covered by the rule " + covering.get())));
            } else {
                steps.add(Step.of(ResourceChange.of(ResourceChange.Kind.INGRESS_RULE, label, ResourceChange.Action.CREATE, null,
                        List.of("Ec2:AuthorizeSecurityGroupIngress"), null), () -> authorize(region, groupId.get(), port, s)));
            }
        }
        for (Rule r : current) {
            if (!matched.contains(r)) {
                steps.add(Step.report(ResourceChange.of(ResourceChange.Kind.INGRESS_RULE, name + " " + r, ResourceChange.Action.MANUAL_RULE_KEPT,
                        null, List.of(), "not asked for by aws-ingress-groups / aws-ingress-cidrs; kept (ensure never revokes)")));
            }
        }
        return steps;
    }

    private Source resolveGroup(String region, String vpc, String ownName, String ownId, String entry, String account, String where) {
        String owner = null;
        String group = entry;
        int colon = entry.indexOf(':');
        if (colon > 0) {
            owner = entry.substring(0, colon);
            group = entry.substring(colon + 1);
        }
        if (group.startsWith("sg-")) return new Source(null, group, owner, entry);
        if (owner != null && !owner.equals(account)) {
            throw new ToolException(ExitCode.INVALID_CONFIG, "aws-ingress-groups entry '" + entry
                    + "' names a group of another account by name, which only EC2-Classic allowed", where,
                    "write it as " + owner + ":sg-<group id>");
        }
        if (group.equals(ownName)) return new Source(null, ownId, null, group + " (itself)"); // null id: the group being created
        String name = group;
        SecurityGroup g = find(region, vpc, name).orElseThrow(() -> new ToolException(ExitCode.INVALID_CONFIG,
                "aws-ingress-groups names security group '" + name + "', which does not exist in " + vpc, where,
                "create it first, fix the name, or give its id, sg-..."));
        return new Source(null, g.groupId(), null, name + " (" + g.groupId() + ")");
    }

    private String create(String region, String vpc, String name) {
        Ec2Client ec2 = ctx.aws.ec2(region);
        try {
            return ec2.createSecurityGroup(r -> r.groupName(name).vpcId(vpc)
                    .description("Datomic transactor (" + ctx.system() + ")")
                    .tagSpecifications(t -> t.resourceType(ResourceType.SECURITY_GROUP)
                            .tags(Tags.as(ctx.system(), KEY, (k, v) -> Tag.builder().key(k).value(v).build())))).groupId();
        } catch (AwsServiceException e) {
            if (!"InvalidGroup.Duplicate".equals(AwsCodes.code(e))) throw e;
            SecurityGroup g = find(region, vpc, name).orElseThrow(() -> e);
            Map<String, String> tags = Tags.toMap(g.tags(), Tag::key, Tag::value);
            if (!Tags.matches(tags, ctx.system(), KEY)) {
                throw new ToolException(ExitCode.FAILED, "security group " + name + " appeared in " + vpc + " after the plan, created by someone else",
                        "EC2", "re-run to see it in the plan", e);
            }
            return g.groupId();
        }
    }

    private void authorize(String region, String groupId, int port, Source s) {
        IpPermission.Builder p = IpPermission.builder().ipProtocol("tcp").fromPort(port).toPort(port);
        if (s.isGroup()) {
            UserIdGroupPair.Builder pair = UserIdGroupPair.builder().groupId(s.groupId() == null ? groupId : s.groupId());
            if (s.userId() != null) pair.userId(s.userId());
            p.userIdGroupPairs(pair.build());
        } else {
            p.ipRanges(r -> r.cidrIp(s.cidr()));
        }
        try {
            ctx.aws.ec2(region).authorizeSecurityGroupIngress(r -> r.groupId(groupId).ipPermissions(p.build()));
        } catch (AwsServiceException e) {
            if (!"InvalidPermission.Duplicate".equals(AwsCodes.code(e))) throw e; // already there: our retried call
        }
    }
}

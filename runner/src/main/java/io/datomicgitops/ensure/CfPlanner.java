package io.datomicgitops.ensure;

import io.datomicgitops.ExitCode;
import io.datomicgitops.ToolException;
import io.datomicgitops.config.PropertiesFile;
import io.datomicgitops.config.Schema;
import io.datomicgitops.config.Validator;
import io.datomicgitops.config.ValueType;
import software.amazon.awssdk.services.iam.model.InstanceProfile;
import software.amazon.awssdk.services.iam.model.Role;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * ensure-cf's plan, read-only: the transactor's security group and its ingress rules, the instance profile the
 * template names, and the defaults Datomic fills in ({@code java-xmx}, {@code java-opts}, {@code datomic-version}).
 */
final class CfPlanner {
    static final String PHASE = "ensure-cf";
    static final String XMX = "java-xmx";
    static final String JAVA_OPTS = "java-opts";
    static final String VERSION = "datomic-version";
    static final String PROFILE = "aws-instance-profile";
    /** The keys ensure-cf writes back (Datomic's three). */
    static final Set<String> WRITTEN_KEYS = Set.of(XMX, JAVA_OPTS, VERSION);
    /** Datomic requires these (plus what the region and java-xmx need). */
    static final List<String> REQUIRED = List.of("aws-region", "aws-instance-type", "aws-instance-monitoring",
            "aws-autoscaling-group-size", "aws-security-group", "datomic-deploy-s3-bucket");
    static final int DEFAULT_PORT = 4334;

    private final EnsureContext ctx;

    CfPlanner(EnsureContext ctx) {
        this.ctx = ctx;
    }

    /**
     * @param tx                      the transactor file (for the role and port), or null
     * @param forDatomicEngine        bin/datomic fills datomic-version in from its distribution, and its ensure-cf
     *                                knows no instance profile (nor needs the transactor file)
     */
    Plan plan(PropertiesFile cf, PropertiesFile tx, boolean forDatomicEngine) {
        Plan plan = new Plan(PHASE, cf);
        Validator.requireValid(cf, Schema.CF);
        if (tx != null) Validator.requireValid(tx, Schema.TRANSACTOR);
        List<String> missing = REQUIRED.stream().filter(k -> cf.get(k).isEmpty()).toList();
        if (!missing.isEmpty()) {
            throw new ToolException(ExitCode.INVALID_CONFIG, "required key" + (missing.size() > 1 ? "s " : " ") + String.join(", ", missing)
                    + (missing.size() > 1 ? " are" : " is") + " missing or blank", cf.name(),
                    "set " + (missing.size() > 1 ? "them" : "it") + " (see Datomic's cf-template.properties sample)");
        }
        // file problems first, before any AWS call
        Map<String, String> derived = new LinkedHashMap<>();
        Optional<String> version = cf.get(VERSION);
        if (version.isEmpty()) {
            if (ctx.options.datomicVersion().isPresent()) {
                derived.put(VERSION, ctx.options.datomicVersion().get());
            } else if (!forDatomicEngine) {
                throw new ToolException(ExitCode.INVALID_CONFIG, "datomic-version is missing, and the native engine has no Datomic "
                        + "distribution to take it from (bin/datomic fills in its own version)", cf.where(VERSION),
                        "set datomic-version in " + cf.name() + " (e.g. datomic-version=1.0.7277), or pass --datomic-version");
            }
        } else if (ctx.options.datomicVersion().filter(v -> !v.equals(version.get())).isPresent()) {
            plan.warnings.add(cf.where(VERSION) + ": datomic-version=" + version.get() + " is kept; --datomic-version "
                    + ctx.options.datomicVersion().get() + " only fills in a missing value");
        }
        boolean profile = !forDatomicEngine || cf.get(PROFILE).isPresent() || (tx != null && tx.get(Roles.TRANSACTOR_KEY).isPresent());
        if (profile && tx == null && cf.get(PROFILE).isEmpty()) {
            throw new ToolException(ExitCode.INVALID_CONFIG, "ensure-cf needs the transactor role for the instance profile, and has "
                    + "neither a transactor file nor " + PROFILE, cf.name(),
                    "pass --transactor transactor.properties, or set " + PROFILE + " in " + cf.name());
        }
        if (profile && tx != null && tx.get(Roles.TRANSACTOR_KEY).isEmpty()) {
            throw Validator.missing(tx, Roles.TRANSACTOR_KEY, "run ensure-transactor first: it names and creates the transactor role");
        }
        String region = cf.get("aws-region").orElseThrow();
        String account = ctx.accountId(region);
        List<String> groups = ValueType.splitList(cf.get("aws-ingress-groups", ""));
        List<String> cidrs = ValueType.splitList(cf.get("aws-ingress-cidrs", ""));
        if (groups.isEmpty() && cidrs.isEmpty()) {
            plan.warnings.add(cf.name() + ": neither aws-ingress-groups nor aws-ingress-cidrs is set: no peer can reach the transactor");
        }
        int port = tx == null ? DEFAULT_PORT : tx.get("port").map(Integer::parseInt).orElse(DEFAULT_PORT);

        Map<String, String> defaults = new LinkedHashMap<>();
        if (cf.get(XMX).isEmpty()) defaults.put(XMX, xmx(cf, region));
        if (cf.raw(JAVA_OPTS).isEmpty()) defaults.put(JAVA_OPTS, "");
        defaults.putAll(derived); // Datomic's order: java-xmx, java-opts, datomic-version

        SecurityGroups sgs = new SecurityGroups(ctx);
        String vpc = sgs.vpc(region, cf.get("aws-vpc-id"), cf.where("aws-security-group"));
        sgs.ensure(region, vpc, cf.get(SecurityGroups.KEY).orElseThrow(), port, groups, cidrs, account, cf.where("aws-ingress-groups"))
                .forEach(plan::add);
        if (profile) plan.add(profileStep(cf, tx));

        Step fill = plan.add(Step.report(null));
        defaults.forEach(fill::writes);
        return plan;
    }

    /** Datomic's own value for the types it lists; for the others, its rule applied to the memory EC2 reports. */
    private String xmx(PropertiesFile cf, String region) {
        String type = cf.get("aws-instance-type").orElseThrow();
        Optional<String> datomics = InstanceMemory.datomicXmx(type);
        if (datomics.isPresent()) return datomics.get();
        OptionalInt mib = new InstanceMemory(ctx).mib(region, type);
        if (mib.isEmpty()) {
            throw new ToolException(ExitCode.INVALID_CONFIG, "unknown instance type " + type + ": cannot derive java-xmx from its memory",
                    cf.where("aws-instance-type"), "fix aws-instance-type, or set java-xmx yourself (e.g. java-xmx=2625m)");
        }
        return InstanceMemory.xmx(mib.getAsInt());
    }

    /** An instance profile ARN ({@code arn:aws:iam::<account>:instance-profile/<path>/<name>}) names the profile last. */
    static String profileName(String value) {
        return value.startsWith("arn:") ? value.substring(value.lastIndexOf('/') + 1) : value;
    }

    /**
     * The template runs the transactor with an instance profile: aws-instance-profile, else the transactor role's
     * name (as Datomic's template does). With the transactor file it is created or completed; without it, it must exist.
     */
    private Step profileStep(PropertiesFile cf, PropertiesFile tx) {
        InstanceProfiles profiles = new InstanceProfiles(ctx);
        Optional<String> configured = cf.get(PROFILE).map(CfPlanner::profileName);
        if (tx == null) {
            String profile = configured.orElseThrow();
            InstanceProfile p = profiles.get(profile).orElseThrow(() -> new ToolException(ExitCode.INVALID_CONFIG,
                    "instance profile " + profile + " does not exist", cf.where(PROFILE),
                    "pass --transactor transactor.properties so ensure-cf can create it for the transactor role"));
            List<String> roles = p.roles().stream().map(Role::roleName).toList();
            if (roles.isEmpty()) {
                throw new ToolException(ExitCode.INVALID_CONFIG, "instance profile " + profile + " holds no role", cf.where(PROFILE),
                        "pass --transactor transactor.properties so ensure-cf adds the transactor role to it");
            }
            return Step.report(ResourceChange.of(ResourceChange.Kind.INSTANCE_PROFILE, profile, ResourceChange.Action.UNCHANGED, PROFILE,
                    List.of(), "holds role " + roles.get(0)));
        }
        String role = tx.get(Roles.TRANSACTOR_KEY).orElseThrow();
        boolean roleExists = new Roles(ctx).get(role).isPresent();
        if (!roleExists && ctx.options.plan()) {
            // planned together with ensure-transactor, which creates the role before this phase runs
            return Step.report(ResourceChange.of(ResourceChange.Kind.INSTANCE_PROFILE, configured.orElse(role),
                    ResourceChange.Action.CREATE, configured.isPresent() ? PROFILE : Roles.TRANSACTOR_KEY,
                    List.of("iam:CreateInstanceProfile", "iam:AddRoleToInstanceProfile"),
                    "for role " + role + ", which ensure-transactor creates"));
        }
        if (!roleExists) {
            throw new ToolException(ExitCode.INVALID_CONFIG, "IAM role " + role + " does not exist", tx.where(Roles.TRANSACTOR_KEY),
                    "run ensure-transactor first: it creates the transactor role");
        }
        String profile = configured.orElse(role);
        return profiles.ensure(profile, role, configured.isPresent() ? PROFILE : Roles.TRANSACTOR_KEY,
                configured.isPresent() ? cf.where(PROFILE) : tx.where(Roles.TRANSACTOR_KEY));
    }
}

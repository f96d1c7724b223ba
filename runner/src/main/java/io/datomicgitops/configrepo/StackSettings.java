package io.datomicgitops.configrepo;

import io.datomicgitops.ExitCode;
import io.datomicgitops.ToolException;
import io.datomicgitops.aws.AwsSettings;
import io.datomicgitops.config.DeploySettings;
import io.datomicgitops.config.PropertiesFile;
import io.datomicgitops.ensure.EnsureOptions;
import io.datomicgitops.ensure.Protections;
import io.datomicgitops.instances.HealthEndpoint;
import io.datomicgitops.instances.HeartbeatMetric;
import io.datomicgitops.instances.ReplacementRequest;
import io.datomicgitops.instances.Strategy;
import io.datomicgitops.stack.StackRequest;
import io.datomicgitops.template.TemplateOptions;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A stack's settings, resolved once: the command line first, then deploy.properties, then cf.properties. Every
 * command reads a stack's settings here, single-step or flow, so they cannot drift apart: the region, the stack
 * name, the replacement, the stack request, and the environment {@code bin/datomic} runs in.
 *
 * @param deploy    the stack's deploy.properties, when there is one (single-step commands may run without)
 * @param overrides what the command line says
 * @param cfRegion  cf.properties' aws-region, the last word on the region
 * @param aws       where and as whom the runner talks to AWS (command line over the AWS_* variables)
 * @param env       the runner's environment
 */
public record StackSettings(Optional<DeploySettings> deploy, Overrides overrides, Optional<String> cfRegion, AwsSettings aws,
                            Map<String, String> env) {

    /** What the command line says about a stack; each null when not given. */
    /**
     * What the command line says about a stack; each null when not given. {@code moveRegion}: --region may differ from
     * the region the stack's files name (--override-region); without it a contradiction is refused.
     */
    public record Overrides(String stackName, String region, boolean moveRegion, Strategy strategy, Duration replaceTimeout,
                            Duration healthTimeout, Duration stackTimeout, String engine, Path datomicHome) {
        public static final Overrides NONE = new Overrides(null, null, false, null, null, null, null, null, null);

        public Overrides withStackName(String name) {
            return new Overrides(name, region, moveRegion, strategy, replaceTimeout, healthTimeout, stackTimeout, engine, datomicHome);
        }

        public Overrides withRegion(String r, boolean move) {
            return new Overrides(stackName, r, move, strategy, replaceTimeout, healthTimeout, stackTimeout, engine, datomicHome);
        }

        public Overrides withReplacement(Strategy s, Duration overall, Duration health) {
            return new Overrides(stackName, region, moveRegion, s, overall, health, stackTimeout, engine, datomicHome);
        }

        public Overrides withStackTimeout(Duration t) {
            return new Overrides(stackName, region, moveRegion, strategy, replaceTimeout, healthTimeout, t, engine, datomicHome);
        }

        public Overrides withEngine(String e, Path home) {
            return new Overrides(stackName, region, moveRegion, strategy, replaceTimeout, healthTimeout, stackTimeout, e, home);
        }
    }

    public StackSettings {
        overrides = overrides == null ? Overrides.NONE : overrides;
        env = Map.copyOf(env);
    }

    /** A stack folder's settings, with its cf.properties' region as the last word. */
    public static StackSettings of(DeploySettings deploy, PropertiesFile cf, Overrides overrides, AwsSettings aws, Map<String, String> env) {
        return new StackSettings(Optional.of(deploy), overrides, cf.get("aws-region"), aws, env);
    }

    public Optional<String> stackName() {
        return Optional.ofNullable(overrides.stackName()).or(() -> deploy.map(DeploySettings::stackName));
    }

    /** The stack's name; a single-step command that has none was given neither --stack-name nor a stack folder. */
    public String requireStackName(String command) {
        return stackName().orElseThrow(() -> new ToolException(ExitCode.USAGE, "no stack named", command,
                "pass --stack-name NAME or --stack-dir DIR"));
    }

    /**
     * deploy.properties' aws-region, else cf.properties'; --region only where the files name none (or with
     * --override-region); empty leaves it to the AWS settings (AWS_REGION, the profile). A --region that contradicts
     * the files is refused: it would silently deploy the stack somewhere else, as a new stack.
     */
    public Optional<String> region() {
        Optional<String> files = deploy.flatMap(DeploySettings::region).or(this::cfRegion);
        String given = overrides.region();
        if (given != null && files.isPresent() && !files.get().equals(given) && !overrides.moveRegion()) {
            throw new ToolException(ExitCode.USAGE, "--region " + given + " contradicts the stack's region " + files.get()
                    + stackName().map(n -> " (" + n + ")").orElse(""), "aws-region in " + DeploySettings.FILE_NAME + " or " + StackFolder.CF,
                    "drop --region (a stack deploys to the region its files name), or add --override-region to deploy it to "
                            + given + " on purpose");
        }
        return Optional.ofNullable(given).or(() -> files);
    }

    /** The flow deploys a stack to one named region, never to whatever the runner's environment points at. */
    public String requireRegion(String where) {
        return region().orElseThrow(() -> new ToolException(ExitCode.INVALID_CONFIG, "no AWS region for the stack", where,
                "set aws-region in " + StackFolder.DEPLOY + " or " + StackFolder.CF));
    }

    public Strategy replaceStrategy() {
        return Optional.ofNullable(overrides.strategy())
                .orElseGet(() -> Strategy.parse(deploy.map(DeploySettings::replaceStrategy).orElse(Strategy.SURGE.id)));
    }

    public Duration stackTimeout() {
        return Optional.ofNullable(overrides.stackTimeout()).or(() -> deploy.map(DeploySettings::stackTimeout))
                .orElse(StackRequest.DEFAULT_TIMEOUT);
    }

    public Optional<Duration> replaceTimeout() {
        return Optional.ofNullable(overrides.replaceTimeout()).or(() -> deploy.map(DeploySettings::replaceTimeout));
    }

    public Optional<Duration> healthTimeout() {
        return Optional.ofNullable(overrides.healthTimeout()).or(() -> deploy.map(DeploySettings::healthTimeout));
    }

    public Optional<String> templateBucket() {
        return deploy.flatMap(DeploySettings::templateBucket);
    }

    public boolean terminationProtection() {
        return deploy.map(DeploySettings::terminationProtection).orElse(true);
    }

    public TemplateOptions templateOptions() {
        return deploy.map(TemplateOptions::from).orElseGet(TemplateOptions::defaults);
    }

    public String lockTable() {
        return deploy.orElseThrow().lockTable();
    }

    public Duration lockLease() {
        return deploy.orElseThrow().lockLease();
    }

    public EnsureOptions.Engine engine() {
        if (overrides.engine() != null) return EnsureOptions.Engine.parse(overrides.engine(), "--engine");
        return EnsureOptions.Engine.parse(deploy.map(DeploySettings::engine).orElse("native"), DeploySettings.FILE_NAME);
    }

    public Optional<Path> datomicHome() {
        return Optional.ofNullable(overrides.datomicHome()).or(() -> deploy.flatMap(DeploySettings::datomicHome).map(Path::of));
    }

    /**
     * The environment {@code bin/datomic} runs in: the runner's, with the region, endpoint and profile every other
     * phase of this stack uses, so the datomic engine never talks to another account or region than the native one.
     */
    public Map<String, String> datomicEnvironment() {
        Map<String, String> out = new LinkedHashMap<>(env);
        region().or(aws::region).ifPresent(r -> out.put("AWS_REGION", r));
        aws.endpoint().ifPresent(e -> out.put("AWS_ENDPOINT_URL", e.toString()));
        aws.profile().ifPresent(p -> out.put("AWS_PROFILE", p));
        return out;
    }

    /** The ensure phases' options: resources tagged with the system's name, the stack checked, the engine and its environment. */
    public EnsureOptions ensureOptions(boolean plan, String system, boolean adopt, boolean allowNewResources) {
        EnsureOptions o = EnsureOptions.apply(system).withPlan(plan).withStack(stackName().orElse(null), region().orElse(null))
                .withAdopt(adopt).withAllowNewResources(allowNewResources)
                .withProtections(deploy.map(d -> new Protections(d.tableDeletionProtection(), d.tablePointInTimeRecovery(),
                        d.logBucketBlockPublicAccess(), d.logBucketVersioning())).orElse(Protections.DEFAULTS));
        if (engine() == EnsureOptions.Engine.DATOMIC) {
            Path home = datomicHome().orElseThrow(() -> new ToolException(ExitCode.USAGE, "--engine datomic needs the Datomic distribution",
                    "--datomic-home", "pass --datomic-home DIR or set datomic-home in " + DeploySettings.FILE_NAME));
            o = o.withDatomicEngine(home, datomicEnvironment());
        }
        return o;
    }

    /** The stack request as these settings shape it; the caller adds the parameters and tags of its template. */
    public StackRequest.Builder stackRequest(String stackName, String templateBody) {
        return StackRequest.builder(stackName, templateBody)
                .timeout(stackTimeout())
                .templateBucket(templateBucket().orElse(null))
                .terminationProtection(terminationProtection());
    }

    /**
     * The replacement request as these settings and the transactor's properties shape it: the strategy, the timeouts,
     * the health endpoint (ping-host and ping-port) and the heartbeat metric (aws-cloudwatch-region).
     */
    public ReplacementRequest replacementRequest(String groupName, Optional<PropertiesFile> transactor) {
        ReplacementRequest r = ReplacementRequest.of(groupName, replaceStrategy())
                .withTimeouts(replaceTimeout().orElse(null), healthTimeout().orElse(null))
                .withWarmup(deploy.map(DeploySettings::replaceWarmup).orElse(Duration.ZERO));
        Optional<String> pingHost = transactor.flatMap(tx -> tx.get("ping-host"));
        Optional<String> pingPort = transactor.flatMap(tx -> tx.get("ping-port"));
        if (pingHost.isPresent() && pingPort.isPresent()) {
            r = r.withEndpoint(new HealthEndpoint(pingHost.get(), Integer.parseInt(pingPort.get())));
        }
        Optional<String> metricsRegion = transactor.flatMap(tx -> tx.get("aws-cloudwatch-region"));
        if (metricsRegion.isPresent()) {
            r = r.withHeartbeat(new HeartbeatMetric(metricsRegion.get(), transactor.flatMap(tx -> tx.get("aws-cloudwatch-dimension-value"))));
        }
        return r;
    }
}

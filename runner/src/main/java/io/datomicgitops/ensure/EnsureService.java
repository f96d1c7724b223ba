package io.datomicgitops.ensure;

import io.datomicgitops.ExitCode;
import io.datomicgitops.ToolException;
import io.datomicgitops.aws.AwsClients;
import io.datomicgitops.config.PropertiesFile;
import io.datomicgitops.config.Secrets;
import io.datomicgitops.report.Log;
import io.datomicgitops.wait.Sleeper;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The ensure phases, {@code ensure-transactor} and {@code ensure-cf}: plan (read-only) or apply (create what is
 * missing, bring what drifted back, write generated names into the file as they are made). Names are never lost:
 * every created resource is tagged and found again when its key goes missing, and a missing key on a running
 * stack is refused unless --adopt or --allow-new-resources says what to do. The file is edited in memory; the
 * options' listener persists it after each key.
 */
public final class EnsureService {
    private static final Set<ResourceChange.Kind> DATOMIC_CF_KINDS =
            Set.of(ResourceChange.Kind.SECURITY_GROUP, ResourceChange.Kind.INGRESS_RULE);

    private final AwsClients aws;
    private final Log log;
    private final Clock clock;

    public EnsureService(AwsClients aws, Log log, Clock clock) {
        this.aws = aws;
        this.log = log;
        this.clock = clock;
    }

    /** ensure-transactor on a transactor properties file (protocol ddb). */
    public EnsureResult ensureTransactor(PropertiesFile tx, EnsureOptions options) {
        if (options.engine() == EnsureOptions.Engine.DATOMIC) {
            // bin/datomic knows no protections: its plan must not show what it would not do
            EnsureContext ctx = new EnsureContext(aws, log, options.withProtections(Protections.NONE), clock, Sleeper.REAL);
            Plan plan = new TransactorPlanner(ctx).plan(tx);
            if (!options.protections().equals(Protections.NONE)) {
                plan.warnings.add("bin/datomic ensure-transactor does not turn on the storage's protections (deletion protection, "
                        + "point-in-time recovery, Block Public Access): run ensure-transactor with the native engine for them");
            }
            return viaDatomic(TransactorPlanner.PHASE, plan, TransactorPlanner.WRITTEN_KEYS, null, options);
        }
        EnsureContext ctx = new EnsureContext(aws, log, options, clock, Sleeper.REAL);
        Plan plan = new TransactorPlanner(ctx).plan(tx);
        return finish(plan, options);
    }

    /**
     * ensure-cf on a CloudFormation properties file.
     *
     * @param tx the transactor properties file, for the transactor role (instance profile) and port; may be null when
     *           cf.properties names an existing aws-instance-profile
     */
    public EnsureResult ensureCf(PropertiesFile cf, PropertiesFile tx, EnsureOptions options) {
        EnsureContext ctx = new EnsureContext(aws, log, options, clock, Sleeper.REAL);
        boolean datomic = options.engine() == EnsureOptions.Engine.DATOMIC;
        Plan plan = new CfPlanner(ctx).plan(cf, tx, datomic);
        if (datomic) return viaDatomic(CfPlanner.PHASE, plan, CfPlanner.WRITTEN_KEYS, DATOMIC_CF_KINDS, options);
        return finish(plan, options);
    }

    private EnsureResult finish(Plan plan, EnsureOptions options) {
        if (options.plan()) return plan.result("native", true, plan.keysToWrite(), List.of());
        Map<String, String> written = Applier.apply(plan, options.onKeyWritten(), log);
        return plan.result("native", false, written, List.of());
    }

    /**
     * The datomic engine: the native plan (read-only) checks the stack and finds lost names again; those go into the
     * file first, so bin/datomic reuses them. Then bin/datomic runs on a copy, and only the values it generated for
     * its own keys are taken into the file (and persisted) — even when it failed, since they name resources that now
     * exist. Anything else it changed is refused.
     *
     * @param kinds the resource kinds bin/datomic's command manages (null: all of the plan's)
     */
    private EnsureResult viaDatomic(String phase, Plan plan, Set<String> generated, Set<ResourceChange.Kind> kinds,
                                    EnsureOptions options) {
        List<ResourceChange> planned = new ArrayList<>();
        for (ResourceChange c : plan.changes()) {
            if (kinds == null || kinds.contains(c.kind())) planned.add(c);
            else if (c.action().changes()) {
                plan.warnings.add("bin/datomic " + phase + " does not manage " + c.kind().label() + " " + c.name() + " (" + c.action().label()
                        + " needed): run " + phase + " with the native engine, or do it by hand");
            }
        }
        if (options.plan()) {
            plan.warnings.add("bin/datomic has no plan mode: this is the native engine's read-only plan of the same phase");
            return new EnsureResult(phase, plan.file.name(), "datomic", true, planned, plan.keysToWrite(), plan.warnings, List.of());
        }
        PropertiesFile file = plan.file;
        Map<String, String> written = new LinkedHashMap<>();
        Map<String, String> found = new LinkedHashMap<>();
        for (Step s : plan.steps) {
            if (s.change != null && s.change.action() == ResourceChange.Action.RECOVERED) {
                s.keys.forEach((k, v) -> { if (file.set(k, v)) found.put(k, v); });
            }
        }
        persist(file, found, written, options);

        Map<String, String> plannedValues = new LinkedHashMap<>();
        plan.steps.forEach(s -> plannedValues.putAll(s.keys));
        DatomicEngine engine = new DatomicEngine(options.datomicHome().orElseThrow(() -> new ToolException(ExitCode.INVALID_CONFIG,
                "the datomic engine needs the Datomic distribution", "datomic engine",
                "set datomic-home in deploy.properties or pass --datomic-home")), options.engineEnvironment(), log, clock);
        DatomicEngine.Outcome outcome = engine.run(phase, file);
        FileChanges changes = FileChanges.between(file, PropertiesFile.parse(file.name(), outcome.after()), generated);
        Map<String, String> generatedNow = new LinkedHashMap<>();
        changes.added().forEach((k, v) -> { if (file.set(k, v)) generatedNow.put(k, v); });
        persist(file, generatedNow, written, options);

        if (!changes.violations().isEmpty()) {
            throw new ToolException(ExitCode.FAILED, "bin/datomic " + phase + " changed " + file.name() + " in ways an ensure command must not: "
                    + String.join("; ", changes.violations()), "datomic engine",
                    "those changes were not taken (only the names it generated were); check the distribution, or use --engine native");
        }
        if (outcome.exitCode() != 0) {
            List<String> out = outcome.output();
            String tail = String.join(" | ", out.subList(Math.max(0, out.size() - 5), out.size()));
            throw new ToolException(ExitCode.FAILED, "bin/datomic " + phase + " failed with exit code " + outcome.exitCode()
                    + (tail.isEmpty() ? "" : ": " + tail), "datomic engine",
                    "fix what it reports and re-run" + (generatedNow.isEmpty() ? "" : " (the names it generated were kept: " + generatedNow.keySet() + ")"));
        }
        List<ResourceChange> resources = new ArrayList<>();
        for (ResourceChange c : planned) {
            String name = c.name();
            for (Map.Entry<String, String> g : generatedNow.entrySet()) {
                String was = plannedValues.get(g.getKey());
                if (was != null && !was.isEmpty() && !was.equals(g.getValue())) name = name.replace(was, g.getValue());
            }
            String note = (c.note() == null ? "" : c.note() + "; ") + "as planned before bin/datomic ran (the AWS calls were its own)";
            resources.add(c.withName(name).withCalls(List.of(), note));
        }
        return new EnsureResult(phase, file.name(), "datomic", false, resources, written, plan.warnings, outcome.output());
    }

    private static void persist(PropertiesFile file, Map<String, String> keys, Map<String, String> written, EnsureOptions options) {
        if (keys.isEmpty()) return;
        options.onKeyWritten().written(file, keys);
        keys.forEach((k, v) -> written.put(k, Secrets.display(k, v)));
    }
}

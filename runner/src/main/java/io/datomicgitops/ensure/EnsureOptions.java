package io.datomicgitops.ensure;

import io.datomicgitops.ExitCode;
import io.datomicgitops.ToolException;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How an ensure phase runs.
 *
 * @param plan              read-only: report what would change, make no mutating AWS call, write nothing
 * @param system            the name resources are tagged with (the stack name in the GitOps flow); recovery looks
 *                          for resources tagged with it
 * @param stackName         the CloudFormation stack to check (DescribeStacks, read-only) before generating names
 * @param stackRegion       the stack's region; default: the file's own region key
 * @param adopt             when the stack exists and generated keys are missing, take their names from the stack
 * @param allowNewResources when the stack exists and generated keys are missing, generate new names anyway
 * @param onKeyWritten      persists each key the moment it is set (write-ahead)
 * @param datomicVersion    ensure-cf: the value for a missing {@code datomic-version} (the native engine has no
 *                          distribution to read it from)
 * @param engine            native (Java) or datomic (the operator's {@code bin/datomic})
 * @param datomicHome       the Datomic distribution, for the datomic engine
 * @param engineEnvironment variables added to {@code bin/datomic}'s environment (e.g. the AWS endpoint and credentials)
 * @param protections       the storage protections ensure-transactor turns on (never off)
 */
public record EnsureOptions(
        boolean plan,
        String system,
        Optional<String> stackName,
        Optional<String> stackRegion,
        boolean adopt,
        boolean allowNewResources,
        KeyListener onKeyWritten,
        Optional<String> datomicVersion,
        Engine engine,
        Optional<Path> datomicHome,
        Map<String, String> engineEnvironment,
        Protections protections) {

    public enum Engine {
        NATIVE, DATOMIC;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Engine parse(String s, String where) {
            for (Engine e : values()) if (e.label().equals(s)) return e;
            throw new ToolException(ExitCode.USAGE, "unknown engine '" + s + "'", where, "use native or datomic");
        }
    }

    public EnsureOptions {
        if (system == null || system.isBlank()) {
            throw new IllegalArgumentException("system (the name resources are tagged with) is required");
        }
        stackName = stackName == null ? Optional.empty() : stackName.filter(s -> !s.isBlank());
        stackRegion = stackRegion == null ? Optional.empty() : stackRegion.filter(s -> !s.isBlank());
        onKeyWritten = onKeyWritten == null ? KeyListener.NONE : onKeyWritten;
        datomicVersion = datomicVersion == null ? Optional.empty() : datomicVersion.filter(s -> !s.isBlank());
        engine = engine == null ? Engine.NATIVE : engine;
        datomicHome = datomicHome == null ? Optional.empty() : datomicHome;
        engineEnvironment = engineEnvironment == null ? Map.of() : Map.copyOf(engineEnvironment);
        protections = protections == null ? Protections.NONE : protections;
    }

    /** The engine's environment holds credentials: only its variable names are shown. */
    @Override
    public String toString() {
        return "EnsureOptions[plan=" + plan + ", system=" + system + ", stackName=" + stackName + ", stackRegion=" + stackRegion
                + ", adopt=" + adopt + ", allowNewResources=" + allowNewResources + ", datomicVersion=" + datomicVersion
                + ", engine=" + engine.label() + ", datomicHome=" + datomicHome + ", engineEnvironment=" + new java.util.TreeSet<>(engineEnvironment.keySet()) + ", protections=" + protections + "]";
    }

    /** Apply with the native engine, no stack check, no listener, no storage protections. */
    public static EnsureOptions apply(String system) {
        return new EnsureOptions(false, system, Optional.empty(), Optional.empty(), false, false, KeyListener.NONE,
                Optional.empty(), Engine.NATIVE, Optional.empty(), Map.of(), Protections.NONE);
    }

    public EnsureOptions withPlan(boolean p) {
        return new EnsureOptions(p, system, stackName, stackRegion, adopt, allowNewResources, onKeyWritten, datomicVersion,
                engine, datomicHome, engineEnvironment, protections);
    }

    public EnsureOptions withStack(String name, String region) {
        return new EnsureOptions(plan, system, Optional.ofNullable(name), Optional.ofNullable(region), adopt,
                allowNewResources, onKeyWritten, datomicVersion, engine, datomicHome, engineEnvironment, protections);
    }

    public EnsureOptions withAdopt(boolean a) {
        return new EnsureOptions(plan, system, stackName, stackRegion, a, allowNewResources, onKeyWritten, datomicVersion,
                engine, datomicHome, engineEnvironment, protections);
    }

    public EnsureOptions withAllowNewResources(boolean a) {
        return new EnsureOptions(plan, system, stackName, stackRegion, adopt, a, onKeyWritten, datomicVersion,
                engine, datomicHome, engineEnvironment, protections);
    }

    public EnsureOptions withListener(KeyListener l) {
        return new EnsureOptions(plan, system, stackName, stackRegion, adopt, allowNewResources, Objects.requireNonNull(l),
                datomicVersion, engine, datomicHome, engineEnvironment, protections);
    }

    public EnsureOptions withDatomicVersion(String v) {
        return new EnsureOptions(plan, system, stackName, stackRegion, adopt, allowNewResources, onKeyWritten,
                Optional.ofNullable(v), engine, datomicHome, engineEnvironment, protections);
    }

    /** Runs {@code <home>/bin/datomic} with these variables added to its environment. */
    public EnsureOptions withDatomicEngine(Path home, Map<String, String> environment) {
        return new EnsureOptions(plan, system, stackName, stackRegion, adopt, allowNewResources, onKeyWritten,
                datomicVersion, Engine.DATOMIC, Optional.of(home), environment, protections);
    }

    /** The storage protections ensure-transactor turns on. */
    public EnsureOptions withProtections(Protections p) {
        return new EnsureOptions(plan, system, stackName, stackRegion, adopt, allowNewResources, onKeyWritten, datomicVersion,
                engine, datomicHome, engineEnvironment, Objects.requireNonNull(p));
    }
}

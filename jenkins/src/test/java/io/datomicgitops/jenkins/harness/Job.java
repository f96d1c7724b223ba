package io.datomicgitops.jenkins.harness;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A pipeline job (a multibranch project's branch or pull request): its Jenkinsfile, the environment Jenkins gives
 * its builds (BRANCH_NAME, CHANGE_ID, ...), its builds, the milestones its builds passed, and its properties.
 */
public final class Job {
    private final String name;
    private final String script;
    private final Map<String, String> env;
    private final List<Build> builds = new ArrayList<>();
    /** milestone ordinal -> newest build number that passed it */
    private final Map<Integer, Integer> milestones = new TreeMap<>();
    private boolean disableConcurrentBuilds;
    private GitScm scm;
    private final Map<String, Symbol> properties = new LinkedHashMap<>();

    Job(String name, String script, Map<String, String> env) {
        this.name = name;
        this.script = script;
        this.env = new LinkedHashMap<>(env);
    }

    public String name() { return name; }

    /** The job's SCM: what the scm global gives and checkout scm checks out (a multibranch job always has one). */
    public Job scm(GitScm scm) {
        this.scm = scm;
        return this;
    }

    GitScm scm() { return scm; }

    /** A job property the pipeline set (buildDiscarder, pipelineTriggers), by its symbol; null when not set. */
    public Symbol property(String symbol) { return properties.get(symbol); }

    void setProperty(Symbol s) { properties.put(s.name(), s); }

    String script() { return script; }

    Map<String, String> env() { return env; }

    public List<Build> builds() { return List.copyOf(builds); }

    public Build build(int number) { return builds.get(number - 1); }

    public boolean concurrentBuildsDisabled() { return disableConcurrentBuilds; }

    void disableConcurrentBuilds() { disableConcurrentBuilds = true; }

    Build newBuild(Jenkins jenkins, Map<String, Object> params, String cause) {
        Build b = new Build(jenkins, this, builds.size() + 1, params, cause);
        builds.add(b);
        return b;
    }

    Map<Integer, Integer> milestones() { return milestones; }

    boolean hasRunningBuild() {
        return builds.stream().anyMatch(b -> b.state() == Build.State.RUNNING || b.state() == Build.State.WAITING);
    }
}

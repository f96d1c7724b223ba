package io.datomicgitops.jenkins

import com.cloudbees.groovy.cps.NonCPS

/**
 * What datomicPlan found, as the approval gate shows it and datomicApply applies it: the planned revision, and per
 * stack the runner's plan report. The words about a stack's plan are the runner's (report.json stacks.NAME.summary
 * and .details), printed as they are, never recomputed here. Only plain data (serializable, kept across the
 * approval wait).
 */
class Plan implements Serializable {
    private static final long serialVersionUID = 1L

    final String repo
    final String branch
    final String revision
    final String dir
    final int exitCode
    /** stack name -> the report's stacks.NAME map */
    final Map<String, Map> stacks
    /** The runner's saved plan (plan --out), stashed as {@link #STASH}: apply --plan refuses anything else. */
    final String savedPlan

    static final String STASH = 'datomic-gitops-plan'

    Plan(String repo, String branch, String revision, String dir, int exitCode, Map<String, Map> stacks) {
        this(repo, branch, revision, dir, exitCode, stacks, null)
    }

    Plan(String repo, String branch, String revision, String dir, int exitCode, Map<String, Map> stacks, String savedPlan) {
        this.repo = repo
        this.branch = branch
        this.revision = revision
        this.dir = dir
        this.exitCode = exitCode
        this.stacks = stacks
        this.savedPlan = savedPlan
    }

    /** The same plan, with the path of the saved plan file the Apply stage hands to the runner. */
    @NonCPS
    Plan withSavedPlan(String path) {
        return new Plan(repo, branch, revision, dir, exitCode, stacks, path)
    }

    @NonCPS
    static Plan fromReport(Map report, String repo, String branch, String revision, String dir) {
        Map<String, Map> stacks = new TreeMap<String, Map>()
        Map reported = report.stacks instanceof Map ? (Map) report.stacks : [:]
        for (Object name : reported.keySet()) {
            stacks[name.toString()] = new HashMap((Map) reported[name])
        }
        return new Plan(repo, branch, revision, dir, (report.exitCode ?: 0) as int, stacks)
    }

    /** True when the runner reported pending changes (exit code 2). */
    @NonCPS
    boolean hasChanges() {
        return exitCode == 2 || !changedStacks().isEmpty()
    }

    @NonCPS
    List<String> changedStacks() {
        List<String> changed = []
        for (String name : stacks.keySet()) {
            if (stacks[name].changes) {
                changed.add(name)
            }
        }
        return changed
    }

    @NonCPS
    String shortRevision() {
        return revision ? revision.take(10) : 'unknown revision'
    }

    /**
     * One line for the build description: per changed stack, the runner's summary line (report.json
     * stacks.NAME.summary) as it is.
     */
    @NonCPS
    String summaryLine() {
        if (!hasChanges()) {
            return "datomic-gitops: no changes at ${shortRevision()}"
        }
        List<String> parts = []
        for (String name : changedStacks()) {
            Object summary = stacks[name].summary
            parts.add("${name}: ${summary != null ? summary : missing(name, 'summary')}".toString())
        }
        String pending = parts.isEmpty() ? 'report.json names no stack with changes' : parts.join('; ')
        return "datomic-gitops: changes pending at ${shortRevision()}: ${pending}"
    }

    /**
     * What the approver reads: per changed stack, the runner's lines about it (report.json stacks.NAME.details: the
     * resources, the template diff, the change set, the instances, the drift) as they are.
     */
    @NonCPS
    String approvalText() {
        StringBuilder t = new StringBuilder()
        t.append("Deploy ${branch ?: ''} ${shortRevision()}".trim()).append('?\n')
        for (String name : changedStacks()) {
            Map s = stacks[name]
            t.append('\n').append("Stack ${name}").append(s.stackName ? " (${s.stackName})" : '').append('\n')
            if (s.details instanceof List) {
                for (Object line : (List) s.details) {
                    t.append('  ').append(line).append('\n')
                }
            } else {
                t.append('  ').append(missing(name, 'details')).append('\n')
            }
        }
        return t.toString()
    }

    /** What is shown for a field the report lacks: said, never made up (a missing number is not 0). */
    @NonCPS
    private static String missing(String stack, String field) {
        return "report.json has no stacks.${stack}.${field}"
    }
}

package io.datomicgitops.jenkins

import com.cloudbees.groovy.cps.NonCPS

/**
 * What datomicPlan found, as the approval gate shows it and datomicApply applies it: the planned revision, and per
 * stack the changes from the runner's plan report. Only plain data (serializable, kept across the approval wait).
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

    Plan(String repo, String branch, String revision, String dir, int exitCode, Map<String, Map> stacks) {
        this.repo = repo
        this.branch = branch
        this.revision = revision
        this.dir = dir
        this.exitCode = exitCode
        this.stacks = stacks
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

    /** One line for the build description. */
    @NonCPS
    String summaryLine() {
        if (!hasChanges()) {
            return "datomic-gitops: no changes at ${shortRevision()}"
        }
        List<String> parts = []
        for (String name : changedStacks()) {
            Map s = stacks[name]
            parts.add("${name} (${n(s.resourcesToCreate) + n(s.resourcesToUpdate)} resources, " +
                    "${n(s.changeSetChanges)} stack changes, ${n(s.instancesToReplace)} to replace)")
        }
        return "datomic-gitops: changes pending at ${shortRevision()}: ${parts.join(', ')}"
    }

    /** What the approver reads: per changed stack, the resources, the template diff, the change set, the instances. */
    @NonCPS
    String approvalText() {
        StringBuilder t = new StringBuilder()
        t.append("Deploy ${branch ?: ''} ${shortRevision()}".trim()).append('?\n')
        for (String name : changedStacks()) {
            Map s = stacks[name]
            t.append('\n').append("Stack ${name}").append(s.stackName ? " (${s.stackName})" : '').append('\n')
            t.append("  AWS resources: ${n(s.resourcesToCreate)} to create, ${n(s.resourcesToUpdate)} to update")
            List keys = s.keysToWrite instanceof List ? (List) s.keysToWrite : []
            if (!keys.isEmpty()) {
                t.append(" (writes ${keys.join(', ')})")
            }
            t.append('\n')
            t.append("  Template: ${s.templateChanged ? "${n(s.templateDiffLines)} diff lines" : 'unchanged'}\n")
            t.append("  Change set: ${n(s.changeSetChanges)} changes, ${n(s.replacements)} with replacement\n")
            t.append("  Instances to replace: ${n(s.instancesToReplace)} (strategy ${s.strategy ?: 'default'})\n")
            List drift = s.drift instanceof List ? (List) s.drift : []
            if (!drift.isEmpty()) {
                t.append("  Drift: ${drift.join('; ')}\n")
            }
        }
        return t.toString()
    }

    @NonCPS
    private static long n(Object value) {
        return value instanceof Number ? ((Number) value).longValue() : 0L
    }
}

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
    /** The plan's Markdown (plan --plan-md), archived with the build: what the approver is pointed to. */
    final String planMarkdown
    /** Why nothing was planned (the build only brings in the runner's own commits), or null for a plan. */
    final String skipped

    static final String STASH = 'datomic-gitops-plan'

    Plan(String repo, String branch, String revision, String dir, int exitCode, Map<String, Map> stacks) {
        this(repo, branch, revision, dir, exitCode, stacks, null, null)
    }

    Plan(String repo, String branch, String revision, String dir, int exitCode, Map<String, Map> stacks, String savedPlan,
         String planMarkdown) {
        this(repo, branch, revision, dir, exitCode, stacks, savedPlan, planMarkdown, null)
    }

    private Plan(String repo, String branch, String revision, String dir, int exitCode, Map<String, Map> stacks,
                 String savedPlan, String planMarkdown, String skipped) {
        this.skipped = skipped
        this.repo = repo
        this.branch = branch
        this.revision = revision
        this.dir = dir
        this.exitCode = exitCode
        this.stacks = stacks
        this.savedPlan = savedPlan
        this.planMarkdown = planMarkdown
    }

    /**
     * The same plan with its files: the saved plan the Apply stage hands to the runner, and plan.md; REVISION is the
     * commit the saved plan says it was made on (the runner's word, whichever way the clone was made).
     */
    @NonCPS
    Plan withFiles(String savedPath, String markdownPath, String savedRevision) {
        return new Plan(repo, branch, savedRevision ?: revision, dir, exitCode, stacks, savedPath, markdownPath)
    }

    /** No plan, for the reason REASON: nothing changes, nothing is approved or applied, and the reason is the summary. */
    @NonCPS
    static Plan skipped(String repo, String branch, String reason) {
        return new Plan(repo, branch, null, null, 0, new TreeMap<String, Map>(), null, null, reason)
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
        if (skipped) {
            return skipped
        }
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

    /**
     * The input's message: one line (Jenkins shows it as the heading of the input), naming the branch, the revision
     * and the changed stacks; the plan itself is in the log just above, and in plan.md at PLANURL.
     */
    @NonCPS
    String approvalHeading(String planUrl) {
        String stacksNamed = changedStacks().join(', ') ?: 'none named in report.json'
        String heading = "Deploy ${branch ?: ''} ${shortRevision()}".trim() + " (stacks: ${stacksNamed})?"
        return planUrl ? "${heading} The plan: ${planUrl}".toString() : heading
    }

    /**
     * The lockable resource guarding STACK of this config repo: two config repos may both have a stack named prod,
     * and must not wait on each other. The repo is named by host and path, so its ssh and https URLs share the lock.
     */
    @NonCPS
    String lockResource(String stack) {
        return "datomic-gitops ${repoKey(repo)} ${stack}".toString()
    }

    /** host/path of a git URL: git@host:path, ssh://user@host:port/path, https://host/path.git -> host/path. */
    @NonCPS
    static String repoKey(String url) {
        if (!url) {
            return 'unknown-repo'
        }
        String s = url.trim()
        int scheme = s.indexOf('://')
        if (scheme >= 0) {
            s = s.substring(scheme + 3)
        } else if (s ==~ /[^\/]+@[^\/:]+:.*/) {
            s = s.replaceFirst(':', '/')
        }
        s = s.replaceFirst(/^[^\/@]*@/, '').replaceFirst(/^([^\/:]+):[0-9]+\//, '$1/')
        return s.replaceFirst(/\.git\/?$/, '').replaceFirst(/\/$/, '')
    }

    /**
     * The most a check's text or a pull request comment may hold (GitHub's limits: 65535 characters for a check
     * run's text, 65536 for a comment's body).
     */
    static final int CHECK_TEXT_LIMIT = 65000

    /** MARKDOWN as a check's text or a comment's body: whole, or cut at the limit with a line saying where the rest is. */
    @NonCPS
    static String checkText(String markdown) {
        if (markdown.length() <= CHECK_TEXT_LIMIT) {
            return markdown
        }
        return markdown.substring(0, CHECK_TEXT_LIMIT) + '\n\n(cut here: the whole plan is plan.md, archived with the build)\n'
    }

    /**
     * The plan as a pull request comment: a line naming the plan (the revision, the build) above plan.md. Each build
     * of the pull request comments again, so the line says which revision the plan is of.
     */
    @NonCPS
    String commentText(String markdown, String buildUrl) {
        String heading = "**datomic-gitops plan** of ${shortRevision()}" + (buildUrl ? " ([build](${buildUrl}))" : '') + ': ' +
                summaryLine()
        return checkText(heading + '\n\n' + markdown)
    }

    /** What is shown for a field the report lacks: said, never made up (a missing number is not 0). */
    @NonCPS
    private static String missing(String stack, String field) {
        return "report.json has no stacks.${stack}.${field}"
    }
}

import com.cloudbees.groovy.cps.NonCPS
import io.datomicgitops.jenkins.Params
import io.datomicgitops.jenkins.Plan
import io.datomicgitops.jenkins.Reports

/*
 * Applies an approved plan. Called outside node: it first waits for the locks of the changed stacks
 * (lockable-resources, when installed), holding no executor, then takes an agent (label) and there checks that the
 * branch still is at the planned revision, runs the runner's apply with the approver and the build URL, and archives
 * the report. See vars/datomicApply.txt.
 */

/** Returns the apply report's stacks map (the deployment record per stack), or [:] when there was nothing to apply. */
Map call(Map args = [:]) {
    // pullRequest: the plan-only credentials of a shared parameter map (a pull request is never applied)
    Params.check(args, Params.RUNNER + ['plan', 'approvedBy', 'lock', 'label', 'pullRequest'], 'datomicApply')
    Plan plan = args.plan
    if (plan == null) {
        error 'datomicApply: plan is required (the value datomicPlan returned)'
    }
    if (!plan.hasChanges()) {
        echo "datomicApply: nothing to apply (${plan.summaryLine()})"
        return [:]
    }
    if (!args.approvedBy) {
        error 'datomicApply: approvedBy is required (the approver datomicApprove returned)'
    }
    if (env.NODE_NAME != null) {
        error 'datomicApply: call it outside node { } (in Declarative: a stage with agent none); it waits for the ' +
                'stack locks first and then takes an agent itself (label:), so a queued apply holds no executor'
    }
    if (!plan.repo || !plan.branch || !plan.revision) {
        error 'datomicApply: the plan names no repo, branch or revision, so it cannot check that the branch is still ' +
                'where it was planned; plan with repo: and branch: (datomicPlan)'
    }
    String work = args.workDir ?: 'datomic-gitops'
    Map runner = Params.pick(args, Params.RUNNER) + [repo: plan.repo]
    List<String> stacks = plan.changedStacks()
    List<String> resources = []
    if (args.lock != false) {
        for (String stack in stacks) {
            resources.add(plan.lockResource(stack))
        }
    }

    Map result = null
    withLocks(resources) {
        node(args.label) {
            checkNotMoved(plan, runner)
            List arguments = ['--dir', plan.dir]
            if (plan.savedPlan) {
                // the runner refuses, before changing anything, to do anything the approved plan does not say
                unstash(Plan.STASH)
                arguments.addAll(['--plan', plan.savedPlan])
            }
            for (String stack in stacks) {
                arguments.addAll(['--stack', stack])
            }
            arguments.addAll(['--approved-by', args.approvedBy, '--build-url', env.BUILD_URL ?: ''])
            try {
                result = datomicRunner(runner + [command: 'apply', gitAuth: true, arguments: arguments])
            } finally {
                archiveArtifacts(artifacts: "${work}/apply/report.json", allowEmptyArchive: true)
            }
        }
    }
    Map deployed = result.report.stacks ?: [:]
    currentBuild.description = "datomic-gitops: applied ${plan.shortRevision()}, approved by ${args.approvedBy}: " +
            deployedSummary(deployed)
    echo currentBuild.description
    return deployed
}

/** Fails, applying nothing, when the plan's branch moved since the plan (whichever way the plan's clone was made). */
private void checkNotMoved(Plan plan, Map runner) {
    Map checkout = datomicRunner(runner + [command: 'checkout', gitAuth: true,
            arguments: ['--repo', plan.repo, '--branch', plan.branch, '--dir', plan.dir]])
    String now = Reports.checkedOutRevision(checkout.report)
    if (now != plan.revision) {
        error "datomicApply: ${plan.branch} moved from ${plan.revision} (planned and approved) to ${now}; " +
                'nothing was applied: the build for the newer commit plans it again'
    }
}

/**
 * Runs BODY holding each of RESOURCES (in order, so two builds never wait on each other), newest build first.
 * Without the lockable-resources plugin there is no lock step: BODY runs unlocked, with a warning.
 */
private void withLocks(List<String> resources, Closure body) {
    if (resources.isEmpty()) {
        body()
        return
    }
    boolean entered = false
    try {
        lock(resource: resources[0], inversePrecedence: true) {
            entered = true
            withLocks(resources.drop(1), body)
        }
    } catch (NoSuchMethodError e) {
        if (entered) {
            throw e
        }
        echo 'datomic-gitops: WARNING: no lock step (install the lockable-resources plugin); applying without a lock'
        body()
    }
}

@NonCPS
private String deployedSummary(Map deployed) {
    List parts = []
    for (Object name : deployed.keySet()) {
        Map s = (Map) deployed[name]
        parts.add("${name} ${s.status ?: ''} ${s.commit ? s.commit.toString().take(10) : ''} ${s.tag ?: ''}".trim())
    }
    return parts.isEmpty() ? 'no stack' : parts.join(', ')
}

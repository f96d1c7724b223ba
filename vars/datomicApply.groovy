import com.cloudbees.groovy.cps.NonCPS
import io.datomicgitops.jenkins.Params
import io.datomicgitops.jenkins.Plan
import io.datomicgitops.jenkins.Reports

/*
 * Applies an approved plan: checks that the branch still is at the planned revision, takes a lock per stack
 * (lockable-resources, when installed), runs the runner's apply with the approver and the build URL, and archives
 * the report. Runs on an agent (inside node). See vars/datomicApply.txt.
 */

/** Returns the apply report's stacks map (the deployment record per stack), or [:] when there was nothing to apply. */
Map call(Map args = [:]) {
    Params.check(args, Params.RUNNER + ['plan', 'approvedBy', 'lock'], 'datomicApply')
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
    String work = args.workDir ?: 'datomic-gitops'
    Map runner = Params.pick(args, Params.RUNNER) + [repo: plan.repo]

    if (plan.revision) {
        Map checkout = datomicRunner(runner + [command: 'checkout', gitAuth: true,
                arguments: ['--repo', plan.repo, '--branch', plan.branch, '--dir', plan.dir]])
        String now = Reports.checkedOutRevision(checkout.report)
        if (now != plan.revision) {
            error "datomicApply: ${plan.branch} moved from ${plan.revision} (planned and approved) to ${now}; " +
                    'nothing was applied: the build for the newer commit plans it again'
        }
    }

    List<String> stacks = plan.changedStacks()
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

    Map result = null
    withStackLocks(args.lock == false ? [] : stacks) {
        try {
            result = datomicRunner(runner + [command: 'apply', gitAuth: true, arguments: arguments])
        } finally {
            archiveArtifacts(artifacts: "${work}/apply/report.json", allowEmptyArchive: true)
        }
    }
    Map deployed = result.report.stacks ?: [:]
    currentBuild.description = "datomic-gitops: applied ${plan.shortRevision()}, approved by ${args.approvedBy}: " +
            deployedSummary(deployed)
    echo currentBuild.description
    return deployed
}

/**
 * Runs BODY holding lock datomic-STACK for each stack (in order, so two builds never wait on each other), newest
 * build first. Without the lockable-resources plugin there is no lock step: BODY runs unlocked, with a warning.
 */
private void withStackLocks(List<String> stacks, Closure body) {
    if (stacks.isEmpty()) {
        body()
        return
    }
    boolean entered = false
    try {
        lock(resource: "datomic-${stacks[0]}", inversePrecedence: true) {
            entered = true
            withStackLocks(stacks.drop(1), body)
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

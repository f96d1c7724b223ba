import io.datomicgitops.jenkins.JobScm
import io.datomicgitops.jenkins.Params
import io.datomicgitops.jenkins.Plan

/*
 * The whole flow in one call, for a two-line Jenkinsfile: plan on an agent; on the deploy branch (not on a pull
 * request), approval outside any agent, then apply (the stack locks waited for outside any agent). A build the
 * job's cron started is the drift check (datomicDrift): UNSTABLE when AWS differs from git. See vars/datomicDeploy.txt.
 */

/** Returns the apply step's deployment records, or [:] for a plan-only build or a plan without changes. */
Map call(Map args = [:]) {
    List<String> planKeys = ['repo', 'branch', 'dir', 'stacks', 'since', 'checkout', 'pullRequest']
    List<String> approveKeys = ['submitter', 'timeout', 'timeoutUnit', 'message', 'ok', 'allowAuthorApproval']
    Params.check(args, Params.RUNNER + planKeys + approveKeys + ['deployBranch', 'label', 'lock'], 'datomicDeploy')
    String deployBranch = args.deployBranch ?: 'main'
    Map runner = Params.pick(args, Params.RUNNER)

    if (!currentBuild.getBuildCauses('hudson.triggers.TimerTrigger$TimerTriggerCause').isEmpty()) {
        // a scheduled build (the job's cron): the drift check, nothing planned or deployed; drift makes it UNSTABLE
        stage('Drift') {
            node(args.label) {
                datomicDrift(runner + Params.pick(args, ['repo', 'branch', 'dir', 'stacks']))
            }
        }
        return [:]
    }
    Plan plan = null
    stage('Plan') {
        node(args.label) {
            recordChanges(runner.workDir ?: 'datomic-gitops')
            plan = datomicPlan(runner + Params.pick(args, planKeys))
        }
    }
    if (env.CHANGE_ID != null || env.BRANCH_NAME != deployBranch) {
        echo "datomic-gitops: plan only (${env.CHANGE_ID != null ? 'pull request' : "branch ${env.BRANCH_NAME}"}; " +
                "deployments run on ${deployBranch})"
        return [:]
    }
    if (!plan.hasChanges()) {
        return [:]
    }
    String approver = null
    stage('Approve') {
        approver = datomicApprove(Params.pick(args, approveKeys) + [plan: plan])
    }
    Map deployed = null
    stage('Apply') {
        // outside node: datomicApply waits for the stack locks first, then takes an agent (label)
        deployed = datomicApply(runner + Params.pick(args, ['lock', 'label']) + [plan: plan, approvedBy: approver])
    }
    return deployed
}

/**
 * Checks out the job's SCM on a branch build, as Declarative's automatic checkout does, for the build's change log:
 * the commits whose authors may not approve, and that tell a build the runner's own push started (datomicPlan). A pull
 * request's plan checks out the job's SCM itself; a job without SCM has no change log.
 */
private void recordChanges(String work) {
    Object source = JobScm.of(this)
    if (source != null && env.CHANGE_ID == null) {
        dir("${work}/changelog") {
            checkout(source)
        }
    }
}

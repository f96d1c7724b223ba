import io.datomicgitops.jenkins.Params
import io.datomicgitops.jenkins.Plan

/*
 * The approval gate: a person who may approve (submitter) reads the plan and approves it, within a timeout.
 * Milestones before and after the input mean an older build still waiting here is aborted as soon as a newer
 * build is approved, and can never deploy over it. Call it outside node (a wait must not hold an executor).
 * See vars/datomicApprove.txt.
 */

/** Returns the approver's user id (for datomicApply's approvedBy), or null when the plan has no changes. */
String call(Map args = [:]) {
    Params.check(args, ['plan', 'submitter', 'timeout', 'timeoutUnit', 'message', 'ok', 'id'], 'datomicApprove')
    Plan plan = args.plan
    if (plan == null) {
        error 'datomicApprove: plan is required (the value datomicPlan returned)'
    }
    if (env.NODE_NAME != null) {
        error 'datomicApprove: call it outside node { } (or in a stage with agent none): waiting for a person ' +
                'must not hold an executor'
    }
    if (!plan.hasChanges()) {
        echo "datomicApprove: nothing to approve (${plan.summaryLine()})"
        return null
    }
    milestone(label: 'datomic-gitops: planned')
    String approver = null
    timeout(time: args.timeout ?: 24, unit: args.timeoutUnit ?: 'HOURS') {
        approver = input(id: args.id ?: 'DatomicGitopsApprove',
                message: args.message ?: plan.approvalText(),
                ok: args.ok ?: 'Deploy',
                submitter: args.submitter,
                submitterParameter: 'approver')
    }
    milestone(label: 'datomic-gitops: approved')
    echo "datomic-gitops: approved by ${approver}"
    return approver
}

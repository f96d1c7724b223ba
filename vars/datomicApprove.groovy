import com.cloudbees.groovy.cps.NonCPS
import io.datomicgitops.jenkins.Params
import io.datomicgitops.jenkins.Plan

/*
 * The approval gate: a person who may approve (submitter) reads the plan and approves it, within a timeout.
 * Milestones before and after the input mean an older build still waiting here is aborted as soon as a newer
 * build is approved, and can never deploy over it. Call it outside node (a wait must not hold an executor).
 * An answer that names no approver, or names an author of the change, is refused and the gate stays open.
 * See vars/datomicApprove.txt.
 */

/** Returns the approver's user id (for datomicApply's approvedBy), or null when the plan has no changes. */
String call(Map args = [:]) {
    Params.check(args, ['plan', 'submitter', 'timeout', 'timeoutUnit', 'message', 'ok', 'id', 'allowAuthorApproval'],
            'datomicApprove')
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
    // the input's message is a heading: one line there, the plan itself in the log (and plan.md, archived)
    echo plan.approvalText()
    String planUrl = env.BUILD_URL && plan.planMarkdown ? "${env.BUILD_URL}artifact/${plan.planMarkdown}" : null
    List<String> authors = args.allowAuthorApproval == true ? [] : changeAuthors()
    milestone(label: 'datomic-gitops: planned')
    String approver = null
    timeout(time: args.timeout ?: 24, unit: args.timeoutUnit ?: 'HOURS') {
        while (approver == null) {
            String answer = input(id: args.id ?: 'DatomicGitopsApprove',
                    message: args.message ?: plan.approvalHeading(planUrl),
                    ok: args.ok ?: 'Deploy',
                    submitter: args.submitter,
                    submitterParameter: 'approver')
            String refusal = refusal(answer, authors)
            if (refusal) {
                echo "datomic-gitops: approval refused: ${refusal}; waiting for another answer"
            } else {
                approver = answer
            }
        }
    }
    milestone(label: 'datomic-gitops: approved')
    echo "datomic-gitops: approved by ${approver}"
    return approver
}

/** Why ANSWER (the input's approver) cannot approve, or null when it can. */
@NonCPS
private String refusal(String answer, List<String> authors) {
    if (!answer) {
        return 'the answer names no approver (an input answered through a Proceed link or a REST call that does ' +
                'not pass the user); approve on the build\'s input page'
    }
    if (authors.contains(answer)) {
        return "${answer} authored a change in this build and may not approve it (pass allowAuthorApproval: true " +
                'to allow it)'
    }
    return null
}

/** The Jenkins user ids of the authors of the commits this build's checkouts brought in (currentBuild.changeSets). */
@NonCPS
private List<String> changeAuthors() {
    List<String> ids = []
    for (Object set : currentBuild.changeSets) {
        for (Object entry : set.items) {
            String id = entry.author?.id
            if (id && !ids.contains(id)) {
                ids.add(id)
            }
        }
    }
    return ids
}

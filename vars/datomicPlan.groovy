import io.datomicgitops.jenkins.Params
import io.datomicgitops.jenkins.Plan
import io.datomicgitops.jenkins.Reports

/*
 * Plans a deployment (read-only): the runner checks out the config repo and plans the stacks; report.json and
 * plan.md are archived and the build description gets a one-line summary. Exit code 2 (changes pending) is a
 * result, not a failure. Runs on an agent (inside node). See vars/datomicPlan.txt.
 */

/** Returns the Plan that datomicApprove shows and datomicApply applies. */
Plan call(Map args = [:]) {
    Params.check(args, Params.RUNNER + ['repo', 'branch', 'dir', 'stacks', 'since', 'checkout'], 'datomicPlan')
    String work = args.workDir ?: 'datomic-gitops'
    String dir = args.dir ?: "${work}/config"
    String repo = args.repo ?: env.GIT_URL
    String branch = args.branch ?: env.CHANGE_BRANCH ?: env.BRANCH_NAME
    Map runner = Params.pick(args, Params.RUNNER) + [repo: repo]

    String revision = null
    if (args.checkout != false) {
        if (!repo || !branch) {
            error 'datomicPlan: repo and branch are required (defaults: env.GIT_URL, env.CHANGE_BRANCH or env.BRANCH_NAME)'
        }
        Map checkout = datomicRunner(runner + [command: 'checkout', gitAuth: true,
                arguments: ['--repo', repo, '--branch', branch, '--dir', dir]])
        revision = Reports.checkedOutRevision(checkout.report)
    }

    String saved = "${work}/plan/plan.json"
    List arguments = ['--dir', dir, '--plan-md', "${work}/plan/plan.md", '--out', saved]
    for (String stack in Params.list(args.stacks)) {
        arguments.addAll(['--stack', stack])
    }
    if (args.since) {
        arguments.addAll(['--since', args.since])
    }
    Map result
    try {
        result = datomicRunner(runner + [command: 'plan', arguments: arguments, okExitCodes: [0, 2]])
    } finally {
        archiveArtifacts(artifacts: "${work}/plan/report.json,${work}/plan/plan.md", allowEmptyArchive: true)
    }
    // the Apply stage may run on another agent: the saved plan travels with the build
    stash(name: Plan.STASH, includes: saved)
    Plan plan = Plan.fromReport(result.report, repo, branch, revision, dir).withSavedPlan(saved)
    currentBuild.description = plan.summaryLine()
    echo plan.summaryLine()
    return plan
}

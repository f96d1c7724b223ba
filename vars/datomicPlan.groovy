import com.cloudbees.groovy.cps.NonCPS
import io.datomicgitops.jenkins.JobScm
import io.datomicgitops.jenkins.Params
import io.datomicgitops.jenkins.Plan
import io.datomicgitops.jenkins.Reports

/*
 * Plans a deployment (read-only): gets the config repo (see checkout below), runs the runner's plan, archives
 * report.json and plan.md, stashes the saved plan, and sets a one-line summary as the build description. Exit code 2
 * (changes pending) is a result, not a failure. Runs on an agent (inside node). See vars/datomicPlan.txt.
 *
 * Where the clone comes from (checkout):
 * - 'runner' (default on a branch): the runner clones repo at branch, the clone apply later pushes from;
 * - 'scm' (default on a pull request): Jenkins' own checkout scm, i.e. the revision Jenkins built: the pull
 *   request's head merged with its target (or the head alone, per the job's strategy). A fork's branch is not in
 *   repo, and a fork's branch may be named like the target, so the PR's CHANGE_BRANCH is never cloned from repo;
 * - false: the clone already in dir (the branch is still checked again before apply).
 */

/** Returns the Plan that datomicApprove shows and datomicApply applies. */
Plan call(Map args = [:]) {
    List<String> own = ['repo', 'branch', 'dir', 'stacks', 'since', 'checkout', 'pullRequest']
    Params.check(args, Params.RUNNER + own, 'datomicPlan')
    boolean pullRequest = env.CHANGE_ID != null
    Map opts = args
    if (pullRequest) {
        // a plan checks placeholders and resolves none: a pull request build (a fork's change runs in it) is handed no
        // secret unless pullRequest: names some; and the plan-only credentials (read-only AWS) instead of the deploy ones
        Map planOnly = (Map) (args.pullRequest ?: [:])
        Params.check(planOnly, Params.RUNNER, 'datomicPlan pullRequest')
        opts = args + [secrets: [:]] + planOnly
    }
    String work = opts.workDir ?: 'datomic-gitops'
    String mode = checkoutMode(opts.checkout, pullRequest)
    String cloneDir = opts.dir ?: (mode == 'scm' ? "${work}/scm" : "${work}/config")
    String repo = opts.repo ?: env.GIT_URL ?: JobScm.remoteUrl(this)
    String branch = opts.branch ?: env.BRANCH_NAME
    Map runner = Params.pick(opts, Params.RUNNER) + [repo: repo]

    // the runner's own push (its deployment record) started a build of the branch: say so, and stop before the runner
    String ownPush = ownPushReason(pullRequest)
    if (ownPush) {
        currentBuild.result = 'NOT_BUILT'
        currentBuild.description = ownPush
        echo ownPush
        return Plan.skipped(repo, branch, ownPush)
    }

    if (mode == 'runner') {
        if (!repo || !branch) {
            error 'datomicPlan: no config repo URL or branch: pass repo: and branch:, or run it in a multibranch job ' +
                    'on git (its scm and BRANCH_NAME give both)'
        }
        datomicRunner(runner + [command: 'checkout', gitAuth: true,
                arguments: ['--repo', repo, '--branch', branch, '--dir', cloneDir]])
    } else if (mode == 'scm') {
        Object source = JobScm.of(this)
        if (source == null) {
            error 'datomicPlan: checkout \'scm\' needs the job\'s SCM (a multibranch or "Pipeline script from SCM" ' +
                    'job); elsewhere pass checkout: \'runner\' with repo: and branch:'
        }
        dir(cloneDir) {
            checkout(source)
        }
    }

    String planDir = "${work}/plan"
    String saved = "${planDir}/plan.json"
    String planMd = "${planDir}/plan.md"
    List arguments = ['--dir', cloneDir, '--plan-md', planMd, '--out', saved]
    for (String stack in Params.list(opts.stacks)) {
        arguments.addAll(['--stack', stack])
    }
    if (opts.since) {
        arguments.addAll(['--since', opts.since])
    }
    Map result
    try {
        result = datomicRunner(runner + [command: 'plan', arguments: arguments, okExitCodes: [0, 2]])
    } finally {
        archiveArtifacts(artifacts: "${planDir}/report.json,${planMd}", allowEmptyArchive: true)
    }
    // the Apply stage may run on another agent: the saved plan travels with the build
    stash(name: Plan.STASH, includes: saved)
    String revision = Reports.parse(readFile(saved)).head
    Plan plan = Plan.fromReport(result.report, repo, branch, null, cloneDir).withFiles(saved, planMd, revision)
    currentBuild.description = plan.summaryLine()
    echo plan.summaryLine()
    if (pullRequest) {
        publishToPullRequest(plan, readFile(planMd))
    }
    return plan
}

/**
 * The plan on the pull request, the first way the controller offers: a check whose text is plan.md (Checks API
 * plugin, with an implementation for the SCM such as GitHub Checks); else a comment (Pipeline: GitHub's pullRequest
 * global); else only the build description (already set) and the archived plan.md.
 */
private void publishToPullRequest(Plan plan, String markdown) {
    try {
        publishChecks(name: 'datomic-gitops plan', title: plan.summaryLine(), summary: plan.summaryLine(),
                text: Plan.checkText(markdown), conclusion: 'NEUTRAL', detailsURL: env.BUILD_URL ?: '')
        return
    } catch (NoSuchMethodError e) {
        echo 'datomic-gitops: no publishChecks step (Checks API plugin); trying a pull request comment'
    }
    if (commentOnPullRequest(plan.commentText(markdown, env.BUILD_URL))) {
        echo 'datomic-gitops: the plan is a comment on the pull request'
        return
    }
    echo 'datomic-gitops: the plan is in the build description and in the archived plan.md (install the Checks API ' +
            'plugin with its implementation for your SCM, or Pipeline: GitHub, to publish it on the pull request)'
}

/** Adds TEXT as a comment on the pull request (Pipeline: GitHub's pullRequest.comment); false without that plugin. */
@NonCPS
private boolean commentOnPullRequest(String text) {
    Object pr
    try {
        pr = pullRequest
    } catch (MissingPropertyException ignored) {
        return false
    }
    pr.comment(text)
    return true
}

/**
 * Why this build plans nothing, or null: its change log (the commits since the branch's previous build, recorded by a
 * checkout of the job's SCM, e.g. Declarative's automatic one) is not empty and every commit in it was committed by
 * the runner (DATOMIC_GITOPS_COMMITTER_EMAIL, else the runner's default datomic-gitops@localhost): the runner's own
 * push of a deployment record started it. Never for a pull request, nor a build a person or the cron trigger started.
 */
@NonCPS
private String ownPushReason(boolean pullRequest) {
    if (pullRequest || !currentBuild.getBuildCauses('hudson.triggers.TimerTrigger$TimerTriggerCause').isEmpty()
            || !currentBuild.getBuildCauses('hudson.model.Cause$UserIdCause').isEmpty()) {
        return null
    }
    String runner = env.DATOMIC_GITOPS_COMMITTER_EMAIL ?: 'datomic-gitops@localhost'
    int commits = 0
    for (Object set : currentBuild.changeSets) {
        for (Object entry : set.items) {
            if (entry.authorEmail != runner) {
                return null
            }
            commits++
        }
    }
    return commits == 0 ? null : "datomic-gitops: not built: the ${commits} commit(s) this build brings in are the " +
            "runner's own (committed by ${runner}: a deployment's record); nothing to plan"
}

/** runner, scm or none: CHECKOUT as given (true is runner, false none), else scm on a pull request, runner elsewhere. */
private String checkoutMode(Object checkout, boolean pullRequest) {
    if (checkout == null) {
        return pullRequest ? 'scm' : 'runner'
    }
    if (checkout == true || checkout == 'runner') {
        return 'runner'
    }
    if (checkout == false) {
        return 'none'
    }
    if (checkout == 'scm') {
        return 'scm'
    }
    error "datomicPlan: checkout must be 'runner', 'scm' or false, not '${checkout}'"
}

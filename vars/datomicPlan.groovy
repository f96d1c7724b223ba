import com.cloudbees.groovy.cps.NonCPS
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
    String repo = opts.repo ?: env.GIT_URL ?: scmRemoteUrl()
    String branch = opts.branch ?: env.BRANCH_NAME
    Map runner = Params.pick(opts, Params.RUNNER) + [repo: repo]

    if (mode == 'runner') {
        if (!repo || !branch) {
            error 'datomicPlan: no config repo URL or branch: pass repo: and branch:, or run it in a multibranch job ' +
                    'on git (its scm and BRANCH_NAME give both)'
        }
        datomicRunner(runner + [command: 'checkout', gitAuth: true,
                arguments: ['--repo', repo, '--branch', branch, '--dir', cloneDir]])
    } else if (mode == 'scm') {
        Object source = scmOrNull()
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
 * The plan on the pull request: a check (Checks API plugin, with an implementation for the SCM such as GitHub
 * Checks) whose text is plan.md; without that plugin, the build description already carries the summary line.
 */
private void publishToPullRequest(Plan plan, String markdown) {
    try {
        publishChecks(name: 'datomic-gitops plan', title: plan.summaryLine(), summary: plan.summaryLine(),
                text: Plan.checkText(markdown), conclusion: 'NEUTRAL', detailsURL: env.BUILD_URL ?: '')
    } catch (NoSuchMethodError e) {
        echo 'datomic-gitops: the plan is in the build description and in the archived plan.md (install the ' +
                'Checks API plugin and its GitHub Checks implementation to publish it on the pull request)'
    }
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

/** The job's SCM (the scm global of a multibranch or SCM job), or null in a job without one. */
@NonCPS
private Object scmOrNull() {
    Object found = null
    try {
        found = scm
    } catch (MissingPropertyException ignored) {
        // a job without SCM (an inline script) has no scm global
    }
    return found
}

/** The remote URL of the job's git SCM, or null (no SCM, or not git). */
@NonCPS
private String scmRemoteUrl() {
    Object source = scmOrNull()
    if (source == null || !source.hasProperty('userRemoteConfigs') || !source.userRemoteConfigs) {
        return null
    }
    return source.userRemoteConfigs[0].url
}

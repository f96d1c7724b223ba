import com.cloudbees.groovy.cps.NonCPS
import io.datomicgitops.jenkins.JobScm
import io.datomicgitops.jenkins.Params

/*
 * The drift check, for a scheduled build: does AWS still run what git says? On an agent (inside node): the runner
 * clones repo at branch and runs its drift command (read-only), which compares, per stack, the template the stack
 * runs with cf.json and the ensure phases' resources (table, bucket, roles, policies, security group, protections)
 * with the properties files, so it also finds changes made by hand in AWS. Its report is archived; drift (exit 2)
 * turns the build UNSTABLE, the drifted stacks named in the description. See vars/datomicDrift.txt.
 */

/** Returns [drifted: the names of the stacks that drifted, report: the runner's drift report]. */
Map call(Map args = [:]) {
    // pullRequest: the plan-only credentials of a shared parameter map (a drift check is never a pull request build)
    List<String> own = ['repo', 'branch', 'dir', 'stacks', 'pullRequest']
    Params.check(args, Params.RUNNER + own, 'datomicDrift')
    String work = args.workDir ?: 'datomic-gitops'
    String cloneDir = args.dir ?: "${work}/config"
    String repo = args.repo ?: env.GIT_URL ?: JobScm.remoteUrl(this)
    String branch = args.branch ?: env.BRANCH_NAME
    if (!repo || !branch) {
        error 'datomicDrift: no config repo URL or branch: pass repo: and branch:, or run it in a multibranch job on ' +
                'git (its scm and BRANCH_NAME give both)'
    }
    Map runner = Params.pick(args, Params.RUNNER) + [repo: repo]
    datomicRunner(runner + [command: 'checkout', gitAuth: true,
            arguments: ['--repo', repo, '--branch', branch, '--dir', cloneDir]])
    List arguments = ['--dir', cloneDir]
    for (String stack in Params.list(args.stacks)) {
        arguments.addAll(['--stack', stack])
    }
    Map result
    try {
        // the runner's drift resolves the ${env:NAME} placeholders (a plan does not), so the secrets are bound
        result = datomicRunner(runner + [command: 'drift', arguments: arguments, okExitCodes: [0, 2]])
    } finally {
        archiveArtifacts(artifacts: "${work}/drift/report.json", allowEmptyArchive: true)
    }
    Map<String, String> drifted = driftedStacks(result.report)
    if (result.exitCode == 2) {
        String line = "datomic-gitops: drift in ${drifted.keySet().join(', ') ?: 'a stack report.json does not name'}: " +
                drifted.values().join('; ')
        currentBuild.description = line
        unstable line
    } else {
        currentBuild.description = "datomic-gitops: no drift on ${branch}: AWS matches git"
        echo currentBuild.description
    }
    return [drifted: new ArrayList<String>(drifted.keySet()), report: result.report]
}

/** Stack name -> its summary line, for each stack whose drift phase in REPORT says drift. */
@NonCPS
private Map<String, String> driftedStacks(Map report) {
    Map<String, String> drifted = new TreeMap<String, String>()
    for (Object p : (report.phases ?: [])) {
        Map phase = (Map) p
        if (phase.phase == 'drift' && phase.status == 'drift') {
            drifted[phase.stack.toString()] = (phase.summary ?: "report.json has no summary for ${phase.stack}").toString()
        }
    }
    return drifted
}

import io.datomicgitops.jenkins.EnvRef
import io.datomicgitops.jenkins.Params
import io.datomicgitops.jenkins.Reports
import io.datomicgitops.jenkins.RunnerPin
import io.datomicgitops.jenkins.ShellQuote

/*
 * Runs one runner command on the agent: finds the jar, binds AWS and git credentials, runs java with an argument
 * list (each argument quoted, never a command line built from parameters), and reads the JSON report back.
 * Used by datomicPlan, datomicApply and datomicDeploy; see vars/datomicRunner.txt.
 */

/**
 * Runs COMMAND with ARGUMENTS. Returns [exitCode: int, report: Map (the runner's JSON report), reportFile: path].
 * An exit code outside okExitCodes fails the build with the runner's own error line.
 */
Map call(Map args) {
    Params.check(args, Params.RUNNER + ['command', 'arguments', 'report', 'okExitCodes', 'gitAuth', 'repo'], 'datomicRunner')
    String command = args.command
    if (!command) {
        error 'datomicRunner: command is required (checkout, plan, apply, ...)'
    }
    String work = workDir(args)
    String reportFile = args.report ?: "${work}/${command}/report.json"
    String errFile = "${work}/${command}/stderr.txt"
    List okCodes = args.okExitCodes ?: [0]

    List argv = [args.java ?: 'java', '-jar', jar(args), command]
    argv.addAll(Params.list(args.arguments))
    argv.addAll(['--report', reportFile])

    List bindings = []
    if (args.awsCredentialsId) {
        bindings.add([$class: 'AmazonWebServicesCredentialsBinding', credentialsId: args.awsCredentialsId,
                      accessKeyVariable: 'AWS_ACCESS_KEY_ID', secretKeyVariable: 'AWS_SECRET_ACCESS_KEY'])
    }
    // secret-text credentials for the ${env:NAME} placeholders of the properties files (e.g. license-key)
    // each one named to the runner too: placeholders may only read the variables its command line allows
    Map secrets = args.secrets ?: [:]
    for (String name : secrets.keySet()) {
        if (!(name ==~ /[A-Z_][A-Z0-9_]*/)) {
            error "datomicRunner: secrets key '${name}' is not an environment variable name (A-Z, 0-9, _)"
        }
        bindings.add(string(credentialsId: secrets[name], variable: name))
        argv.addAll(['--secret-env', name])
    }
    if (args.gitAuth && args.gitCredentialsId) {
        String type = gitCredentialsType(args)
        if (type == 'ssh') {
            bindings.add(sshUserPrivateKey(credentialsId: args.gitCredentialsId, keyFileVariable: 'DATOMIC_GITOPS_SSH_KEY',
                    passphraseVariable: 'DATOMIC_GITOPS_SSH_PASSPHRASE'))
            argv.addAll(['--ssh-key', new EnvRef('DATOMIC_GITOPS_SSH_KEY'),
                         '--ssh-passphrase-env', 'DATOMIC_GITOPS_SSH_PASSPHRASE'])
            if (args.sshAcceptNewHostKey) {
                argv.add('--ssh-accept-new')
            }
            if (args.knownHosts) {
                argv.addAll(['--known-hosts', args.knownHosts])
            }
        } else if (type == 'usernamePassword') {
            bindings.add(usernamePassword(credentialsId: args.gitCredentialsId,
                    usernameVariable: 'DATOMIC_GITOPS_GIT_USER', passwordVariable: 'DATOMIC_GITOPS_GIT_TOKEN'))
            argv.addAll(['--token-env', 'DATOMIC_GITOPS_GIT_TOKEN', '--token-user', new EnvRef('DATOMIC_GITOPS_GIT_USER')])
        } else if (type == 'token') {
            bindings.add(string(credentialsId: args.gitCredentialsId, variable: 'DATOMIC_GITOPS_GIT_TOKEN'))
            argv.addAll(['--token-env', 'DATOMIC_GITOPS_GIT_TOKEN'])
        } else {
            error "datomicRunner: gitCredentialsType must be ssh, usernamePassword or token, not '${type}'"
        }
    }
    List envs = args.awsRegion ? ["AWS_REGION=${args.awsRegion}", "AWS_DEFAULT_REGION=${args.awsRegion}"] : []

    // a report or plan.md an earlier build left here must never pass for this run's (the runner may not even start)
    dir("${work}/${command}") {
        deleteDir()
    }
    writeFile(file: errFile, text: '')
    int code = -1
    withEnv(envs) {
        withCredentials(bindings) {
            code = sh(script: ShellQuote.script(argv, errFile), returnStatus: true, label: "datomic-gitops ${command}")
        }
    }
    Map report = fileExists(reportFile) ? Reports.parse(readFile(reportFile)) : null
    if (!okCodes.contains(code)) {
        String stderr = fileExists(errFile) ? readFile(errFile) : ''
        error Reports.failureMessage(command, code, stderr, report)
    }
    if (report == null) {
        error "datomic-gitops ${command} exited ${code} but wrote no report to ${reportFile}"
    }
    return [exitCode: code, report: report, reportFile: reportFile]
}

/**
 * The runner jar on this agent: jar: (a path), else the DATOMIC_GITOPS_JAR variable, else the pinned release
 * downloaded from repositoryUrl (with repositoryCredentialsId for a private one), checksum-verified, and cached
 * under workDir/runner/.
 */
String jar(Map args) {
    if (args.jar) {
        return existing(args.jar.toString(), 'jar')
    }
    if (env.DATOMIC_GITOPS_JAR) {
        return existing(env.DATOMIC_GITOPS_JAR, 'DATOMIC_GITOPS_JAR')
    }
    RunnerPin pin = RunnerPin.parse(libraryResource('io/datomicgitops/jenkins/runner.properties'))
    if (args.runnerVersion || args.runnerSha256) {
        if (!args.runnerVersion || !args.runnerSha256) {
            error 'datomicRunner: runnerVersion and runnerSha256 go together (a version is only trusted with its checksum)'
        }
        pin = pin.with(args.runnerVersion.toString(), args.runnerSha256.toString())
    }
    if (!pin.hasChecksum()) {
        error "datomicRunner: no SHA-256 is pinned for runner ${pin.version}; give jar:, set DATOMIC_GITOPS_JAR on " +
                'the agent, or pin runnerVersion with runnerSha256'
    }
    String repository = args.repositoryUrl ?: env.DATOMIC_GITOPS_REPOSITORY_URL
    if (!repository) {
        error 'datomicRunner: no runner jar: give jar:, set DATOMIC_GITOPS_JAR on the agent, or give repositoryUrl ' +
                '(or DATOMIC_GITOPS_REPOSITORY_URL), the Maven repository that holds the runner release'
    }
    String dest = "${workDir(args)}/runner/${pin.fileName()}"
    String fetcher = "${workDir(args)}/runner/fetch-runner.sh"
    writeFile(file: fetcher, text: libraryResource('io/datomicgitops/jenkins/fetch-runner.sh'))
    // a private repository: the credential reaches curl through the environment and its standard input only
    List bindings = []
    if (args.repositoryCredentialsId) {
        bindings.add(usernamePassword(credentialsId: args.repositoryCredentialsId,
                usernameVariable: 'DATOMIC_GITOPS_REPOSITORY_USER', passwordVariable: 'DATOMIC_GITOPS_REPOSITORY_PASSWORD'))
    }
    withCredentials(bindings) {
        sh(script: ShellQuote.command(['sh', fetcher, pin.url(repository), dest, pin.sha256]), label: 'fetch datomic-gitops runner')
    }
    return dest
}

private String existing(String path, String from) {
    if (!fileExists(path)) {
        error "datomicRunner: the runner jar ${path} (from ${from}) does not exist on this agent"
    }
    return path
}

private String workDir(Map args) {
    return args.workDir ?: 'datomic-gitops'
}

/** ssh for ssh://, git@host: and other non-HTTP URLs; usernamePassword (a token as password) for https://. */
private String gitCredentialsType(Map args) {
    if (args.gitCredentialsType) {
        return args.gitCredentialsType
    }
    String repo = (args.repo ?: env.GIT_URL ?: '').toString()
    return repo.startsWith('https://') || repo.startsWith('http://') ? 'usernamePassword' : 'ssh'
}

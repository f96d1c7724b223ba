package io.datomicgitops.jenkins.harness;

import java.util.Map;
import java.util.Set;

/**
 * The parameters of every step and symbol the library and Jenkinsfile.example call, as the plugins' published
 * step reference (jenkins.io/doc/pipeline/steps/PLUGIN) lists them. The harness refuses a call naming a parameter
 * not listed, as Jenkins does ("... does not take parameter ..."), so a misspelt or invented parameter fails here
 * and not on the controller. Only the parameter names are checked; the steps' behaviour is in {@link Steps}. A
 * plugin's global variable is not a step: pipeline-github's {@code pullRequest.comment(String body)} is held to its
 * signature by the Java method of {@link PullRequestGlobal}.
 */
final class StepSignatures {
    private StepSignatures() {}

    /** step or symbol -> its parameter names (from its plugin's step reference page). */
    static final Map<String, Set<String>> PARAMETERS = Map.ofEntries(
            // workflow-basic-steps
            Map.entry("echo", Set.of("message")),
            Map.entry("error", Set.of("message")),
            Map.entry("unstable", Set.of("message")),
            Map.entry("writeFile", Set.of("file", "text", "encoding")),
            Map.entry("readFile", Set.of("file", "encoding")),
            Map.entry("fileExists", Set.of("file")),
            Map.entry("deleteDir", Set.of()),
            Map.entry("isUnix", Set.of()),
            Map.entry("sleep", Set.of("time", "unit")),
            Map.entry("timeout", Set.of("time", "unit", "activity")),
            Map.entry("withEnv", Set.of("overrides")),
            Map.entry("archiveArtifacts", Set.of("artifacts", "allowEmptyArchive", "caseSensitive", "defaultExcludes",
                    "excludes", "fingerprint", "followSymlinks", "onlyIfSuccessful")),
            Map.entry("stash", Set.of("name", "allowEmpty", "excludes", "includes", "useDefaultExcludes")),
            Map.entry("unstash", Set.of("name")),
            // workflow-durable-task-step
            Map.entry("sh", Set.of("script", "encoding", "label", "returnStatus", "returnStdout")),
            Map.entry("node", Set.of("label")),
            Map.entry("dir", Set.of("path")),
            // pipeline-stage-step, workflow-scm-step, pipeline-groovy-lib, pipeline-utility-steps
            Map.entry("stage", Set.of("name")),
            Map.entry("checkout", Set.of("scm", "changelog", "poll")),
            Map.entry("libraryResource", Set.of("resource", "encoding")),
            Map.entry("readJSON", Set.of("file", "text", "returnPojo")),
            // pipeline-input-step, pipeline-milestone-step, lockable-resources, workflow-multibranch
            Map.entry("input", Set.of("message", "id", "ok", "parameters", "submitter", "submitterParameter", "cancel")),
            Map.entry("milestone", Set.of("ordinal", "label", "unsafe")),
            Map.entry("lock", Set.of("resource", "label", "quantity", "inversePrecedence", "skipIfLocked", "variable",
                    "extra", "priority", "resourceSelectStrategy")),
            Map.entry("properties", Set.of("properties")),
            // credentials-binding (the step and its binding symbols), aws-credentials ($class binding)
            Map.entry("withCredentials", Set.of("bindings")),
            Map.entry("string", Set.of("credentialsId", "variable")),
            Map.entry("usernamePassword", Set.of("credentialsId", "usernameVariable", "passwordVariable")),
            Map.entry("sshUserPrivateKey", Set.of("credentialsId", "keyFileVariable", "passphraseVariable", "usernameVariable")),
            Map.entry("aws", Set.of("credentialsId", "accessKeyVariable", "secretKeyVariable", "roleArn",
                    "roleSessionName", "roleSessionDurationSeconds")),
            // pipeline-aws, checks-api
            Map.entry("withAWS", Set.of("credentials", "region", "profile", "endpointUrl", "role", "roleAccount",
                    "externalId", "policy", "duration", "roleSessionName", "principalArn", "samlAssertion",
                    "useNode", "iamMfaToken", "federatedUserId")),
            Map.entry("publishChecks", Set.of("name", "title", "summary", "text", "status", "conclusion", "detailsURL",
                    "actions", "annotations")),
            // job properties and options (workflow-job, core)
            Map.entry("disableConcurrentBuilds", Set.of("abortPrevious")),
            Map.entry("buildDiscarder", Set.of("strategy")),
            Map.entry("logRotator", Set.of("numToKeepStr", "daysToKeepStr", "artifactNumToKeepStr", "artifactDaysToKeepStr")),
            Map.entry("pipelineTriggers", Set.of("triggers")),
            Map.entry("cron", Set.of("spec")));

    /** Refuses a call of STEP naming a parameter its reference does not list (or a step the table lacks). */
    static void check(String step, Map<String, ?> args) {
        Set<String> known = PARAMETERS.get(step);
        if (known == null) {
            throw new IllegalStateException("harness: step " + step + " is not in StepSignatures; add it from its plugin's step reference");
        }
        for (String name : args.keySet()) {
            if (!known.contains(name)) {
                throw new IllegalArgumentException("WorkflowScript: " + step + " does not take parameter " + name
                        + " (its parameters: " + new java.util.TreeSet<>(known) + ")");
            }
        }
    }
}

package io.datomicgitops.jenkins

import com.cloudbees.groovy.cps.NonCPS
import hudson.AbortException

/** Named-parameter checks shared by the steps: an unknown name is a typo, and a typo must not pass silently. */
class Params implements Serializable {
    private static final long serialVersionUID = 1L

    /** Parameters every step that runs the runner accepts (see datomicRunner). */
    static final List<String> RUNNER = ['jar', 'java', 'runnerVersion', 'runnerSha256', 'repositoryUrl', 'repositoryCredentialsId',
            'awsCredentialsId', 'awsRegion', 'gitCredentialsId', 'gitCredentialsType', 'sshAcceptNewHostKey',
            'knownHosts', 'workDir', 'secrets'].asImmutable()

    /**
     * Fails the step when ARGS names a parameter not in KNOWN: an AbortException, which Jenkins shows as one
     * "ERROR: ..." line (as the error step does), not as a stack trace.
     */
    @NonCPS
    static void check(Map args, List<String> known, String step) {
        List<String> unknown = []
        for (Object k : args.keySet()) {
            if (!known.contains(k.toString())) {
                unknown.add(k.toString())
            }
        }
        if (!unknown.isEmpty()) {
            throw new AbortException("${step}: unknown parameter(s) ${unknown.join(', ')}; " +
                    "the parameters are: ${known.join(', ')}".toString())
        }
    }

    /** The entries of ARGS whose names are in KEYS. */
    @NonCPS
    static Map pick(Map args, List<String> keys) {
        Map picked = [:]
        for (Object k : args.keySet()) {
            if (keys.contains(k.toString())) {
                picked[k] = args[k]
            }
        }
        return picked
    }

    /** The string list a parameter holds: null is empty, a single string is a one-element list. */
    @NonCPS
    static List<String> list(Object value) {
        if (value == null) {
            return []
        }
        if (value instanceof Collection) {
            List<String> out = []
            for (Object v : (Collection) value) {
                out.add(v.toString())
            }
            return out
        }
        return [value.toString()]
    }
}

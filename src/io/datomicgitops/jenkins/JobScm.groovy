package io.datomicgitops.jenkins

import com.cloudbees.groovy.cps.NonCPS

/**
 * The job's SCM as a step's script sees it: the scm global, which only a job from SCM has (a multibranch job, or
 * "Pipeline script from SCM"), and the URL of its git remote.
 */
class JobScm implements Serializable {
    private static final long serialVersionUID = 1L

    /** SCRIPT's scm global (pass the step script, this), or null in a job without one (an inline script). */
    @NonCPS
    static Object of(Object script) {
        Object found = null
        try {
            found = script.scm
        } catch (MissingPropertyException ignored) {
            // a job without SCM (an inline script) has no scm global
        }
        return found
    }

    /** The remote URL of the job's git SCM, or null (no SCM, or not git). */
    @NonCPS
    static String remoteUrl(Object script) {
        Object source = of(script)
        if (source == null || !source.hasProperty('userRemoteConfigs') || !source.userRemoteConfigs) {
            return null
        }
        return source.userRemoteConfigs[0].url
    }
}

package io.datomicgitops.jenkins

import com.cloudbees.groovy.cps.NonCPS
import groovy.json.JsonSlurperClassic

/** Reading the runner's JSON report: plain HashMaps and ArrayLists (serializable), never lazy maps. */
class Reports implements Serializable {
    private static final long serialVersionUID = 1L

    @NonCPS
    static Map parse(String json) {
        Object parsed = new JsonSlurperClassic().parseText(json)
        if (!(parsed instanceof Map)) {
            throw new IllegalArgumentException('the runner report is not a JSON object')
        }
        return (Map) parsed
    }

    /** The commit a checkout report says it checked out, or null. */
    @NonCPS
    static String checkedOutRevision(Map report) {
        for (Object p : (report.phases ?: [])) {
            Map phase = (Map) p
            if (phase.phase == 'checkout' && phase.result instanceof Map) {
                return ((Map) phase.result).head
            }
        }
        return null
    }

    /**
     * The runner's message for a failed run: its one "error: ..." line on standard error, else the report's error,
     * else the exit code.
     */
    @NonCPS
    static String failureMessage(String command, int exitCode, String stderr, Map report) {
        String line = null
        for (String l : (stderr ?: '').readLines()) {
            if (l.startsWith('error: ')) {
                line = l.substring('error: '.length())
            }
        }
        if (line == null && report?.error instanceof Map) {
            Map e = (Map) report.error
            line = [e.where, e.message].findAll { it }.join(': ') + (e.todo ? " (${e.todo})" : '')
        }
        return "datomic-gitops ${command} failed (exit ${exitCode}): ${line ?: 'no error message; see the log above'}"
    }
}

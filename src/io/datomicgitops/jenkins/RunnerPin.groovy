package io.datomicgitops.jenkins

import com.cloudbees.groovy.cps.NonCPS

/** The runner version this library release was tested with, and its jar's SHA-256 (resources/.../runner.properties). */
class RunnerPin implements Serializable {
    private static final long serialVersionUID = 1L

    final String groupId
    final String artifactId
    final String version
    final String sha256

    RunnerPin(String groupId, String artifactId, String version, String sha256) {
        this.groupId = groupId
        this.artifactId = artifactId
        this.version = version
        this.sha256 = sha256 == null ? '' : sha256.toLowerCase()
    }

    /** Reads the pin from the text of a properties file (key=value lines, # comments). */
    @NonCPS
    static RunnerPin parse(String text) {
        Map<String, String> values = [:]
        for (String line : text.readLines()) {
            String l = line.trim()
            int eq = l.indexOf('=')
            if (l && !l.startsWith('#') && eq > 0) {
                values[l.substring(0, eq).trim()] = l.substring(eq + 1).trim()
            }
        }
        return new RunnerPin(values.groupId, values.artifactId, values.version, values.sha256)
    }

    /** This pin with another version and checksum (an operator pinning a different release). */
    @NonCPS
    RunnerPin with(String otherVersion, String otherSha256) {
        return new RunnerPin(groupId, artifactId, otherVersion, otherSha256)
    }

    @NonCPS
    boolean hasChecksum() {
        return sha256 ==~ /[0-9a-f]{64}/
    }

    @NonCPS
    String fileName() {
        return "${artifactId}-${version}.jar"
    }

    /** Where a Maven repository at REPOSITORY keeps the jar. */
    @NonCPS
    String url(String repository) {
        String base = repository.endsWith('/') ? repository : repository + '/'
        return base + groupId.replace('.', '/') + '/' + artifactId + '/' + version + '/' + fileName()
    }
}

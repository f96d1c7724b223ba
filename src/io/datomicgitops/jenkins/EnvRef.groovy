package io.datomicgitops.jenkins

import com.cloudbees.groovy.cps.NonCPS

/** A command argument whose value the shell takes from an environment variable (e.g. a key file bound by Jenkins). */
class EnvRef implements Serializable {
    private static final long serialVersionUID = 1L

    final String name

    EnvRef(String name) {
        if (name == null || !(name ==~ /[A-Za-z_][A-Za-z0-9_]*/)) {
            throw new IllegalArgumentException("not an environment variable name: ${name}")
        }
        this.name = name
    }

    @NonCPS
    @Override
    String toString() {
        return '$' + name
    }
}

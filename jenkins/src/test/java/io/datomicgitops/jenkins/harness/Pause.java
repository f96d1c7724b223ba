package io.datomicgitops.jenkins.harness;

import com.cloudbees.groovy.cps.Continuable;

/**
 * Suspends the running program and hands a step to the harness. Called by the harness' own CPS code (the body
 * steps and the declarative model) as {@code Pause.pause('node', [...])}; the CPS method name is "pause", matching
 * the call site, so groovy-cps reports no mismatch.
 */
public final class Pause {
    private Pause() {}

    public static Object pause(String step, Object arg) {
        return Continuable.suspend("pause", new StepCall(step, new Object[]{arg}));
    }
}

package io.datomicgitops.jenkins.harness;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Lockable resources: one holder, and a queue served first-come, or newest-first for inversePrecedence waiters. */
final class Locks {
    private Locks() {}

    record Waiter(Build build, boolean inversePrecedence) {}

    static final class State {
        Build holder;
        final List<Waiter> waiting = new ArrayList<>();

        Waiter next() {
            if (waiting.isEmpty()) return null;
            Waiter pick = waiting.stream().anyMatch(Waiter::inversePrecedence)
                    ? waiting.stream().filter(Waiter::inversePrecedence)
                        .max(Comparator.comparingInt(w -> w.build().number())).orElseThrow()
                    : waiting.get(0);
            waiting.remove(pick);
            return pick;
        }
    }
}

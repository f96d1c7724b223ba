package io.datomicgitops.ensure;

import java.util.ArrayList;
import java.util.List;

/**
 * The protections one resource lacks: the differences a plan shows, the mutating calls that turn them on (as the plan
 * lists them), and those calls, run by apply in order.
 */
final class PendingProtections {
    final List<ResourceChange.Difference> differences = new ArrayList<>();
    final List<String> calls = new ArrayList<>();
    private final List<Step.Action> actions = new ArrayList<>();

    /** A protection found {@code from} and turned {@code to} by {@code call}. */
    PendingProtections add(String field, String from, String to, String call, Step.Action action) {
        differences.add(new ResourceChange.Difference(field, from, to));
        calls.add(call);
        actions.add(action);
        return this;
    }

    boolean isEmpty() {
        return actions.isEmpty();
    }

    void run() {
        actions.forEach(Step.Action::run);
    }
}

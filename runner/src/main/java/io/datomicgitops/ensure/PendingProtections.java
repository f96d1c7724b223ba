package io.datomicgitops.ensure;

import java.util.ArrayList;
import java.util.List;

/**
 * The protections one resource lacks: the differences a plan shows, the mutating calls that turn them on (as the plan
 * lists them), and those calls, run by apply in order.
 */
final class PendingProtections {
    /** The state a protection of a resource created now is shown "from". */
    static final String NEW = "(new)";

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

    /** A protection the resource's create call sets itself: shown, no call of its own. */
    PendingProtections setByCreate(String field, String to) {
        differences.add(new ResourceChange.Difference(field, NEW, to));
        return this;
    }

    boolean isEmpty() {
        return actions.isEmpty();
    }

    void run() {
        actions.forEach(Step.Action::run);
    }
}

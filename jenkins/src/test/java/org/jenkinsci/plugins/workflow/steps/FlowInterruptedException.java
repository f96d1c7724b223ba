package org.jenkinsci.plugins.workflow.steps;

import java.util.List;

/**
 * Same name and role as Jenkins' class: thrown into a program when a build is interrupted (an input aborted, a
 * timeout exceeded, a newer build passing a milestone). Carries the build result it asks for and why.
 */
public class FlowInterruptedException extends InterruptedException {
    private static final long serialVersionUID = 1L;

    private final String result;
    private final List<String> causes;

    public FlowInterruptedException(String result, String... causes) {
        super(result + ": " + String.join("; ", causes));
        this.result = result;
        this.causes = List.of(causes);
    }

    public String getResult() { return result; }

    public List<String> getCauses() { return causes; }
}

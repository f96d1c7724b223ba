package io.datomicgitops.findings;

import io.datomicgitops.findings.Finding.Severity;

import java.util.List;

/** Reading a list of findings: what blocks, how many of each, which file a finding is in. */
public final class Findings {
    private Findings() {}

    /** The errors: any one of them stops validate (exit 3) and a deployment. */
    public static List<Finding> errors(List<Finding> findings) {
        return findings.stream().filter(f -> f.severity() == Severity.ERROR).toList();
    }

    public static boolean hasErrors(List<Finding> findings) {
        return findings.stream().anyMatch(f -> f.severity() == Severity.ERROR);
    }

    /** "1 error, 2 warnings (1 acknowledged), 0 info" */
    public static String summary(List<Finding> findings) {
        long errors = count(findings, Severity.ERROR, false);
        long warnings = count(findings, Severity.WARNING, false) + count(findings, Severity.WARNING, true);
        long info = count(findings, Severity.INFO, false) + count(findings, Severity.INFO, true);
        long acknowledged = findings.stream().filter(Finding::acknowledged).count();
        return errors + (errors == 1 ? " error, " : " errors, ") + warnings + (warnings == 1 ? " warning" : " warnings")
                + ", " + info + " info" + (acknowledged > 0 ? " (" + acknowledged + " acknowledged)" : "");
    }

    private static long count(List<Finding> findings, Severity severity, boolean acknowledged) {
        return findings.stream().filter(f -> f.severity() == severity && f.acknowledged() == acknowledged).count();
    }

    /** The file a finding is in: its where without the ":line" (the whole where when it names no line). */
    public static String file(Finding f) {
        String w = f.where() == null ? "" : f.where();
        return w.replaceFirst(":\\d+$", "");
    }
}

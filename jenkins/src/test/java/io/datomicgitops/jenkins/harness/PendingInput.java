package io.datomicgitops.jenkins.harness;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** An input step waiting for someone: what Jenkins shows on the build page, and who may answer. */
public record PendingInput(String id, String message, String ok, String submitter, String submitterParameter,
                           List<Object> parameters, Map<String, Object> args) {
    /** Jenkins' rule: no submitter means anyone; else one of the comma-separated user ids or groups. */
    public boolean allows(String user, String... groups) {
        if (submitter == null || submitter.isBlank()) return true;
        for (String s : submitter.split(",")) {
            String who = s.trim();
            if (who.equals(user) || Arrays.asList(groups).contains(who)) return true;
        }
        return false;
    }
}

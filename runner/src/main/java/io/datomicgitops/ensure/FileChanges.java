package io.datomicgitops.ensure;

import io.datomicgitops.config.PropertiesFile;
import io.datomicgitops.config.Secrets;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What {@code bin/datomic} did to a file, checked against what an ensure command may do: add values for the keys
 * it generates, nothing else. A removed key, a changed value or any other new key is a violation.
 */
record FileChanges(Map<String, String> added, List<String> violations) {

    static FileChanges between(PropertiesFile before, PropertiesFile after, Set<String> generated) {
        Map<String, String> b = before.asMap();
        Map<String, String> a = after.asMap();
        Map<String, String> added = new LinkedHashMap<>();
        List<String> violations = new ArrayList<>();
        for (Map.Entry<String, String> e : b.entrySet()) {
            String key = e.getKey();
            if (!a.containsKey(key)) {
                violations.add("removed " + key);
                continue;
            }
            String was = e.getValue().trim();
            String now = a.get(key).trim();
            if (!was.isEmpty() && !was.equals(now)) {
                violations.add("changed " + key + " from '" + Secrets.display(key, was) + "' to '" + Secrets.display(key, now) + "'");
            } else if (was.isEmpty() && !now.isEmpty()) {
                if (generated.contains(key)) added.put(key, now);
                else violations.add("set " + key + ", which is not a key it generates");
            }
        }
        for (Map.Entry<String, String> e : a.entrySet()) {
            String key = e.getKey();
            if (b.containsKey(key)) continue;
            if (generated.contains(key)) added.put(key, e.getValue().trim());
            else violations.add("added " + key + ", which is not a key it generates");
        }
        return new FileChanges(added, violations);
    }
}

package io.datomicgitops.ensure;

import io.datomicgitops.config.PropertiesFile;
import io.datomicgitops.config.Secrets;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The steps of one ensure phase, computed read-only, in the order apply runs them. */
final class Plan {
    final String phase;
    final PropertiesFile file;
    final List<Step> steps = new ArrayList<>();
    final List<String> warnings = new ArrayList<>();

    Plan(String phase, PropertiesFile file) {
        this.phase = phase;
        this.file = file;
    }

    Step add(Step step) {
        steps.add(step);
        return step;
    }

    List<ResourceChange> changes() {
        return steps.stream().filter(s -> s.change != null).map(s -> s.change).toList();
    }

    /** Keys the steps would set that differ from the file now, with display values. */
    Map<String, String> keysToWrite() {
        Map<String, String> out = new LinkedHashMap<>();
        for (Step s : steps) {
            s.keys.forEach((k, v) -> {
                if (!Optional.of(v).equals(file.raw(k))) out.put(k, Secrets.display(k, v));
            });
        }
        return out;
    }

    EnsureResult result(String engine, boolean planOnly, Map<String, String> keysWritten, List<String> output) {
        return new EnsureResult(phase, file.name(), engine, planOnly, changes(), keysWritten, warnings, output);
    }
}

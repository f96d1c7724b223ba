package io.datomicgitops.deploy;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.datomicgitops.config.PropertiesFile;
import io.datomicgitops.config.Secrets;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One setting a deployment changes, from the properties an approver edits (not the template's JSON): the file, the key,
 * its value where the stack was last deployed and its value after the deployment (secrets masked, placeholders shown
 * as written). Null is "not set".
 */
@JsonPropertyOrder({"file", "key", "before", "after"})
public record SettingChange(String file, String key, String before, String after) {

    /**
     * The settings that differ between the files as last deployed and the files as the deployment leaves them (the keys
     * the ensure phases write included), file by file in the order given, keys in the order the files define them.
     */
    static List<SettingChange> between(Map<String, Optional<PropertiesFile>> before, Map<String, PropertiesFile> after) {
        List<SettingChange> out = new ArrayList<>();
        after.forEach((name, now) -> {
            Optional<PropertiesFile> was = before.getOrDefault(name, Optional.empty());
            Set<String> keys = new LinkedHashSet<>(was.map(PropertiesFile::keys).orElse(List.of()));
            keys.addAll(now.keys());
            for (String key : keys) {
                String from = was.flatMap(f -> f.get(key)).orElse(null);
                String to = now.get(key).orElse(null);
                if (!Objects.equals(from, to)) out.add(new SettingChange(name, key, Secrets.display(key, from), Secrets.display(key, to)));
            }
        });
        return List.copyOf(out);
    }
}

package io.datomicgitops.ensure;

import io.datomicgitops.config.PropertiesFile;

import java.util.Map;

/**
 * Persists generated names the moment they are set in the file: the ensure phase calls it right after it set one
 * or more keys, before it creates the next resource. The CLI's listener writes the output file atomically; the
 * GitOps flow's listener writes, commits and pushes it. An exception from the listener stops the phase (resources
 * created so far carry tags, so the next run recovers their names).
 */
@FunctionalInterface
public interface KeyListener {
    /**
     * @param file the edited file (its {@link PropertiesFile#toBytes()} are what to persist)
     * @param keys the keys just set, in order, with their values (never secrets: ensure writes only names and sizes)
     */
    void written(PropertiesFile file, Map<String, String> keys);

    KeyListener NONE = (file, keys) -> { };
}

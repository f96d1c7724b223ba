package io.datomicgitops.ensure;

import io.datomicgitops.config.PropertiesFile;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The ensure tests' own sample files (shaped like Datomic's samples) and ways to read results. */
final class Fixtures {
    private Fixtures() {}

    static String text(String name) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/ensure/" + name)) {
            if (in == null) throw new IllegalStateException("no test resource /ensure/" + name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The sample with literal replacements ("from", "to", ...). */
    static String text(String name, String... replacements) {
        String t = text(name);
        for (int i = 0; i < replacements.length; i += 2) {
            if (!t.contains(replacements[i])) throw new IllegalArgumentException(name + " has no '" + replacements[i] + "'");
            t = t.replace(replacements[i], replacements[i + 1]);
        }
        return t;
    }

    static PropertiesFile file(String name, String... replacements) {
        return PropertiesFile.parse(name, text(name, replacements));
    }

    /** The mutating calls a plan lists, counted like the ApiCallCounter counts them. */
    static Map<String, Long> plannedCalls(EnsureResult r) {
        Map<String, Long> out = new TreeMap<>();
        r.resources().forEach(c -> c.calls().forEach(call -> out.merge(call, 1L, Long::sum)));
        return out;
    }

    /** "action kind name" per resource, for readable assertions. */
    static List<String> lines(EnsureResult r) {
        return r.resources().stream().map(c -> (c.action().label() + " " + c.kind().label() + " " + c.name())
                .replaceAll("datomic-logs-[0-9a-f-]{36}", "datomic-logs-*")).toList();
    }
}

package io.datomicgitops.ensure;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * The tags every resource an ensure phase creates carries: which tool made it, for which system (stack), and for
 * which properties key. A lost key is recovered by finding the resource tagged with its system and key.
 */
public final class Tags {
    static final String TOOL = "datomic-gitops:tool";
    static final String TOOL_VALUE = "datomic-gitops";
    static final String SYSTEM = "datomic-gitops:system";
    static final String KEY = "datomic-gitops:key";

    private Tags() {}

    public static Map<String, String> of(String system, String key) {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put(TOOL, TOOL_VALUE);
        tags.put(SYSTEM, system);
        tags.put(KEY, key);
        return tags;
    }

    static boolean matches(Map<String, String> tags, String system, String key) {
        return TOOL_VALUE.equals(tags.get(TOOL)) && system.equals(tags.get(SYSTEM)) && key.equals(tags.get(KEY));
    }

    static String describe(Map<String, String> tags) {
        return "system " + tags.get(SYSTEM) + ", key " + tags.get(KEY);
    }

    /** The tags as the SDK type of one service (each service has its own Tag class). */
    static <T> List<T> as(String system, String key, BiFunction<String, String, T> tag) {
        return of(system, key).entrySet().stream().map(e -> tag.apply(e.getKey(), e.getValue())).toList();
    }

    static <T> Map<String, String> toMap(Collection<T> tags, java.util.function.Function<T, String> k,
                                         java.util.function.Function<T, String> v) {
        Map<String, String> m = new LinkedHashMap<>();
        for (T t : tags) m.put(k.apply(t), v.apply(t));
        return m;
    }
}

package io.datomicgitops.release;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A Datomic release number as cf.properties' {@code datomic-version} writes it (1.0.7277, 0.9.5561.62), ordered the
 * way Datomic numbers its releases: component by component, a bugfix release (four components) after its
 * three-component parent. A suffix (-rc1) is kept in the text and ignored in the order.
 */
public record DatomicVersion(String text, List<Integer> parts) implements Comparable<DatomicVersion> {

    /** The version, when the text is one (a placeholder or "latest" is not). */
    public static Optional<DatomicVersion> parse(String text) {
        if (text == null) return Optional.empty();
        String t = text.trim();
        String numbers = t.contains("-") ? t.substring(0, t.indexOf('-')) : t;
        if (!numbers.matches("\\d+(\\.\\d+)+")) return Optional.empty();
        List<Integer> parts = new ArrayList<>();
        for (String p : numbers.split("\\.")) parts.add(Integer.parseInt(p));
        return Optional.of(new DatomicVersion(t, List.copyOf(parts)));
    }

    public static DatomicVersion of(String text) {
        return parse(text).orElseThrow(() -> new IllegalArgumentException("not a Datomic version: " + text));
    }

    @Override
    public int compareTo(DatomicVersion o) {
        for (int i = 0; i < Math.max(parts.size(), o.parts.size()); i++) {
            int a = i < parts.size() ? parts.get(i) : -1; // 0.8.4020 < 0.8.4020.24
            int b = i < o.parts.size() ? o.parts.get(i) : -1;
            if (a != b) return Integer.compare(a, b);
        }
        return 0;
    }

    public boolean isBefore(DatomicVersion o) {
        return compareTo(o) < 0;
    }

    @Override
    public String toString() {
        return text;
    }
}

package io.datomicgitops.deploy;

import io.datomicgitops.config.PropertiesFile;
import io.datomicgitops.ensure.InstanceMemory;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * How a transactor's memory is spent, as plan.md draws it: the heap (java-xmx) inside the instance's memory, and the
 * object cache and memory index inside the heap. Datomic keeps both in the heap, so together they must leave the
 * transactor room to work; a reviewer sees at a glance whether a change still fits.
 *
 * @param objectCacheMib empty when not set: Datomic then takes half the heap
 */
record MemoryBudget(String instanceType, OptionalInt instanceMib, int heapMib, OptionalInt objectCacheMib, OptionalInt memoryIndexMib) {
    private static final int WIDTH = 40;

    /** The budget of the files as a deployment leaves them; empty when the heap or the instance type is not known. */
    static Optional<MemoryBudget> of(PropertiesFile tx, PropertiesFile cf) {
        OptionalInt heap = mib(cf.get("java-xmx"));
        Optional<String> type = cf.get("aws-instance-type");
        if (heap.isEmpty() || type.isEmpty()) return Optional.empty();
        return Optional.of(new MemoryBudget(type.get(), InstanceMemory.fromTable(type.get()), heap.getAsInt(),
                mib(tx.get("object-cache-max")), mib(tx.get("memory-index-max"))));
    }

    /** A size as Datomic's files write it (5734m, 1g, 512k, or bytes) in MiB; empty when absent or not a size. */
    static OptionalInt mib(Optional<String> value) {
        if (value.isEmpty()) return OptionalInt.empty();
        String v = value.get().trim().toLowerCase(Locale.ROOT);
        if (!v.matches("\\d+[kmg]?")) return OptionalInt.empty();
        long n = Long.parseLong(v.replaceAll("[kmg]$", ""));
        long mib = switch (v.charAt(v.length() - 1)) {
            case 'g' -> n * 1024;
            case 'm' -> n;
            case 'k' -> n / 1024;
            default -> n / (1024 * 1024);
        };
        return OptionalInt.of((int) Math.min(Integer.MAX_VALUE, mib));
    }

    /** The lines of the picture, each a bar scaled to the instance's memory (or to the heap when the type is unknown). */
    List<String> lines() {
        int whole = instanceMib.orElse(heapMib);
        List<String> out = new ArrayList<>();
        instanceMib.ifPresent(m -> out.add(line("instance " + instanceType, m, whole, "")));
        out.add(line("heap (java-xmx)", heapMib, whole, instanceMib.isPresent() ? percent(heapMib, instanceMib.getAsInt()) + " of the instance" : ""));
        int cache = objectCacheMib.orElse(heapMib / 2);
        out.add(line("object cache", cache, whole, percent(cache, heapMib) + " of the heap" + (objectCacheMib.isEmpty() ? " (Datomic's default: half)" : "")));
        memoryIndexMib.ifPresent(m -> out.add(line("memory index max", m, whole, percent(m, heapMib) + " of the heap")));
        int left = heapMib - cache - memoryIndexMib.orElse(0);
        out.add(line("heap left to work", Math.max(0, left), whole, left < heapMib / 4 ? "too little: under a quarter of the heap" : ""));
        return out;
    }

    private static String line(String label, int mib, int whole, String note) {
        int filled = whole <= 0 ? 0 : (int) Math.round((double) Math.min(mib, whole) * WIDTH / whole);
        return String.format(Locale.ROOT, "%-18s %7d MiB  %s%s%s", label, mib, "█".repeat(filled), "░".repeat(WIDTH - filled),
                note.isEmpty() ? "" : "  " + note).stripTrailing();
    }

    private static String percent(int part, int whole) {
        return whole <= 0 ? "?" : Math.round(100.0 * part / whole) + "%";
    }
}

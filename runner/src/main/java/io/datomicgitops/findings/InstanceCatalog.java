package io.datomicgitops.findings;

import io.datomicgitops.ensure.InstanceMemory;

import io.datomicgitops.template.AmiCatalog;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;

/**
 * What the runner knows about instance types without asking AWS: Datomic's instance map ({@code instance-arch.edn},
 * through {@link AmiCatalog}), the regions Datomic publishes AMIs for, and the memory of current EC2 types (the table
 * ensure-cf falls back on, {@code ensure/instance-memory.properties}, from EC2's DescribeInstanceTypes). Loaded once.
 */
final class InstanceCatalog {

    private static final class Holder {
        static final InstanceCatalog BUNDLED = load();
    }

    private final Map<String, Integer> memoryMib;
    private final Set<String> datomicTypes;
    private final Set<String> datomicRegions;

    private InstanceCatalog(Map<String, Integer> memoryMib, Set<String> datomicTypes, Set<String> datomicRegions) {
        this.memoryMib = memoryMib;
        this.datomicTypes = datomicTypes;
        this.datomicRegions = datomicRegions;
    }

    static InstanceCatalog bundled() {
        return Holder.BUNDLED;
    }

    private static InstanceCatalog load() {
        AmiCatalog datomic = AmiCatalog.bundled();
        return new InstanceCatalog(InstanceMemory.tableTypes(), Set.copyOf(datomic.instanceArch().keySet()),
                Set.copyOf(datomic.regionArchAmi().keySet()));
    }

    /** Memory in MiB from the runner's table, or empty for a type it does not know. */
    OptionalInt memoryMib(String type) {
        Integer m = memoryMib.get(type);
        return m == null ? OptionalInt.empty() : OptionalInt.of(m);
    }

    boolean datomicLists(String type) {
        return datomicTypes.contains(type);
    }

    boolean datomicPublishesAmiFor(String region) {
        return datomicRegions.contains(region);
    }

    int tableSize() {
        return memoryMib.size();
    }

    /** The table's types of the same family ("m5" of "m5.huge"), smallest memory first. */
    List<String> family(String type) {
        int dot = type.indexOf('.');
        if (dot <= 0) return List.of();
        String prefix = type.substring(0, dot + 1);
        return memoryMib.keySet().stream().filter(t -> t.startsWith(prefix))
                .sorted(Comparator.<String>comparingInt(memoryMib::get).thenComparing(Comparator.naturalOrder()))
                .toList();
    }
}

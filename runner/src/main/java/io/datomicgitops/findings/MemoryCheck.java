package io.datomicgitops.findings;

import io.datomicgitops.ensure.InstanceMemory;

import io.datomicgitops.config.PropertiesFile;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

import static io.datomicgitops.findings.FindingCodes.CACHE_ABOVE_HEAP;
import static io.datomicgitops.findings.FindingCodes.HEAP_ABOVE_INSTANCE_MEMORY;
import static io.datomicgitops.findings.FindingCodes.LITTLE_HEAP_HEADROOM;

/**
 * The transactor's memory, three sizes that must nest: the instance's memory holds the heap ({@code java-xmx}, with
 * room for the JVM's own memory and the system), and the heap holds the object cache and the memory index
 * ({@code object-cache-max} + {@code memory-index-max}) with plenty of headroom (Datomic's capacity guide:
 * https://docs.datomic.com/operation/capacity.html). A blank java-xmx is the value ensure-cf will write: 70% of the
 * instance's memory, Datomic's way.
 */
final class MemoryCheck {
    private MemoryCheck() {}

    /** Above this share of the instance's memory the heap leaves too little for the JVM's off-heap memory and the system. */
    static final int MAX_HEAP_PERCENT = 90;
    /** Above this share of the heap, cache + index leave the transactor little headroom (Datomic's samples use ~37%). */
    static final int HEADROOM_WARNING_PERCENT = 75;

    /** The heap: its size and how the message names it. */
    private record Heap(long bytes, String described) {}

    static void check(StackFiles files, List<Finding> out) {
        if (files.cf().isEmpty()) return;
        PropertiesFile cf = files.cf().get();
        Optional<String> type = files.instanceType();
        OptionalInt instanceMib = type.map(t -> InstanceCatalog.bundled().memoryMib(t)).orElse(OptionalInt.empty());

        Heap heap = null;
        Optional<String> xmx = cf.get("java-xmx");
        if (xmx.isPresent()) {
            OptionalLong bytes = Sizes.heap(xmx.get());
            if (bytes.isEmpty()) return; // not a heap size: config/Validator reports it
            heap = new Heap(bytes.getAsLong(), "java-xmx=" + xmx.get() + " (" + Sizes.mib(bytes.getAsLong()) + ") at "
                    + cf.where("java-xmx"));
            if (instanceMib.isPresent()) {
                long ram = Sizes.mibToBytes(instanceMib.getAsInt());
                if (bytes.getAsLong() * 100 > ram * MAX_HEAP_PERCENT) {
                    out.add(Finding.error(HEAP_ABOVE_INSTANCE_MEMORY, "java-xmx=" + xmx.get() + " (" + Sizes.mib(bytes.getAsLong())
                            + ") is " + Sizes.percent(bytes.getAsLong(), ram) + "% of the memory of " + type.get() + " ("
                            + instanceMib.getAsInt() + " MiB), above " + MAX_HEAP_PERCENT + "%: the JVM needs memory beyond its "
                            + "heap and so does the system; set java-xmx=" + InstanceMemory.defaultXmx(type.get()).orElseThrow()
                            + " (Datomic's default, 70%), or choose an instance type with more memory", cf.where("java-xmx")));
                }
            }
        } else if (instanceMib.isPresent()) {
            String derived = InstanceMemory.defaultXmx(type.get()).orElseThrow();
            long bytes = Sizes.heap(derived).orElseThrow();
            heap = new Heap(bytes, "the heap ensure-cf will give " + type.get() + ", java-xmx=" + derived + " (70% of "
                    + instanceMib.getAsInt() + " MiB: java-xmx is not set in " + cf.where("java-xmx") + ")");
        }
        if (heap != null) {
            Heap h = heap;
            files.tx().ifPresent(tx -> cacheAndIndex(tx, h, out));
        }
    }

    private static void cacheAndIndex(PropertiesFile tx, Heap heap, List<Finding> out) {
        long heapBytes = heap.bytes();
        List<String> parts = new ArrayList<>();
        long sum = 0;
        String at = null;
        for (String key : List.of("object-cache-max", "memory-index-max")) {
            Optional<String> v = tx.get(key);
            if (v.isEmpty()) continue;
            OptionalLong bytes = Sizes.bytes(v.get());
            if (bytes.isEmpty()) return; // not a size: config/Validator reports it
            parts.add(key + "=" + v.get() + " (" + Sizes.mib(bytes.getAsLong()) + ")");
            sum += bytes.getAsLong();
            if (at == null) at = tx.where(key);
        }
        if (parts.isEmpty()) return;
        String what = String.join(" + ", parts) + (parts.size() > 1 ? " = " + Sizes.mib(sum) : "");
        if (sum >= heapBytes) {
            out.add(Finding.error(CACHE_ABOVE_HEAP, what + " does not fit in the heap, " + heap.described() + ": Datomic's "
                    + "transactor keeps the object cache and the memory index in its heap, with plenty of headroom "
                    + "(docs.datomic.com/operation/capacity.html); lower them (Datomic's production sample: "
                    + "object-cache-max=1g, memory-index-max=512m for a 4g heap) or give the transactor a larger heap", at));
        } else if (sum * 100 > heapBytes * HEADROOM_WARNING_PERCENT) {
            out.add(Finding.warning(LITTLE_HEAP_HEADROOM, what + " is " + Sizes.percent(sum, heapBytes) + "% of the heap, "
                    + heap.described() + ": above " + HEADROOM_WARNING_PERCENT + "%, little headroom is left for transactions "
                    + "and indexing (Datomic's capacity guide asks for plenty; its production sample uses 1.5g of a 4g heap); "
                    + "lower them or give the transactor a larger heap", at));
        }
    }

}

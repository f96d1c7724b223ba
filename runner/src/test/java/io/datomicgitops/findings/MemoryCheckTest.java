package io.datomicgitops.findings;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MemoryCheckTest {

    @Test
    void aHeapAbove90PercentOfTheInstancesMemoryIsAnError() {
        assertThat(StackFixture.clean().cf("java-xmx", "java-xmx=16g").lines()).containsExactly(
                "error heap-above-instance-memory: cf.properties:5: java-xmx=16g (16384 MiB) is 200% of the memory of m4.large "
                        + "(8192 MiB), above 90%: the JVM needs memory beyond its heap and so does the system; set "
                        + "java-xmx=5734m (Datomic's default, 70%), or choose an instance type with more memory");
        assertThat(StackFixture.clean().cf("java-xmx", "java-xmx=7373m").lines()).as("90% of 8192 MiB is 7372.8").hasSize(1);
        assertThat(StackFixture.clean().cf("java-xmx", "java-xmx=7372m").lines()).isEmpty();
    }

    @Test
    void objectCacheAndMemoryIndexAboveTheHeapIsAnErrorWithTheNumbers() {
        assertThat(StackFixture.clean().cf("java-xmx", "java-xmx=1g").lines()).containsExactly(
                "error cache-above-heap: transactor.properties:9: object-cache-max=1g (1024 MiB) + memory-index-max=512m "
                        + "(512 MiB) = 1536 MiB does not fit in the heap, java-xmx=1g (1024 MiB) at cf.properties:5: Datomic's "
                        + "transactor keeps the object cache and the memory index in its heap, with plenty of headroom "
                        + "(docs.datomic.com/operation/capacity.html); lower them (Datomic's production sample: "
                        + "object-cache-max=1g, memory-index-max=512m for a 4g heap) or give the transactor a larger heap");
    }

    @Test
    void littleHeadroomIsAWarning() {
        assertThat(StackFixture.clean().cf("java-xmx", "java-xmx=1900m").lines()).containsExactly(
                "warning little-heap-headroom: transactor.properties:9: object-cache-max=1g (1024 MiB) + memory-index-max=512m "
                        + "(512 MiB) = 1536 MiB is 80% of the heap, java-xmx=1900m (1900 MiB) at cf.properties:5: above 75%, "
                        + "little headroom is left for transactions and indexing (Datomic's capacity guide asks for plenty; its "
                        + "production sample uses 1.5g of a 4g heap); lower them or give the transactor a larger heap");
    }

    @Test
    void aBlankHeapIsTheOneEnsureCfWillWrite() {
        StackFixture s = StackFixture.clean().cf("java-xmx", "java-xmx=").cf("aws-instance-type", "aws-instance-type=c3.large")
                .tx("object-cache-max", "object-cache-max=3g");
        assertThat(s.lines()).containsExactly(
                "error cache-above-heap: transactor.properties:9: object-cache-max=3g (3072 MiB) + memory-index-max=512m "
                        + "(512 MiB) = 3584 MiB does not fit in the heap, the heap ensure-cf will give c3.large, java-xmx=2625m "
                        + "(70% of 3840 MiB: java-xmx is not set in cf.properties:5): Datomic's transactor keeps the object "
                        + "cache and the memory index in its heap, with plenty of headroom "
                        + "(docs.datomic.com/operation/capacity.html); lower them (Datomic's production sample: "
                        + "object-cache-max=1g, memory-index-max=512m for a 4g heap) or give the transactor a larger heap");
    }

    @Test
    void sizesInBytesKilobytesAndOneSettingAlone() {
        StackFixture s = StackFixture.clean().tx("memory-index-max", null).tx("object-cache-max", "object-cache-max=5368709120");
        assertThat(s.lines()).singleElement().asString()
                .startsWith("error cache-above-heap: transactor.properties:8: object-cache-max=5368709120 (5120 MiB) does not "
                        + "fit in the heap, java-xmx=4g (4096 MiB)");
        assertThat(Sizes.bytes("512k")).hasValue(512 * 1024);
        assertThat(Sizes.heap("5734m")).hasValue(5734L * 1024 * 1024);
        assertThat(Sizes.heap("8G")).hasValue(8L << 30);
        assertThat(Sizes.heap("8gb")).isEmpty();
    }

    @Test
    void valuesThatAreNotSizesAreLeftToTheSchemaCheck() {
        assertThat(StackFixture.clean().cf("java-xmx", "java-xmx=lots").check()).extracting(Finding::code)
                .containsExactly("invalid-value");
        assertThat(StackFixture.clean().tx("object-cache-max", "object-cache-max=1.5g").check()).extracting(Finding::code)
                .containsExactly("invalid-value");
    }
}

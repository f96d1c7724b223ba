package io.datomicgitops.ensure;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class InstanceMemoryTest {

    @Test
    void xmxIsDatomicsOwnValueForTheTypesItLists() {
        // Datomic's table mixes GB and GiB: only its bytes give its values
        assertThat(InstanceMemory.datomicXmx("c3.large")).hasValue("2625m");
        assertThat(InstanceMemory.datomicXmx("m3.large")).hasValue("5250m");
        assertThat(InstanceMemory.datomicXmx("m4.large")).hasValue("5734m");
        assertThat(InstanceMemory.datomicXmx("c3.2xlarge")).hasValue("10752m");
        assertThat(InstanceMemory.datomicXmx("t2.xlarge")).hasValue("11468m");
        assertThat(InstanceMemory.datomicXmx("m5.large")).as("a type Datomic does not list").isEmpty();
    }

    @Test
    void theTableKnowsCurrentTypesThatDatomicsDidNot() {
        assertThat(InstanceMemory.fromTable("m5.large")).hasValue(8192);
        assertThat(InstanceMemory.fromTable("t3.micro")).hasValue(1024);
        assertThat(InstanceMemory.fromTable("r7g.xlarge")).hasValue(32768);
        assertThat(InstanceMemory.xmx(8192)).as("Datomic's rule on EC2's 8192 MiB").isEqualTo("5734m");
        assertThat(InstanceMemory.fromTable("zz9.huge")).isEmpty();
    }
}

package io.datomicgitops.ensure;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class InstanceMemoryTest {

    @Test
    void xmxFollowsDatomicsRuleForTheTypesItKnew() {
        assertThat(InstanceMemory.xmx(InstanceMemory.fromTable("c3.large").getAsInt())).isEqualTo("2625m");
        assertThat(InstanceMemory.xmx(InstanceMemory.fromTable("m3.large").getAsInt())).isEqualTo("5250m");
    }

    @Test
    void theTableKnowsCurrentTypesThatDatomicsDidNot() {
        assertThat(InstanceMemory.fromTable("m5.large")).hasValue(8192);
        assertThat(InstanceMemory.fromTable("t3.micro")).hasValue(1024);
        assertThat(InstanceMemory.fromTable("r7g.xlarge")).hasValue(32768);
        assertThat(InstanceMemory.xmx(8192)).isEqualTo("5600m");
        assertThat(InstanceMemory.fromTable("zz9.huge")).isEmpty();
    }
}

package io.datomicgitops.instances;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LaunchSourceTest {
    private final LaunchSource group = LaunchSource.template("lt-0abc", "7");

    @Test
    void anInstanceOnTheGroupsTemplateAndVersionIsCurrent() {
        assertThat(group.whyOld(LaunchSource.template("lt-0abc", "7"))).isEmpty();
    }

    @Test
    void anOlderVersionAnotherTemplateOrAnUnknownVersionIsOld() {
        assertThat(group.whyOld(LaunchSource.template("lt-0abc", "6"))).contains(
                "launched from launch template lt-0abc version 6; the group uses launch template lt-0abc version 7");
        assertThat(group.whyOld(LaunchSource.template("lt-0def", "7"))).get().asString().startsWith("launched from launch template lt-0def");
        assertThat(group.whyOld(LaunchSource.template("lt-0abc", "$Latest"))).get().asString()
                .startsWith("its launch template version is unknown ($Latest)");
        assertThat(group.whyOld(LaunchSource.configuration("prod-LaunchConfig-1"))).get().asString()
                .startsWith("not launched from a launch template");
    }

    @Test
    void launchConfigurationsCompareByName() {
        LaunchSource lc = LaunchSource.configuration("prod-LaunchConfig-NEW");
        assertThat(lc.whyOld(LaunchSource.configuration("prod-LaunchConfig-NEW"))).isEmpty();
        assertThat(lc.whyOld(LaunchSource.configuration("prod-LaunchConfig-OLD"))).isPresent();
        assertThat(lc.whyOld(LaunchSource.template("lt-0abc", "1"))).isPresent();
        assertThat(LaunchSource.none().whyOld(lc)).isPresent();
    }
}

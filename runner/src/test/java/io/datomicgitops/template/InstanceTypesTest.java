package io.datomicgitops.template;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class InstanceTypesTest {

    @ParameterizedTest
    @CsvSource({
            "m5.large, false", "c6i.xlarge, false", "r7iz.2xlarge, false", "m7i-flex.large, false", "m7a.medium, false",
            "g4dn.xlarge, false", "i3en.large, false", "x2iedn.xlarge, false", "c3.large, false", "t3.micro, false",
            "mac1.metal, false",
            "m6g.large, true", "m7gd.xlarge, true", "c7gn.large, true", "t4g.small, true", "r8g.large, true",
            "im4gn.large, true", "is4gen.large, true", "g5g.xlarge, true", "a1.large, true", "x2gd.medium, true",
            "mac2.metal, true", "mac2-m2pro.metal, true"})
    void tellsArm64TypesFromX86(String type, boolean arm64) {
        assertThat(InstanceTypes.isWellFormed(type)).isTrue();
        assertThat(InstanceTypes.isArm64(type)).isEqualTo(arm64);
    }

    @ParameterizedTest
    @CsvSource({"large", "M5.LARGE", "m5", "m5.", ".large", "m5 large"})
    void refusesWhatIsNotAnInstanceType(String type) {
        assertThat(InstanceTypes.isWellFormed(type)).isFalse();
    }

    @Test
    void everyTypeEnsureCfKnowsIsOneTheTemplateTakes() {
        // ensure-cf derives java-xmx from these; the template must not refuse what ensure-cf accepted
        assertThat(io.datomicgitops.ensure.InstanceMemory.tableTypes().keySet()).allMatch(InstanceTypes::isWellFormed);
        assertThat(InstanceTypes.isWellFormed("u-6tb1.112xlarge")).isTrue();
        assertThat(InstanceTypes.isArm64("u-6tb1.112xlarge")).isFalse();
    }
}

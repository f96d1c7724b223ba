package io.datomicgitops.template;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.io.InputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Our copies of Datomic's maps are exactly what com.datomic:peer publishes (a new Datomic release shows up here). */
class AmiCatalogTest {

    @ParameterizedTest
    @CsvSource({"region-arch-ami.edn", "instance-arch.edn"})
    void ourCopyIsByteForByteTheOneInsideTheDatomicPeerJar(String file) throws IOException {
        byte[] published = fromPeerJar("datomic/aws/" + file);
        byte[] ours;
        try (InputStream in = AmiCatalog.class.getResourceAsStream(file)) {
            assertThat(in).as("our copy of " + file).isNotNull();
            ours = in.readAllBytes();
        }
        assertThat(ours).as(file + ": copy it again from com.datomic:peer:${datomic-peer.version}").isEqualTo(published);
    }

    @Test
    void theJarsMapsParseToWhatTheTemplateUses() throws IOException {
        AmiCatalog fromJar = AmiCatalog.parse(new String(fromPeerJar("datomic/aws/region-arch-ami.edn")), "jar region map",
                new String(fromPeerJar("datomic/aws/instance-arch.edn")), "jar instance map");
        AmiCatalog bundled = AmiCatalog.bundled();
        assertThat(bundled.regionArchAmi()).isEqualTo(fromJar.regionArchAmi());
        assertThat(bundled.instanceArch()).isEqualTo(fromJar.instanceArch());

        assertThat(bundled.regionArchAmi()).containsKeys("us-east-1", "eu-west-1", "ap-northeast-3").hasSize(17);
        assertThat(bundled.regionArchAmi().values()).allSatisfy(byArch -> assertThat(byArch).containsOnlyKeys("64h"));
        assertThat(bundled.regionArchAmi().get("us-east-1")).containsEntry("64h", "ami-08170de87c7863313");
        // commented-out paravirtual types are not in the map
        assertThat(bundled.instanceArch()).containsEntry("m4.large", "64h").containsEntry("cc2.8xlarge", "64h")
                .doesNotContainKeys("t1.micro", "m1.small", "g2.2xlarge");
        assertThat(bundled.instanceArch().values()).containsOnly("64h");
        assertThat(bundled.regionArchAmi().firstKey()).isEqualTo("ap-northeast-1"); // sorted
    }

    @Test
    void anUnexpectedShapeIsRefusedWithItsLine() {
        assertThatThrownBy(() -> EdnMaps.parse("{\n:us-east-1 [\"ami-1\"]\n}", "x.edn"))
                .hasMessage("x.edn:2: expected a string or a map");
        assertThatThrownBy(() -> EdnMaps.parse("{\"a\" \"b\"\n\"a\" \"c\"}", "y.edn")).hasMessage("y.edn:2: duplicate key a");
        assertThatThrownBy(() -> EdnMaps.parse("{\"a\" \"b\"", "z.edn")).hasMessage("z.edn:1: unexpected end of file");
    }

    private static byte[] fromPeerJar(String path) throws IOException {
        try (InputStream in = ClassLoader.getSystemClassLoader().getResourceAsStream(path)) {
            assertThat(in).as(path + " in com.datomic:peer (test dependency)").isNotNull();
            return in.readAllBytes();
        }
    }
}

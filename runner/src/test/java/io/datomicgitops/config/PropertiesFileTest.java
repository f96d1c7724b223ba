package io.datomicgitops.config;

import io.datomicgitops.ToolException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PropertiesFileTest {

    static Stream<String> corpus() throws IOException {
        try (Stream<Path> files = Files.list(corpusDir())) {
            return files.map(p -> p.getFileName().toString()).sorted().toList().stream();
        }
    }

    static Path corpusDir() {
        return Path.of("src/test/resources/properties-corpus");
    }

    static byte[] bytes(String name) throws IOException {
        return Files.readAllBytes(corpusDir().resolve(name));
    }

    @ParameterizedTest
    @MethodSource("corpus")
    void everyCorpusFileRoundTripsByteForByte(String name) throws IOException {
        byte[] original = bytes(name);
        assertThat(PropertiesFile.parse(name, original).toBytes()).isEqualTo(original);
    }

    /** java.util.Properties is the reference reader: our values must be the same, key for key. */
    @ParameterizedTest
    @MethodSource("corpus")
    void readsTheSameKeysAndValuesAsJavaProperties(String name) throws IOException {
        byte[] original = bytes(name);
        PropertiesFile file = PropertiesFile.parse(name, original);
        Properties reference = new Properties();
        boolean latin1 = name.startsWith("latin1");
        byte[] body = name.startsWith("bom") ? java.util.Arrays.copyOfRange(original, 3, original.length) : original;
        try (InputStream in = new ByteArrayInputStream(body)) {
            reference.load(new InputStreamReader(in, latin1 ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8));
        }
        Map<String, String> expected = new HashMap<>();
        reference.stringPropertyNames().forEach(k -> expected.put(k, reference.getProperty(k)));
        assertThat(file.asMap()).containsExactlyInAnyOrderEntriesOf(expected);
    }

    @Test
    void settingAnExistingKeyChangesOnlyItsValue() throws IOException {
        String original = new String(bytes("ddb-transactor.properties"), StandardCharsets.UTF_8);
        PropertiesFile file = PropertiesFile.parse("t", original);
        assertThat(file.set("aws-dynamodb-table", "acme-orders-2")).isTrue();
        assertThat(file.text()).isEqualTo(original.replace("aws-dynamodb-table=acme-orders\n", "aws-dynamodb-table=acme-orders-2\n"));
        assertThat(file.set("aws-dynamodb-table", "acme-orders-2")).as("same value: no change").isFalse();
    }

    @Test
    void aNewKeyGoesRightAfterItsCommentedTemplateLine() throws IOException {
        String original = new String(bytes("ddb-transactor.properties"), StandardCharsets.UTF_8);
        PropertiesFile file = PropertiesFile.parse("t", original);
        file.set("aws-transactor-role", "datomic-aws-transactor-3");
        file.set("aws-s3-log-bucket-id", "datomic-logs-1b2c");
        assertThat(file.text()).isEqualTo(original
                .replace("# aws-transactor-role=\n", "# aws-transactor-role=\naws-transactor-role=datomic-aws-transactor-3\n")
                .replace("# aws-s3-log-bucket-id=\n", "# aws-s3-log-bucket-id=\naws-s3-log-bucket-id=datomic-logs-1b2c\n"));
        PropertiesFile reread = PropertiesFile.parse("t", file.toBytes());
        assertThat(reread.get("aws-transactor-role")).contains("datomic-aws-transactor-3");
        List<String> lines = List.of(reread.text().split("\n", -1));
        assertThat(lines.get(reread.lineOf("aws-transactor-role") - 2)).isEqualTo("# aws-transactor-role=");
    }

    @Test
    void aKeyWithoutTemplateLineIsAppendedAtTheEnd() {
        PropertiesFile file = PropertiesFile.parse("t", "protocol=ddb\n# other comment\n");
        file.set("port", "4334");
        assertThat(file.text()).isEqualTo("protocol=ddb\n# other comment\nport=4334\n");
    }

    @Test
    void crlfFilesGetCrlfForNewAndChangedLines() throws IOException {
        PropertiesFile file = PropertiesFile.parse("crlf", bytes("crlf.properties"));
        file.set("aws-s3-log-bucket-id", "win-logs");
        file.set("port", "4335");
        file.set("memory-index-max", "256m");
        String text = file.text();
        assertThat(text).contains("# aws-s3-log-bucket-id=\r\naws-s3-log-bucket-id=win-logs\r\n")
                .contains("port=4335\r\n").endsWith("memory-index-max=256m\r\n");
        assertThat(text.replace("\r\n", "")).doesNotContain("\n");
    }

    @Test
    void aFileWithoutTrailingNewlineStillHasNoneAfterAnAppend() throws IOException {
        PropertiesFile file = PropertiesFile.parse("n", bytes("no-trailing-newline.properties"));
        file.set("aws-dynamodb-region", "us-east-1");
        assertThat(file.text()).isEqualTo("protocol=ddb\nport=4334\naws-dynamodb-table=no-newline-at-end\naws-dynamodb-region=us-east-1");
        file.set("aws-dynamodb-table", "t2");
        assertThat(file.text()).endsWith("aws-dynamodb-table=t2\naws-dynamodb-region=us-east-1");
    }

    @Test
    void settingAContinuedValueReplacesAllItsLinesAndKeepsTheKeyAndSeparator() throws IOException {
        PropertiesFile file = PropertiesFile.parse("c", bytes("continuations.properties"));
        assertThat(file.get("java-opts")).contains("-XX:+UseG1GC -XX:MaxGCPauseMillis=50 -Dfile.encoding=UTF-8");
        file.set("aws-ingress-cidrs", "10.9.0.0/16");
        assertThat(file.text()).contains("aws-ingress-cidrs = 10.9.0.0/16\n# a comment ending");
        assertThat(PropertiesFile.parse("c", file.toBytes()).get("oddkey")).contains("joined key");
    }

    @Test
    void separatorsAndEscapesAreKeptWhenAValueChanges() throws IOException {
        PropertiesFile file = PropertiesFile.parse("e", bytes("escapes-and-separators.properties"));
        file.set("key-with-colon", "new");
        file.set("key-with-tab", "new");
        file.set("escaped=key", "new");
        file.set("only-key", "now has a value");
        String text = file.text();
        assertThat(text).contains("key-with-colon: new\n", "key-with-tab\tnew\n", "escaped\\=key=new\n", "only-key=now has a value\n");
        PropertiesFile reread = PropertiesFile.parse("e", file.toBytes());
        assertThat(reread.get("only-key")).contains("now has a value");
        assertThat(reread.get("escaped=key")).contains("new");
    }

    @Test
    void latin1FilesStayLatin1() throws IOException {
        byte[] original = bytes("latin1.properties");
        PropertiesFile file = PropertiesFile.parse("l", original);
        assertThat(file.get("description")).contains("café crème");
        file.set("protocol", "dev");
        file.set("note", "naïve \u2603");
        byte[] out = file.toBytes();
        assertThat(new String(out, StandardCharsets.ISO_8859_1)).contains("caf\u00e9 cr\u00e8me").contains("note=na\u00efve \\u2603");
        assertThat(PropertiesFile.parse("l", out).get("note")).contains("naïve \u2603");
    }

    @Test
    void blankValuesCountAsAbsentButDeclared() throws IOException {
        PropertiesFile file = PropertiesFile.parse("cf", bytes("cf-template.properties"));
        assertThat(file.get("java-xmx")).isEmpty();
        assertThat(file.declares("java-xmx")).isTrue();
        assertThat(file.declares("java-opts")).as("a commented-out key is absent").isFalse();
        file.set("java-xmx", "5734m");
        assertThat(file.text()).contains("# Passed to java launcher via -Xmx\njava-xmx=5734m\n");
    }

    @Test
    void removeIsExplicitAndRemovesEveryDefinition() {
        PropertiesFile file = PropertiesFile.parse("d", "a=1\nb=2\na=3\n");
        assertThat(file.duplicates()).containsEntry("a", List.of(1, 3));
        assertThat(file.get("a")).contains("3");
        assertThat(file.remove("a")).isTrue();
        assertThat(file.text()).isEqualTo("b=2\n");
    }

    @Test
    void randomValuesSurviveSetAndReparse() {
        Random random = new Random(42);
        String alphabet = "ab =:#!\\\t\n\r\f\u00e9\u2603xyz {}$'\"`";
        for (int i = 0; i < 500; i++) {
            StringBuilder v = new StringBuilder();
            int n = random.nextInt(12);
            for (int j = 0; j < n; j++) v.append(alphabet.charAt(random.nextInt(alphabet.length())));
            PropertiesFile file = PropertiesFile.parse("r", "# header\nk=old\nz=last\n");
            file.set("k", v.toString());
            file.set("new key:" + i, v.toString());
            PropertiesFile reread = PropertiesFile.parse("r", file.toBytes());
            assertThat(reread.raw("k")).as("value %s", v).contains(v.toString());
            assertThat(reread.raw("new key:" + i)).contains(v.toString());
            assertThat(reread.get("z")).contains("last");
        }
    }

    @Test
    void writesAtomicallyAndKeepsTheModeOfTheFile(@TempDir Path dir) throws IOException {
        Path path = dir.resolve("transactor.properties");
        Files.writeString(path, "protocol=ddb\n");
        Files.setPosixFilePermissions(path, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r-----"));
        PropertiesFile file = PropertiesFile.read(path);
        file.set("port", "4334");
        file.write(path);
        assertThat(Files.readString(path)).isEqualTo("protocol=ddb\nport=4334\n");
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(path))).isEqualTo("rw-r-----");
        try (Stream<Path> left = Files.list(dir)) {
            assertThat(left).as("no temp file left behind").containsExactly(path);
        }
    }

    @Test
    void aMissingFileIsOneClearError(@TempDir Path dir) {
        assertThatThrownBy(() -> PropertiesFile.read(dir.resolve("nope.properties")))
                .isInstanceOf(ToolException.class)
                .hasMessageContaining("nope.properties: file not found");
    }
}

package io.datomicgitops.oracle;

import io.datomicgitops.config.PropertiesFile;
import io.datomicgitops.ensure.InstanceMemory;
import io.datomicgitops.findings.DatomicChecks;
import io.datomicgitops.template.PropertiesText;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The runner against Datomic's own code for the same inputs. Every type Datomic lists gets Datomic's java-xmx; every
 * type of the runner's EC2 table gets what Datomic's function gives for its memory; every file of a corpus of
 * properties files reads as Datomic's transactor reads it.
 */
class DatomicFidelityTest {
    private static final long MIB = 1024L * 1024;

    @TempDir
    Path tmp;

    @Test
    void javaXmxIsDatomicsForEveryTypeDatomicLists() {
        Datomic datomic = Datomic.get();
        Map<String, Long> types = datomic.instanceMemory();
        assertThat(types).as("Datomic's table, as the oracle reads it").hasSizeGreaterThanOrEqualTo(60);
        List<String> differ = new ArrayList<>();
        for (String type : types.keySet()) {
            String theirs = datomic.awsXmx(type);
            String ours = InstanceMemory.datomicXmx(type).orElse("(none)");
            if (!theirs.equals(ours)) differ.add(type + ": Datomic " + theirs + ", ours " + ours);
        }
        assertThat(differ).as("java-xmx that differs from Datomic's").isEmpty();
        assertThat(types.keySet()).allMatch(InstanceMemory::datomicKnows);
    }

    @Test
    void typesDatomicDoesNotListGetWhatDatomicsFunctionGivesForTheirMemory() throws IOException {
        Datomic datomic = Datomic.get();
        Properties ec2 = new Properties();
        try (InputStream in = InstanceMemory.class.getResourceAsStream("instance-memory.properties")) {
            ec2.load(in);
        }
        assertThat(ec2).hasSizeGreaterThan(1000);
        List<String> differ = new ArrayList<>();
        for (String type : new TreeMap<>(ec2).keySet().stream().map(String::valueOf).toList()) {
            int mib = InstanceMemory.fromTable(type).orElseThrow();
            long heap = (long) (0.7 * mib * MIB); // aws-transactor-settings' own step, on the type's memory
            if (heap < 256 * MIB) continue; // Datomic refuses to run a transactor on less (its assertion)
            String theirs = datomic.xmxForHeap(heap);
            String ours = InstanceMemory.xmx(mib);
            if (!theirs.equals(ours)) differ.add(type + " (" + mib + " MiB): Datomic " + theirs + ", ours " + ours);
        }
        assertThat(differ).as("java-xmx that differs from Datomic's rule").isEmpty();
    }

    @Test
    void haSupportPerProtocolIsDatomics() {
        Datomic datomic = Datomic.get();
        for (String protocol : List.of("ddb", "ddb-local", "dev", "free", "mem", "sql", "cass", "inf", "riak", "couchbase")) {
            assertThat(DatomicChecks.supportsHa(protocol)).as(protocol).isEqualTo(datomic.supportsHa(protocol));
        }
    }

    /** Files an operator may write: separators, escapes, continuation lines, unicode, CRLF, comments, blanks. */
    static final Map<String, String> CORPUS = Map.ofEntries(
            Map.entry("plain", "protocol=ddb\nhost=localhost\nport=4334\n"),
            Map.entry("colon-and-space-separators", "protocol: ddb\nhost localhost\nport =  4334\n"),
            Map.entry("comments", "# a comment\n! another\nprotocol=ddb\n  # indented comment\nport=4334\n"),
            Map.entry("continuation", "java-opts=-XX:+UseG1GC \\\n    -XX:MaxGCPauseMillis=50\nport=4334\n"),
            Map.entry("escapes", "path=C:\\\\datomic\\\\data\nkey\\ with\\ spaces=v\nequals\\=key=v2\ntab=a\\tb\n"),
            Map.entry("unicode-escape", "name=caf\\u00e9\n"),
            Map.entry("crlf", "protocol=ddb\r\nhost=localhost\r\nport=4334\r\n"),
            Map.entry("blank-values", "aws-transactor-role=\naws-peer-role=   \nport=4334\n"),
            Map.entry("duplicate-keys", "port=4334\nport=4335\n"),
            Map.entry("trailing-whitespace", "host=localhost   \nport=4334\t\n"),
            Map.entry("no-final-newline", "protocol=ddb\nport=4334"));

    /**
     * Each file of the corpus as Datomic's transactor loads it, against the runner's reading. Two differences are by
     * design and checked as such: a blank value is absent for the runner (as for Datomic's own tools), and the runner
     * trims a value's trailing white space, which Datomic's loader keeps. Neither reaches a transactor: the template
     * writes the values the runner read, and the last check loads those lines with Datomic's loader.
     */
    @Test
    void propertiesFilesReadAsDatomicsTransactorReadsThem() throws IOException {
        Datomic datomic = Datomic.get();
        List<String> differ = new ArrayList<>();
        for (Map.Entry<String, String> c : new TreeMap<>(CORPUS).entrySet()) {
            Path file = tmp.resolve(c.getKey() + ".properties");
            Files.write(file, c.getValue().getBytes(StandardCharsets.ISO_8859_1));
            Map<String, String> theirs = new TreeMap<>(datomic.loadProperties(file.toString()));
            PropertiesFile parsed = PropertiesFile.read(file);
            Map<String, String> ours = new TreeMap<>();
            for (String key : parsed.keys()) parsed.get(key).ifPresent(v -> ours.put(key, v));
            theirs.values().removeIf(String::isBlank);
            theirs.replaceAll((k, v) -> v.stripTrailing());
            if (!theirs.equals(ours)) differ.add(c.getKey() + ": Datomic " + theirs + ", ours " + ours);

            // what a deployed transactor reads: the lines the template writes, loaded by Datomic's loader
            StringBuilder written = new StringBuilder();
            ours.forEach((k, v) -> written.append(PropertiesText.line(k, v)).append('\n'));
            Path deployed = tmp.resolve(c.getKey() + ".deployed.properties");
            Files.write(deployed, written.toString().getBytes(StandardCharsets.ISO_8859_1));
            Map<String, String> transactor = new TreeMap<>(datomic.loadProperties(deployed.toString()));
            if (!transactor.equals(ours)) differ.add(c.getKey() + " (as deployed): Datomic " + transactor + ", ours " + ours);
        }
        assertThat(differ).as("properties read differently from Datomic's transactor").isEmpty();
    }
}

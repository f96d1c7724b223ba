package io.datomicgitops.template;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Datomic's published AMI maps: region -> architecture -> AMI id ({@code region-arch-ami.edn}) and instance type ->
 * architecture ({@code instance-arch.edn}). Our copies sit next to this class; a test checks them byte for byte
 * against the files inside {@code com.datomic:peer}. Both maps are sorted, so the template's mappings are stable.
 */
public final class AmiCatalog {
    static final String REGION_FILE = "region-arch-ami.edn";
    static final String INSTANCE_FILE = "instance-arch.edn";

    private final SortedMap<String, SortedMap<String, String>> regionArchAmi;
    private final SortedMap<String, String> instanceArch;

    private AmiCatalog(SortedMap<String, SortedMap<String, String>> regionArchAmi, SortedMap<String, String> instanceArch) {
        this.regionArchAmi = regionArchAmi;
        this.instanceArch = instanceArch;
    }

    /** The copies bundled with the runner. */
    public static AmiCatalog bundled() {
        return parse(resource(REGION_FILE), REGION_FILE, resource(INSTANCE_FILE), INSTANCE_FILE);
    }

    static AmiCatalog parse(String regionEdn, String regionSource, String instanceEdn, String instanceSource) {
        SortedMap<String, SortedMap<String, String>> regions = new TreeMap<>();
        EdnMaps.parse(regionEdn, regionSource).forEach((region, archs) -> {
            if (!(archs instanceof Map<?, ?> m)) throw new IllegalStateException(regionSource + ": " + region + " is not a map");
            SortedMap<String, String> byArch = new TreeMap<>();
            m.forEach((arch, ami) -> byArch.put((String) arch, asString(ami, regionSource, region + " " + arch)));
            regions.put(region, Collections.unmodifiableSortedMap(byArch));
        });
        SortedMap<String, String> types = new TreeMap<>();
        EdnMaps.parse(instanceEdn, instanceSource).forEach((type, arch) -> types.put(type, asString(arch, instanceSource, type)));
        return new AmiCatalog(Collections.unmodifiableSortedMap(regions), Collections.unmodifiableSortedMap(types));
    }

    /** region -> architecture -> AMI id, sorted. */
    public SortedMap<String, SortedMap<String, String>> regionArchAmi() {
        return regionArchAmi;
    }

    /** instance type -> architecture, sorted. */
    public SortedMap<String, String> instanceArch() {
        return instanceArch;
    }

    private static String asString(Object v, String source, String what) {
        if (v instanceof String s) return s;
        throw new IllegalStateException(source + ": the value of " + what + " is not a string");
    }

    static String resource(String name) {
        try (InputStream in = AmiCatalog.class.getResourceAsStream(name)) {
            if (in == null) throw new IllegalStateException("missing resource " + name + " next to " + AmiCatalog.class.getName());
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

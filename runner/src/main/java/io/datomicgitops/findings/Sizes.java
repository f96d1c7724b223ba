package io.datomicgitops.findings;

import java.util.Locale;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Datomic's memory settings: {@code java-xmx} (digits then m or g, as -Xmx) and sizes (bytes, or k / m / g). */
final class Sizes {
    private Sizes() {}

    private static final Pattern SIZE = Pattern.compile("(\\d{1,15})([kKmMgG]?)");
    private static final long MIB = 1024L * 1024L;

    /** A size in bytes: plain bytes, or with a k, m or g suffix (binary units, as the JVM and Datomic read them). */
    static OptionalLong bytes(String value) {
        Matcher m = SIZE.matcher(value.trim());
        if (!m.matches()) return OptionalLong.empty();
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2).toLowerCase(Locale.ROOT)) {
            case "k" -> OptionalLong.of(n * 1024L);
            case "m" -> OptionalLong.of(n * MIB);
            case "g" -> OptionalLong.of(n * 1024L * MIB);
            default -> OptionalLong.of(n);
        };
    }

    /** A heap size as -Xmx takes it in cf.properties (5734m, 8g), in bytes. */
    static OptionalLong heap(String value) {
        String v = value.trim();
        if (!v.matches("\\d{1,12}[mMgG]")) return OptionalLong.empty();
        return bytes(v);
    }

    static long toMib(long bytes) {
        return bytes / MIB;
    }

    static long mibToBytes(long mib) {
        return mib * MIB;
    }

    /** "1536 MiB", rounded down. */
    static String mib(long bytes) {
        return toMib(bytes) + " MiB";
    }

    /** part of whole, in whole percent (rounded down). */
    static long percent(long part, long whole) {
        return whole == 0 ? 0 : part * 100 / whole;
    }
}

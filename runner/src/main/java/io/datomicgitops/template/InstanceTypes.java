package io.datomicgitops.template;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What an EC2 instance type's name tells: whether it is well formed and whether it runs arm64 (Graviton). Datomic's
 * instance map stops at the m4/c4/r4/i3 generation; every newer type is HVM ("64h" in Datomic's scheme), and the
 * arm64 ones cannot boot Datomic's x86_64 images.
 */
final class InstanceTypes {
    private InstanceTypes() {}

    /** family (letters, generation digits, attribute letters, optional "-suffix") "." size */
    private static final Pattern TYPE = Pattern.compile("([a-z]+)(\\d+)([a-z]*)(-[a-z0-9]+)*\\.[a-z0-9-]+");

    /** A name of the usual shape, or one of the runner's table of EC2 types (u-6tb1.112xlarge has another shape). */
    static boolean isWellFormed(String type) {
        return TYPE.matcher(type).matches() || io.datomicgitops.ensure.InstanceMemory.fromTable(type).isPresent();
    }

    /** Graviton: a1, and every family whose attribute letters carry "g" (t4g, m6gd, c7gn, im4gn, is4gen, g5g, ...). */
    static boolean isArm64(String type) {
        Matcher m = TYPE.matcher(type);
        if (!m.matches()) return false;
        String letters = m.group(1);
        String generation = m.group(2);
        String attributes = m.group(3);
        if (letters.equals("a") && generation.equals("1")) return true;
        if (letters.equals("mac")) return !generation.equals("1");
        return attributes.contains("g");
    }
}

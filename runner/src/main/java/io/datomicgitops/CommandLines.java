package io.datomicgitops;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Command lines the runner prints as advice ({@code datomic-gitops ...}, {@code aws ...}, {@code git ...}), written so
 * that they work when pasted into a POSIX shell: a word with anything but plain characters is put in single quotes,
 * an embedded single quote becoming {@code '"'"'}. Plain words stay unquoted, so the usual line reads as typed.
 */
public final class CommandLines {
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_@%+=:./-]+");

    private CommandLines() {}

    /** The words as one shell command line. */
    public static String of(String... words) {
        return of(List.of(words));
    }

    public static String of(List<String> words) {
        StringBuilder line = new StringBuilder();
        for (String w : words) {
            if (line.length() > 0) line.append(' ');
            line.append(quote(w));
        }
        return line.toString();
    }

    /** One word for sh: as is when it holds only plain characters, else in single quotes. */
    public static String quote(String word) {
        if (word == null) throw new IllegalArgumentException("a command word is null");
        if (PLAIN.matcher(word).matches()) return word;
        return "'" + word.replace("'", "'\"'\"'") + "'";
    }
}

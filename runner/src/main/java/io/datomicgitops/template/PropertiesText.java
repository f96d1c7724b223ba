package io.datomicgitops.template;

/**
 * Writes one {@code key=value} line of a Java properties file the way {@link java.util.Properties#store} escapes it
 * (ASCII only), so the transactor reads back exactly the value that was meant, whatever characters it holds.
 */
public final class PropertiesText {
    private PropertiesText() {}

    public static String line(String key, String value) {
        return escape(key, true) + "=" + escape(value, false);
    }

    static String escapeValue(String value) {
        return escape(value, false);
    }

    private static String escape(String s, boolean isKey) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\\' -> sb.append("\\\\");
                case '\t' -> sb.append("\\t");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\f' -> sb.append("\\f");
                case ' ' -> sb.append(i == 0 || isKey ? "\\ " : " ");
                case '=', ':' -> sb.append(isKey ? "\\" + c : String.valueOf(c));
                case '#', '!' -> sb.append(i == 0 ? "\\" + c : String.valueOf(c));
                default -> {
                    if (c < 0x20 || c > 0x7e) sb.append(String.format("\\u%04X", (int) c));
                    else sb.append(c);
                }
            }
        }
        return sb.toString();
    }
}

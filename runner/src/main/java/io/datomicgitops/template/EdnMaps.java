package io.datomicgitops.template;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads the small EDN files Datomic ships its AMI and instance-type maps in: nested maps whose keys are keywords or
 * strings and whose values are strings or maps, with {@code ;} comments and commas as white space. Anything else
 * is refused, so a format change in a new Datomic release is noticed rather than misread.
 */
final class EdnMaps {
    private final String text;
    private final String source;
    private int pos;

    private EdnMaps(String text, String source) {
        this.text = text;
        this.source = source;
    }

    /** Parses a top-level map; keyword keys lose their colon. */
    static Map<String, Object> parse(String text, String source) {
        EdnMaps p = new EdnMaps(text, source);
        p.skipBlank();
        Map<String, Object> map = p.map();
        p.skipBlank();
        if (p.pos < text.length()) throw p.error("unexpected text after the map");
        return map;
    }

    private Map<String, Object> map() {
        expect('{');
        Map<String, Object> out = new LinkedHashMap<>();
        while (true) {
            skipBlank();
            if (peek() == '}') {
                pos++;
                return out;
            }
            String key = key();
            skipBlank();
            Object value = value();
            if (out.put(key, value) != null) throw error("duplicate key " + key);
        }
    }

    private String key() {
        char c = peek();
        if (c == ':') {
            pos++;
            int start = pos;
            while (pos < text.length() && isSymbolChar(text.charAt(pos))) pos++;
            if (start == pos) throw error("empty keyword");
            return text.substring(start, pos);
        }
        if (c == '"') return string();
        throw error("expected a keyword or a string key");
    }

    private Object value() {
        char c = peek();
        if (c == '{') return map();
        if (c == '"') return string();
        throw error("expected a string or a map");
    }

    private String string() {
        expect('"');
        StringBuilder sb = new StringBuilder();
        while (pos < text.length()) {
            char c = text.charAt(pos++);
            if (c == '"') return sb.toString();
            if (c == '\\') throw error("escapes are not expected in these files");
            sb.append(c);
        }
        throw error("unterminated string");
    }

    private void skipBlank() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c == ';') {
                while (pos < text.length() && text.charAt(pos) != '\n') pos++;
            } else if (Character.isWhitespace(c) || c == ',') {
                pos++;
            } else {
                return;
            }
        }
    }

    private char peek() {
        if (pos >= text.length()) throw error("unexpected end of file");
        return text.charAt(pos);
    }

    private void expect(char c) {
        if (peek() != c) throw error("expected '" + c + "'");
        pos++;
    }

    private static boolean isSymbolChar(char c) {
        return Character.isLetterOrDigit(c) || c == '-' || c == '_' || c == '.' || c == '/';
    }

    private IllegalStateException error(String what) {
        int line = 1;
        for (int i = 0; i < Math.min(pos, text.length()); i++) if (text.charAt(i) == '\n') line++;
        return new IllegalStateException(source + ":" + line + ": " + what);
    }
}

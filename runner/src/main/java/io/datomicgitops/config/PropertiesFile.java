package io.datomicgitops.config;

import io.datomicgitops.ExitCode;
import io.datomicgitops.ToolException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A Java/Datomic {@code .properties} file kept exactly as written: comments, blank lines, order, separators,
 * escapes, continuations, line endings and the trailing newline (or its absence) all survive a read and a write.
 * Setting a key rewrites only its value; a new key goes next to its commented-out template line
 * ({@code # key=}) when the file has one, else at the end.
 */
public final class PropertiesFile {

    /** One logical line (a key-value pair, possibly continued over several physical lines) or a comment/blank line. */
    static final class Line {
        String raw;              // exact text, terminator included
        final int lineNumber;    // 1-based number of the first physical line
        final String key;        // null for comments and blank lines
        int valueStart;          // index in raw where the value text begins
        boolean hasSeparator;    // "key" alone has none: a value needs one inserted

        Line(String raw, int lineNumber, String key, int valueStart, boolean hasSeparator) {
            this.raw = raw;
            this.lineNumber = lineNumber;
            this.key = key;
            this.valueStart = valueStart;
            this.hasSeparator = hasSeparator;
        }

        String terminator() {
            if (raw.endsWith("\r\n")) return "\r\n";
            if (raw.endsWith("\n")) return "\n";
            if (raw.endsWith("\r")) return "\r";
            return "";
        }

        String rawValue() {
            return raw.substring(valueStart, raw.length() - terminator().length());
        }

        boolean isComment() {
            String t = stripLeading(raw);
            return key == null && !t.isEmpty() && (t.charAt(0) == '#' || t.charAt(0) == '!');
        }
    }

    private final String name;
    private final Charset charset;
    private final boolean bom;
    private final List<Line> lines;

    private PropertiesFile(String name, Charset charset, boolean bom, List<Line> lines) {
        this.name = name;
        this.charset = charset;
        this.bom = bom;
        this.lines = lines;
    }

    /** Reads a file; a missing or unreadable file is a {@link ToolException} naming it. */
    public static PropertiesFile read(Path path) {
        try {
            return parse(path.toString(), Files.readAllBytes(path));
        } catch (NoSuchFileException e) {
            throw new ToolException(ExitCode.INVALID_CONFIG, "file not found", path.toString(),
                    "check the path, or create the file from Datomic's sample");
        } catch (IOException e) {
            throw new ToolException(ExitCode.INVALID_CONFIG, "cannot read file: " + e.getMessage(), path.toString(),
                    "check the file's permissions");
        }
    }

    /** An empty file, e.g. for a properties file that does not exist yet. */
    public static PropertiesFile empty(String name) {
        return new PropertiesFile(name, StandardCharsets.UTF_8, false, new ArrayList<>());
    }

    public static PropertiesFile parse(String name, byte[] bytes) {
        boolean bom = bytes.length >= 3 && (bytes[0] & 0xff) == 0xEF && (bytes[1] & 0xff) == 0xBB && (bytes[2] & 0xff) == 0xBF;
        int offset = bom ? 3 : 0;
        Charset charset = StandardCharsets.UTF_8;
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, offset, bytes.length - offset)).toString();
        } catch (CharacterCodingException e) {
            // Not UTF-8: the format's historical encoding maps every byte to one char, so it round-trips.
            charset = StandardCharsets.ISO_8859_1;
            text = new String(bytes, offset, bytes.length - offset, charset);
        }
        return new PropertiesFile(name, charset, bom, parseLines(name, text));
    }

    public static PropertiesFile parse(String name, String text) {
        return parse(name, text.getBytes(StandardCharsets.UTF_8));
    }

    private static List<Line> parseLines(String name, String text) {
        List<String> physical = splitPhysical(text);
        List<Line> result = new ArrayList<>();
        int i = 0;
        while (i < physical.size()) {
            int lineNumber = i + 1;
            String first = physical.get(i);
            String content = stripLeading(withoutTerminator(first));
            if (content.isEmpty() || content.charAt(0) == '#' || content.charAt(0) == '!') {
                result.add(new Line(first, lineNumber, null, first.length(), false));
                i++;
                continue;
            }
            StringBuilder raw = new StringBuilder(first);
            i++;
            while (i < physical.size() && continues(withoutTerminator(physical.get(i - 1)))) {
                raw.append(physical.get(i));
                i++;
            }
            Line line;
            try {
                line = keyValue(raw.toString(), lineNumber);
                unescapeValue(line.rawValue());
            } catch (MalformedEscapeException e) {
                throw new ToolException(ExitCode.INVALID_CONFIG, "malformed \\uXXXX escape",
                        name + ":" + lineNumber, "write \\u followed by exactly four hex digits, or \\\\u for a literal backslash-u");
            }
            result.add(line);
        }
        return result;
    }

    /** Splits after each \n, \r\n or lone \r, keeping the terminators. */
    private static List<String> splitPhysical(String text) {
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n' || c == '\r') {
                int end = (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') ? i + 2 : i + 1;
                out.add(text.substring(start, end));
                start = end;
                i = end - 1;
            }
        }
        if (start < text.length()) out.add(text.substring(start));
        return out;
    }

    /** A line continues when it ends with an odd number of backslashes. */
    private static boolean continues(String line) {
        int n = 0;
        for (int i = line.length() - 1; i >= 0 && line.charAt(i) == '\\'; i--) n++;
        return n % 2 == 1;
    }

    private static String withoutTerminator(String s) {
        if (s.endsWith("\r\n")) return s.substring(0, s.length() - 2);
        if (s.endsWith("\n") || s.endsWith("\r")) return s.substring(0, s.length() - 1);
        return s;
    }

    private static boolean isWhite(char c) {
        return c == ' ' || c == '\t' || c == '\f';
    }

    private static boolean isTerminator(char c) {
        return c == '\n' || c == '\r';
    }

    static String stripLeading(String s) {
        int i = 0;
        while (i < s.length() && isWhite(s.charAt(i))) i++;
        return s.substring(i);
    }

    /** Index just past a backslash-newline continuation and the next line's leading white space. */
    private static int skipContinuation(String raw, int i) {
        // raw.charAt(i) == '\\' and the next char is a terminator
        int j = i + 1;
        if (raw.charAt(j) == '\r' && j + 1 < raw.length() && raw.charAt(j + 1) == '\n') j += 2;
        else j++;
        while (j < raw.length() && isWhite(raw.charAt(j))) j++;
        return j;
    }

    private static boolean atContinuation(String raw, int i) {
        return raw.charAt(i) == '\\' && i + 1 < raw.length() && isTerminator(raw.charAt(i + 1));
    }

    private static Line keyValue(String raw, int lineNumber) {
        int end = raw.length() - terminatorLength(raw);
        int i = 0;
        while (i < end && isWhite(raw.charAt(i))) i++;
        StringBuilder key = new StringBuilder();
        // key: up to the first unescaped '=', ':' or white space
        while (i < end) {
            char c = raw.charAt(i);
            if (atContinuation(raw, i)) { i = skipContinuation(raw, i); continue; }
            if (c == '\\' && i + 1 < end) {
                i = unescapeOne(raw, i, key);
                continue;
            }
            if (c == '=' || c == ':' || isWhite(c)) break;
            key.append(c);
            i++;
        }
        boolean separator = false;
        while (i < end && isWhite(raw.charAt(i))) { i++; separator = true; }
        if (i < end && (raw.charAt(i) == '=' || raw.charAt(i) == ':')) { i++; separator = true; }
        while (i < end) {
            if (isWhite(raw.charAt(i))) { i++; continue; }
            if (atContinuation(raw, i)) { i = skipContinuation(raw, i); continue; }
            break;
        }
        return new Line(raw, lineNumber, key.toString(), Math.min(i, end), separator);
    }

    private static int terminatorLength(String raw) {
        return raw.length() - withoutTerminator(raw).length();
    }

    /** Appends the char(s) of the escape at raw[i] ('\\') and returns the index after it. */
    private static int unescapeOne(String raw, int i, StringBuilder out) {
        char n = raw.charAt(i + 1);
        switch (n) {
            case 't': out.append('\t'); return i + 2;
            case 'n': out.append('\n'); return i + 2;
            case 'r': out.append('\r'); return i + 2;
            case 'f': out.append('\f'); return i + 2;
            case 'u': {
                if (i + 6 <= raw.length()) {
                    String hex = raw.substring(i + 2, i + 6);
                    if (hex.chars().allMatch(ch -> Character.digit(ch, 16) >= 0)) {
                        out.append((char) Integer.parseInt(hex, 16));
                        return i + 6;
                    }
                }
                throw new MalformedEscapeException(i);
            }
            default: out.append(n); return i + 2;
        }
    }

    /** A {@code \\u} escape without four hex digits: Java's loader refuses such a file, and so do we. */
    static final class MalformedEscapeException extends RuntimeException {
        final int index;
        MalformedEscapeException(int index) {
            super("malformed \\uXXXX escape");
            this.index = index;
        }
    }

    private static String unescapeValue(String rawValue) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < rawValue.length()) {
            char c = rawValue.charAt(i);
            if (atContinuation(rawValue, i)) { i = skipContinuation(rawValue, i); continue; }
            if (c == '\\' && i + 1 < rawValue.length()) { i = unescapeOne(rawValue, i, out); continue; }
            if (c == '\\') { i++; continue; } // a lone trailing backslash is dropped, as Java does
            out.append(c);
            i++;
        }
        return out.toString();
    }

    // ---- reading ------------------------------------------------------------------------------------------------

    public String name() { return name; }

    /** The last definition of the key wins, as in {@link java.util.Properties}. */
    private Optional<Line> find(String key) {
        for (int i = lines.size() - 1; i >= 0; i--) {
            Line l = lines.get(i);
            if (key.equals(l.key)) return Optional.of(l);
        }
        return Optional.empty();
    }

    /** The value as written (unescaped), blank included; empty when the key is not declared. */
    public Optional<String> raw(String key) {
        return find(key).map(l -> unescapeValue(l.rawValue()));
    }

    /** Datomic's reading: a key with a blank value counts as absent. Trimmed. */
    public Optional<String> get(String key) {
        return raw(key).map(String::trim).filter(v -> !v.isEmpty());
    }

    public String get(String key, String defaultValue) {
        return get(key).orElse(defaultValue);
    }

    /** True when the key is declared, even with a blank value (Datomic tests presence for some keys). */
    public boolean declares(String key) {
        return find(key).isPresent();
    }

    /** 1-based line of the key's (last) definition, or 0 when it is absent. */
    public int lineOf(String key) {
        return find(key).map(l -> l.lineNumber).orElse(0);
    }

    /** "file:line" for error messages. */
    public String where(String key) {
        int line = lineOf(key);
        return line > 0 ? name + ":" + line : name;
    }

    /** Declared keys in file order (a duplicate appears once, at its last position). */
    public List<String> keys() {
        return new ArrayList<>(asMap().keySet());
    }

    /** Every declared key with its unescaped value, in file order; the last duplicate wins. */
    public Map<String, String> asMap() {
        Map<String, String> map = new LinkedHashMap<>();
        for (Line l : lines) {
            if (l.key != null) {
                map.remove(l.key);
                map.put(l.key, unescapeValue(l.rawValue()));
            }
        }
        return map;
    }

    /** Keys declared more than once, with the line numbers of every definition. */
    public Map<String, List<Integer>> duplicates() {
        Map<String, List<Integer>> all = new LinkedHashMap<>();
        for (Line l : lines) {
            if (l.key != null) all.computeIfAbsent(l.key, k -> new ArrayList<>()).add(l.lineNumber);
        }
        all.values().removeIf(v -> v.size() < 2);
        return all;
    }

    /** Each key-value line, with its line number, for validation. */
    public List<Definition> definitions() {
        List<Definition> out = new ArrayList<>();
        for (Line l : lines) {
            if (l.key != null) out.add(new Definition(l.key, unescapeValue(l.rawValue()), l.lineNumber));
        }
        return out;
    }

    public record Definition(String key, String value, int line) {}

    // ---- editing ------------------------------------------------------------------------------------------------

    /**
     * Sets a key's value. An existing key keeps its text up to the value and its line ending; a new key goes
     * right after its commented-out template line ({@code # key=...}) when there is one, else at the end.
     * Returns true when the file changed.
     */
    public boolean set(String key, String value) {
        Optional<Line> existing = find(key);
        if (existing.isPresent()) {
            Line l = existing.get();
            if (unescapeValue(l.rawValue()).equals(value)) return false;
            String prefix = l.raw.substring(0, l.valueStart);
            if (!l.hasSeparator) {
                prefix = prefix + "=";
                l.hasSeparator = true;
            }
            String newRaw = prefix + escapeValue(value) + l.terminator();
            l.valueStart = prefix.length();
            l.raw = newRaw;
            return true;
        }
        String newline = dominantNewline();
        String text = escapeKey(key) + "=" + escapeValue(value);
        int at = templateLineIndex(key);
        int insertAt = at >= 0 ? at + 1 : lines.size();
        Line before = insertAt > 0 ? lines.get(insertAt - 1) : null;
        // A file that ended without a newline still does after an append.
        boolean keepNoTrailingNewline = insertAt == lines.size() && before != null && before.terminator().isEmpty();
        if (before != null && before.terminator().isEmpty()) before.raw = before.raw + newline;
        String raw = text + (keepNoTrailingNewline ? "" : newline);
        lines.add(insertAt, new Line(raw, 0, key, escapeKey(key).length() + 1, true));
        return true;
    }

    /** Removes every definition of a key. Explicit only: ensure phases never call it. Returns true when removed. */
    public boolean remove(String key) {
        return lines.removeIf(l -> key.equals(l.key));
    }

    /** Index of the first comment line that is a commented-out definition of the key, or -1. */
    private int templateLineIndex(String key) {
        for (int i = 0; i < lines.size(); i++) {
            Line l = lines.get(i);
            if (!l.isComment()) continue;
            String body = stripLeading(withoutTerminator(l.raw));
            body = stripLeading(body.substring(1));
            while (!body.isEmpty() && (body.charAt(0) == '#' || body.charAt(0) == '!')) body = stripLeading(body.substring(1));
            if (body.startsWith(key)) {
                String rest = body.substring(key.length());
                if (rest.isEmpty() || rest.charAt(0) == '=' || rest.charAt(0) == ':' || isWhite(rest.charAt(0))) return i;
            }
        }
        return -1;
    }

    private String dominantNewline() {
        int crlf = 0, lf = 0, cr = 0;
        for (Line l : lines) {
            switch (l.terminator()) {
                case "\r\n" -> crlf++;
                case "\n" -> lf++;
                case "\r" -> cr++;
                default -> { }
            }
        }
        if (crlf > lf && crlf >= cr) return "\r\n";
        if (cr > lf && cr > crlf) return "\r";
        return "\n";
    }

    static String escapeKey(String key) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c == '=' || c == ':' || c == ' ' || c == '\\' || (i == 0 && (c == '#' || c == '!'))) sb.append('\\');
            appendChar(sb, c);
        }
        return sb.toString();
    }

    String escapeValue(String value) {
        StringBuilder sb = new StringBuilder();
        CharsetEncoder encoder = charset.newEncoder();
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\') sb.append("\\\\");
            else if (i == 0 && isWhite(c)) sb.append('\\').append(c == ' ' ? ' ' : c == '\t' ? 't' : 'f');
            else if (c == '\t') sb.append("\\t");
            else if (c == '\n') sb.append("\\n");
            else if (c == '\r') sb.append("\\r");
            else if (c == '\f') sb.append("\\f");
            else if (c < 0x20 || !encoder.canEncode(c)) sb.append(String.format("\\u%04X", (int) c));
            else sb.append(c);
        }
        return sb.toString();
    }

    private static void appendChar(StringBuilder sb, char c) {
        if (c < 0x20) sb.append(String.format("\\u%04X", (int) c));
        else sb.append(c);
    }

    // ---- writing ------------------------------------------------------------------------------------------------

    public String text() {
        StringBuilder sb = new StringBuilder();
        for (Line l : lines) sb.append(l.raw);
        return sb.toString();
    }

    public byte[] toBytes() {
        ByteBuffer body = charset.encode(CharBuffer.wrap(text()));
        byte[] out = new byte[body.remaining() + (bom ? 3 : 0)];
        int off = 0;
        if (bom) {
            out[0] = (byte) 0xEF; out[1] = (byte) 0xBB; out[2] = (byte) 0xBF;
            off = 3;
        }
        body.get(out, off, body.remaining());
        return out;
    }

    /** Writes atomically (temp file, fsync, rename). */
    public void write(Path path) {
        AtomicFiles.write(path, toBytes());
    }
}

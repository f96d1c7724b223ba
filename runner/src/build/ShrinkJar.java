import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Drops from the shaded runner jar the AWS SDK classes the runner can never reach, in place. Run at package time by
 * runner/pom.xml: {@code java ShrinkJar.java JAR [REMOVED_LIST]}.
 *
 * <p>Each service module holds a class per request, response and marshaller of every operation of the service, and
 * the model shapes they use: the EC2 module alone is 20 MB of them, for the handful of EC2 operations the runner
 * calls. Shade's minimizeJar cannot drop them, because the service client ({@code DefaultEc2Client}) names every
 * operation. This keeps every class reachable from the runner's own classes through the constant pools, except that
 * references from the service clients themselves to an operation's classes are not followed: an operation's
 * request, response and marshaller are kept when the runner's code (or the SDK's, e.g. an interceptor) names the
 * operation. What the JVM needs to load a service client is kept too: every operation's request class itself (the
 * verifier checks that it is an SdkRequest), without what only it uses.
 *
 * <p>So a class is only dropped when no code in the jar can reach it except through an operation no code calls. The
 * async clients, paginators and waiters go the same way: kept only when something uses them.
 */
public final class ShrinkJar {
    private static final String SERVICES = "software/amazon/awssdk/services/";
    private static final Pattern NAME = Pattern.compile("[A-Za-z_$][A-Za-z0-9_$]*(?:/[A-Za-z0-9_$]+)+");
    private static final String[] PER_OPERATION = {"model/%sRequest", "model/%sResponse", "transform/%sRequestMarshaller"};

    private final Map<String, byte[]> classes;
    private final Map<String, Set<String>> operations = new HashMap<>();
    private final Set<String> kept = new HashSet<>();
    private final Deque<String> todo = new ArrayDeque<>();

    ShrinkJar(Map<String, byte[]> classes) {
        this.classes = classes;
        // an operation has a marshaller; in a jar shrunk before, a dropped operation still has its request class, which
        // extends the service's request base class like the requests of the operations that kept their marshaller
        Set<String> bases = new HashSet<>();
        for (String c : classes.keySet()) {
            String[] sv = service(c);
            if (sv != null && sv[1].startsWith("transform/") && sv[1].endsWith("RequestMarshaller") && !sv[1].contains("$")) {
                String op = sv[1].substring("transform/".length(), sv[1].length() - "RequestMarshaller".length());
                operations.computeIfAbsent(sv[0], k -> new HashSet<>()).add(op);
                byte[] request = classes.get(SERVICES + sv[0] + "/model/" + op + "Request");
                if (request != null && !header(request).isEmpty()) bases.add(header(request).get(0));
            }
        }
        for (String c : classes.keySet()) {
            String[] sv = service(c);
            if (sv != null && sv[1].startsWith("model/") && sv[1].endsWith("Request") && !sv[1].contains("$")
                    && bases.contains(header(classes.get(c)).get(0))) {
                operations.computeIfAbsent(sv[0], k -> new HashSet<>())
                        .add(sv[1].substring("model/".length(), sv[1].length() - "Request".length()));
            }
        }
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("usage: java ShrinkJar.java JAR [REMOVED_LIST]");
            System.exit(64);
        }
        Path jar = Path.of(args[0]);
        long before = Files.size(jar);
        Map<String, byte[]> classes = new HashMap<>();
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            for (ZipEntry e : java.util.Collections.list(zip.entries())) {
                if (e.getName().endsWith(".class") && !e.getName().startsWith("META-INF/")) {
                    try (InputStream in = zip.getInputStream(e)) {
                        classes.put(e.getName().substring(0, e.getName().length() - ".class".length()), in.readAllBytes());
                    }
                }
            }
        }
        Set<String> removed = new ShrinkJar(classes).unreachable();
        try (FileSystem fs = FileSystems.newFileSystem(URI.create("jar:" + jar.toUri()), Map.of())) {
            for (String c : removed) Files.delete(fs.getPath(c + ".class"));
        }
        if (args.length > 1) Files.write(Path.of(args[1]), new TreeSet<>(removed), StandardCharsets.UTF_8);
        System.out.printf("ShrinkJar: %s: %d of %d classes dropped (never reachable), %.1f MB -> %.1f MB%n", jar.getFileName(),
                removed.size(), classes.size(), before / 1e6, Files.size(jar) / 1e6);
    }

    /** The classes no code in the jar can reach (see the class comment). */
    Set<String> unreachable() {
        for (String c : classes.keySet()) {
            if (!shrinkable(c)) keep(c);
        }
        // the service clients' verification loads every operation's request class: kept, not followed
        Set<String> shallow = new LinkedHashSet<>();
        operations.forEach((service, ops) -> ops.forEach(op -> shallow.add(SERVICES + service + "/model/" + op + "Request")));
        for (String c : shallow) {
            if (classes.containsKey(c)) superTypes(c).forEach(this::keep);
        }
        while (!todo.isEmpty()) {
            String c = todo.pop();
            boolean client = serviceClient(c);
            for (String ref : references(c)) {
                String op = operationOf(ref);
                if (client && (op != null || optional(ref))) continue;
                keep(ref);
                if (op != null) {
                    String service = service(ref)[0];
                    for (String form : PER_OPERATION) keep(SERVICES + service + "/" + String.format(form, op));
                }
            }
        }
        kept.addAll(shallow);
        Set<String> out = new TreeSet<>(classes.keySet());
        out.removeAll(kept);
        return out;
    }

    private void keep(String c) {
        if (classes.containsKey(c) && kept.add(c)) todo.push(c);
    }

    /** {service, rest} for a class of an SDK service module, else null. */
    private static String[] service(String c) {
        if (!c.startsWith(SERVICES)) return null;
        int slash = c.indexOf('/', SERVICES.length());
        return slash < 0 ? null : new String[]{c.substring(SERVICES.length(), slash), c.substring(slash + 1)};
    }

    /** Classes kept only when reached: the per-operation packages, and the async clients and their builders. */
    private static boolean shrinkable(String c) {
        String[] sv = service(c);
        if (sv == null) return false;
        String rest = sv[1];
        return rest.startsWith("model/") || rest.startsWith("transform/") || optional(c)
                || (!rest.contains("/") && rest.contains("Async"));
    }

    private static boolean optional(String c) {
        String[] sv = service(c);
        return sv != null && (sv[1].startsWith("paginators/") || sv[1].startsWith("waiters/")
                || (!sv[1].contains("/") && sv[1].contains("Async")));
    }

    /** A service's client interface or implementation, which names every operation of the service. */
    private static boolean serviceClient(String c) {
        String[] sv = service(c);
        if (sv == null || sv[1].contains("/")) return false;
        String top = sv[1].contains("$") ? sv[1].substring(0, sv[1].indexOf('$')) : sv[1];
        return top.endsWith("Client");
    }

    /** The operation whose request, response or marshaller this class is (or a nested class of), else null. */
    private String operationOf(String c) {
        String[] sv = service(c);
        if (sv == null) return null;
        String rest = sv[1].contains("$") ? sv[1].substring(0, sv[1].indexOf('$')) : sv[1];
        Set<String> ops = operations.getOrDefault(sv[0], Set.of());
        for (String form : PER_OPERATION) {
            String prefix = form.substring(0, form.indexOf("%s"));
            String suffix = form.substring(form.indexOf("%s") + 2);
            if (rest.startsWith(prefix) && rest.endsWith(suffix) && rest.length() > prefix.length() + suffix.length()) {
                String op = rest.substring(prefix.length(), rest.length() - suffix.length());
                if (ops.contains(op)) return op;
            }
        }
        return null;
    }

    /** Every class of the jar this class names anywhere in its constant pool (class entries, descriptors, signatures). */
    List<String> references(String c) {
        List<String> out = new ArrayList<>();
        for (String s : utf8(classes.get(c))) {
            Matcher m = NAME.matcher(s);
            while (m.find()) {
                if (classes.containsKey(m.group())) out.add(m.group());
            }
        }
        return out;
    }

    /** The superclass and interfaces, transitively: what loading the class needs. */
    private Set<String> superTypes(String c) {
        Set<String> out = new LinkedHashSet<>();
        Deque<String> next = new ArrayDeque<>(List.of(c));
        while (!next.isEmpty()) {
            String x = next.pop();
            byte[] bytes = classes.get(x);
            if (bytes == null) continue;
            for (String s : header(bytes)) {
                if (out.add(s)) next.push(s);
            }
        }
        return out;
    }

    private static List<String> utf8(byte[] bytes) {
        return parse(bytes).utf8;
    }

    private static List<String> header(byte[] bytes) {
        return parse(bytes).supers;
    }

    private record ClassFile(List<String> utf8, List<String> supers) {}

    /** The constant pool's UTF-8 strings, and the superclass and interface names (JVMS 4.1, 4.4). */
    private static ClassFile parse(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            in.skipNBytes(8); // magic, minor, major
            int count = in.readUnsignedShort();
            String[] strings = new String[count];
            int[] classIndex = new int[count];
            for (int i = 1; i < count; i++) {
                int tag = in.readUnsignedByte();
                switch (tag) {
                    case 1 -> strings[i] = in.readUTF();
                    case 3, 4 -> in.skipNBytes(4);
                    case 5, 6 -> { in.skipNBytes(8); i++; }
                    case 7 -> classIndex[i] = in.readUnsignedShort();
                    case 8, 16, 19, 20 -> in.skipNBytes(2);
                    case 9, 10, 11, 12, 17, 18 -> in.skipNBytes(4);
                    case 15 -> in.skipNBytes(3);
                    default -> throw new IOException("unknown constant pool tag " + tag);
                }
            }
            in.skipNBytes(2); // access flags
            in.skipNBytes(2); // this class
            List<String> supers = new ArrayList<>();
            int superIndex = in.readUnsignedShort();
            if (superIndex != 0) supers.add(strings[classIndex[superIndex]]);
            int interfaces = in.readUnsignedShort();
            for (int i = 0; i < interfaces; i++) supers.add(strings[classIndex[in.readUnsignedShort()]]);
            List<String> utf8 = new ArrayList<>();
            for (String s : strings) if (s != null) utf8.add(s);
            return new ClassFile(utf8, supers);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read a class file: " + e.getMessage(), e);
        }
    }
}

package io.datomicgitops.build;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import java.util.zip.ZipFile;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * runner/src/build/ShrinkJar.java, the package-time step that drops unreachable SDK classes from the runner jar, on a
 * small service module shaped like the SDK's (a client naming every operation, per-operation requests, responses and
 * marshallers, model shapes, a paginator, an async client) compiled here, and the shrunk jar run by a real JVM.
 */
class ShrinkJarTest {
    private static final String SVC = "software/amazon/awssdk/services/demo/";
    private static Path shrinker;

    @BeforeAll
    static void find() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isRegularFile(dir.resolve("runner/src/build/ShrinkJar.java"))) dir = dir.getParent();
        assertThat(dir).as("runner/src/build/ShrinkJar.java above the working directory").isNotNull();
        shrinker = dir.resolve("runner/src/build/ShrinkJar.java");
    }

    private static Map<String, String> sources() {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("software/amazon/awssdk/core/BaseRequest", "package software.amazon.awssdk.core; public abstract class BaseRequest {}");
        s.put("software/amazon/awssdk/core/Marshaller", "package software.amazon.awssdk.core; public interface Marshaller { Object marshal(BaseRequest r); }");
        String m = "package software.amazon.awssdk.services.demo.model; ";
        s.put(SVC + "model/DemoRequest", m + "public abstract class DemoRequest extends software.amazon.awssdk.core.BaseRequest {}");
        s.put(SVC + "model/DemoException", m + "public class DemoException extends RuntimeException {}");
        s.put(SVC + "model/Part", m + "public class Part { public String name = \"part\"; }");
        s.put(SVC + "model/Thing", m + "public class Thing { public final String name; public Thing(String n) { name = n; } }");
        s.put(SVC + "model/Filter", m + "public class Filter {}");
        s.put(SVC + "model/Other", m + "public class Other {}");
        s.put(SVC + "model/GetThingRequest", m + "public class GetThingRequest extends DemoRequest { public Part part = new Part(); }");
        s.put(SVC + "model/GetThingResponse", m + "public class GetThingResponse { public final Thing thing; public GetThingResponse(Thing t) { thing = t; } }");
        s.put(SVC + "model/ListOthersRequest", m + "public class ListOthersRequest extends DemoRequest { public Filter filter = new Filter(); }");
        s.put(SVC + "model/ListOthersResponse", m + "public class ListOthersResponse { public Other other = new Other(); }");
        String t = "package software.amazon.awssdk.services.demo.transform; import software.amazon.awssdk.services.demo.model.*; ";
        s.put(SVC + "transform/GetThingRequestMarshaller", t + "public class GetThingRequestMarshaller implements software.amazon.awssdk.core.Marshaller {"
                + " public Object marshal(software.amazon.awssdk.core.BaseRequest r) { return new GetThingResponse(new Thing(((GetThingRequest) r).part.name + \" ok\")); } }");
        s.put(SVC + "transform/ListOthersRequestMarshaller", t + "public class ListOthersRequestMarshaller implements software.amazon.awssdk.core.Marshaller {"
                + " public Object marshal(software.amazon.awssdk.core.BaseRequest r) { return new ListOthersResponse(); } }");
        String c = "package software.amazon.awssdk.services.demo; import software.amazon.awssdk.services.demo.model.*; import software.amazon.awssdk.services.demo.transform.*; ";
        s.put(SVC + "paginators/ListOthersIterable", "package software.amazon.awssdk.services.demo.paginators; import software.amazon.awssdk.services.demo.model.*;"
                + " public class ListOthersIterable { public ListOthersResponse first(software.amazon.awssdk.services.demo.DemoClient c) { return c.listOthers(new ListOthersRequest()); } }");
        s.put(SVC + "DemoClient", c + "public interface DemoClient { GetThingResponse getThing(GetThingRequest r); ListOthersResponse listOthers(ListOthersRequest r);"
                + " default software.amazon.awssdk.services.demo.paginators.ListOthersIterable listOthersPaginator() { return new software.amazon.awssdk.services.demo.paginators.ListOthersIterable(); } }");
        s.put(SVC + "DefaultDemoClient", c + "public class DefaultDemoClient implements DemoClient {"
                + " private Object handle(software.amazon.awssdk.core.BaseRequest r, software.amazon.awssdk.core.Marshaller m) {"
                + "   if (r == null) throw new DemoException(); return m.marshal(r); }"
                + " public GetThingResponse getThing(GetThingRequest r) { return (GetThingResponse) handle(r, new GetThingRequestMarshaller()); }"
                + " public ListOthersResponse listOthers(ListOthersRequest r) { return (ListOthersResponse) handle(r, new ListOthersRequestMarshaller()); } }");
        s.put(SVC + "DemoAsyncClient", c + "public interface DemoAsyncClient { ListOthersResponse listOthers(ListOthersRequest r); }");
        s.put(SVC + "DefaultDemoAsyncClient", c + "public class DefaultDemoAsyncClient implements DemoAsyncClient {"
                + " public ListOthersResponse listOthers(ListOthersRequest r) { return (ListOthersResponse) new ListOthersRequestMarshaller().marshal(r); } }");
        s.put("io/app/App", "package io.app; import software.amazon.awssdk.services.demo.*; import software.amazon.awssdk.services.demo.model.*;"
                + " public class App { public static void main(String[] a) { DemoClient c = new DefaultDemoClient();"
                + " System.out.println(c.getThing(new GetThingRequest()).thing.name); } }");
        return s;
    }

    private static Path jar(Path dir) throws IOException {
        Path src = dir.resolve("src");
        Path classes = dir.resolve("classes");
        List<String> args = new ArrayList<>(List.of("-d", classes.toString(), "--release", "17"));
        for (Map.Entry<String, String> e : sources().entrySet()) {
            Path f = src.resolve(e.getKey() + ".java");
            Files.createDirectories(f.getParent());
            Files.writeString(f, e.getValue());
            args.add(f.toString());
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertThat(javac.run(null, null, null, args.toArray(String[]::new))).as("the demo module compiles").isZero();
        Path jar = dir.resolve("app.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar)); Stream<Path> files = Files.walk(classes)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                out.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
                Files.copy(f, out);
                out.closeEntry();
            }
        }
        return jar;
    }

    private static Set<String> classesIn(Path jar) throws IOException {
        try (ZipFile z = new ZipFile(jar.toFile())) {
            Set<String> out = new TreeSet<>();
            z.stream().map(e -> e.getName()).filter(n -> n.endsWith(".class")).forEach(n -> out.add(n.substring(0, n.length() - 6)));
            return out;
        }
    }

    private static String java(Path dir, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(List.of(args));
        Path out = dir.resolve("out-" + System.nanoTime() + ".txt");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return p.exitValue() + ":" + Files.readString(out, StandardCharsets.UTF_8).strip();
    }

    @Test
    void dropsWhatOnlyUncalledOperationsReachAndTheJarStillRuns(@TempDir Path dir) throws Exception {
        Path jar = jar(dir);
        assertThat(java(dir, "-cp", jar.toString(), "io.app.App")).isEqualTo("0:part ok");
        Path removed = dir.resolve("removed.txt");

        String out = java(dir, shrinker.toString(), jar.toString(), removed.toString());

        assertThat(out).startsWith("0:ShrinkJar: app.jar: 7 of 20 classes dropped");
        Set<String> dropped = Set.of(SVC + "model/ListOthersResponse", SVC + "transform/ListOthersRequestMarshaller", SVC + "model/Filter",
                SVC + "model/Other", SVC + "paginators/ListOthersIterable", SVC + "DemoAsyncClient", SVC + "DefaultDemoAsyncClient");
        assertThat(Files.readAllLines(removed)).containsExactlyInAnyOrderElementsOf(dropped);
        Set<String> left = classesIn(jar);
        assertThat(left).doesNotContainAnyElementsOf(dropped).contains(
                "io/app/App", SVC + "DefaultDemoClient", SVC + "model/GetThingRequest", SVC + "model/GetThingResponse",
                SVC + "transform/GetThingRequestMarshaller", SVC + "model/Part", SVC + "model/Thing", SVC + "model/DemoException",
                // the client's verification loads every request class: kept, without what only it uses (Filter)
                SVC + "model/ListOthersRequest");
        assertThat(java(dir, "-cp", jar.toString(), "io.app.App")).as("the shrunk jar runs the operation it calls").isEqualTo("0:part ok");

        // run again: nothing more to drop
        assertThat(java(dir, shrinker.toString(), jar.toString())).startsWith("0:ShrinkJar: app.jar: 0 of 13 classes dropped");
    }

    @Test
    void theRequestClassesKeptForTheVerifierAreNeeded(@TempDir Path dir) throws Exception {
        Path jar = jar(dir);
        assertThat(java(dir, shrinker.toString(), jar.toString())).startsWith("0:");
        try (FileSystem fs = FileSystems.newFileSystem(URI.create("jar:" + jar.toUri()), Map.of())) {
            Files.delete(fs.getPath(SVC + "model/ListOthersRequest.class"));
        }
        // without the uncalled operation's request class, the client that names it cannot even be loaded
        assertThat(java(dir, "-cp", jar.toString(), "io.app.App")).doesNotStartWith("0:").contains("ListOthersRequest");
    }
}

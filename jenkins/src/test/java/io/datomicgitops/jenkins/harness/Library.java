package io.datomicgitops.jenkins.harness;

import com.cloudbees.groovy.cps.CpsTransformer;
import com.cloudbees.groovy.cps.NonCPS;
import groovy.lang.GroovyClassLoader;
import groovy.lang.Script;
import org.codehaus.groovy.control.CompilerConfiguration;
import org.codehaus.groovy.control.customizers.ImportCustomizer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The shared library as Jenkins loads it: {@code src/} on the class path and {@code vars/*.groovy} compiled as
 * scripts, all through one class loader whose compiler applies the CPS transformation (so {@code src/} classes are
 * CPS-transformed too, as in Jenkins), with the Groovy on the test class path (2.4.21, the line Jenkins bundles).
 */
public final class Library {
    private final Path root;
    private final GroovyClassLoader loader;
    private final Map<String, Class<?>> vars = new TreeMap<>();
    private final Class<?> harnessSteps;

    public Library(Path root) {
        this.root = root.toAbsolutePath().normalize();
        CompilerConfiguration config = new CompilerConfiguration();
        config.setScriptBaseClass(PipelineScript.class.getName());
        config.addCompilationCustomizers(new ImportCustomizer()
                .addImports(NonCPS.class.getName(), org.jenkinsci.plugins.workflow.libs.Library.class.getName()));
        config.addCompilationCustomizers(new CpsTransformer());
        config.setSourceEncoding("UTF-8");
        loader = new GroovyClassLoader(Library.class.getClassLoader(), config);
        loader.addClasspath(this.root.resolve("src").toString());
        Path varsDir = this.root.resolve("vars");
        if (Files.isDirectory(varsDir)) {
            try (Stream<Path> files = Files.list(varsDir)) {
                files.filter(f -> f.getFileName().toString().endsWith(".groovy")).sorted().forEach(f -> {
                    String name = f.getFileName().toString().replaceFirst("\\.groovy$", "");
                    vars.put(name, loader.parseClass(read(f), name + ".groovy"));
                });
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        harnessSteps = loader.parseClass(resource("/harness/HarnessSteps.groovy"), "HarnessSteps.groovy");
    }

    public Path root() { return root; }

    public ClassLoader classLoader() { return loader; }

    public java.util.Set<String> globalVariableNames() { return vars.keySet(); }

    /** A fresh instance of the global variable NAME (vars/NAME.groovy), or null. */
    Object globalVariable(String name) {
        Class<?> c = vars.get(name);
        if (c == null) return null;
        return newInstance(c);
    }

    Object harnessSteps() {
        return newInstance(harnessSteps);
    }

    /** Compiles a Jenkinsfile (or any pipeline script) with this library's compiler. */
    public Script parse(String text, String fileName) {
        return (Script) newInstance(loader.parseClass(text, fileName));
    }

    private static Object newInstance(Class<?> c) {
        try {
            return c.getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot instantiate " + c, e);
        }
    }

    static String read(Path f) {
        try {
            return Files.readString(f, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String resource(String name) {
        try (var in = Library.class.getResourceAsStream(name)) {
            if (in == null) throw new IllegalStateException("missing harness resource " + name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

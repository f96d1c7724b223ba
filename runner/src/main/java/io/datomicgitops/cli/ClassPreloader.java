package io.datomicgitops.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The training run of the class-data sharing archive that bin/datomic-gitops builds once per jar and JDK: loads,
 * without initialising them, the classes the runner's commands load (a list recorded from real runs by
 * {@code bench/run --class-list}), so that a JVM started with {@code -XX:ArchiveClassesAtExit} archives all of them
 * whichever command happens to run first. No static initialiser runs, no AWS call is made, no file is written.
 */
public final class ClassPreloader {
    /** One binary class name per line ({@code a/b/C} or {@code a.b.C}); {@code #} comments and blank lines ignored. */
    static final String LIST = "/io/datomicgitops/cds-classes.txt";

    private ClassPreloader() {}

    /** How many listed classes were loaded, and how many are not in this jar or JDK (a list older than the code). */
    record Result(int loaded, int missing) {}

    public static void main(String[] args) {
        try (InputStream in = ClassPreloader.class.getResourceAsStream(LIST)) {
            if (in == null) {
                System.err.println("class list " + LIST + " is missing from the jar");
                System.exit(1);
            }
            Result r = preload(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)), ClassPreloader.class.getClassLoader());
            System.out.println("loaded " + r.loaded() + " classes (" + r.missing() + " listed but absent)");
            System.exit(r.loaded() > 0 ? 0 : 1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Result preload(BufferedReader list, ClassLoader loader) throws IOException {
        int loaded = 0;
        int missing = 0;
        for (String line = list.readLine(); line != null; line = list.readLine()) {
            String name = line.strip();
            if (name.isEmpty() || name.startsWith("#")) continue;
            try {
                Class.forName(name.replace('/', '.'), false, loader);
                loaded++;
            } catch (ClassNotFoundException | LinkageError e) {
                missing++;
            }
        }
        return new Result(loaded, missing);
    }
}

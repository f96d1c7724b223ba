package io.datomicgitops.cli;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class ClassPreloaderTest {
    static boolean initialised;

    static final class WithInitialiser {
        static {
            initialised = true;
        }
    }

    @Test
    void loadsListedClassesWithoutInitialisingThemAndCountsAbsentOnes() throws Exception {
        String list = """
                # recorded by bench/run --class-list
                io/datomicgitops/ExitCode
                java.util.concurrent.ConcurrentSkipListMap

                io/datomicgitops/cli/ClassPreloaderTest$WithInitialiser
                io/datomicgitops/NoSuchClassAnyMore
                """;
        ClassPreloader.Result r = ClassPreloader.preload(new BufferedReader(new StringReader(list)), getClass().getClassLoader());

        assertThat(r).isEqualTo(new ClassPreloader.Result(3, 1));
        assertThat(initialised).as("a static initialiser must not run in the training run").isFalse();
    }

    @Test
    void theBundledListMostlyNamesClassesThatExist() throws Exception {
        try (InputStream in = ClassPreloader.class.getResourceAsStream(ClassPreloader.LIST)) {
            assertThat(in).as(ClassPreloader.LIST).isNotNull();
            ClassPreloader.Result r = ClassPreloader.preload(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)),
                    getClass().getClassLoader());
            // a few stale names only cost start-up time; many mean the list needs recording again (bench/run --class-list)
            assertThat(r.loaded()).isGreaterThan(1000);
            assertThat(r.missing()).isLessThan(r.loaded() / 10);
        }
    }
}

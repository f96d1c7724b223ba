package io.datomicgitops.template;

import com.fasterxml.jackson.databind.JsonNode;
import io.datomicgitops.config.PropertiesFile;
import io.datomicgitops.report.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The template test cases: a folder per case under src/test/resources/io/datomicgitops/template/. */
public record TemplateFixtures(String name, String launch) {
    public static final Path DIR = Path.of("src/test/resources/io/datomicgitops/template");

    /** Every golden case, with the launch mode it is generated in. */
    public static List<TemplateFixtures> all() {
        return List.of(
                new TemplateFixtures("minimal-ddb", TemplateOptions.LAUNCH_TEMPLATE),
                new TemplateFixtures("ha", TemplateOptions.LAUNCH_TEMPLATE),
                new TemplateFixtures("custom-ami", TemplateOptions.LAUNCH_TEMPLATE),
                new TemplateFixtures("vpc-subnets", TemplateOptions.LAUNCH_TEMPLATE),
                new TemplateFixtures("launch-configuration", TemplateOptions.LAUNCH_CONFIGURATION),
                new TemplateFixtures("secrets", TemplateOptions.LAUNCH_TEMPLATE));
    }

    public static TemplateFixtures named(String name) {
        return all().stream().filter(f -> f.name.equals(name)).findFirst().orElseThrow();
    }

    public Path dir() {
        return DIR.resolve(name);
    }

    public Path txPath() {
        return dir().resolve("transactor.properties");
    }

    public Path cfPath() {
        return dir().resolve("cf.properties");
    }

    public Path golden() {
        return dir().resolve("cf.json");
    }

    /** Read with the names an operator sees in errors: transactor.properties, cf.properties. */
    public PropertiesFile tx() {
        return parse(txPath(), "transactor.properties");
    }

    public PropertiesFile cf() {
        return parse(cfPath(), "cf.properties");
    }

    public TemplateOptions options() {
        return new TemplateOptions(launch);
    }

    public GeneratedTemplate generate() {
        return new TemplateGenerator().generate(tx(), cf(), options());
    }

    public static JsonNode tree(GeneratedTemplate t) {
        try {
            return Json.mapper().readTree(t.json());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static PropertiesFile parse(Path path, String name) {
        try {
            return PropertiesFile.parse(name, Files.readAllBytes(path));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String toString() {
        return name;
    }
}

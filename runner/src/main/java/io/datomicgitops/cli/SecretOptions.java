package io.datomicgitops.cli;

import io.datomicgitops.config.SecretSources;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** The secret allow-list: where the properties files' placeholders may take secrets from, set outside the config repo. */
public final class SecretOptions {
    @Option(names = "--secret-env", paramLabel = "NAME",
            description = "an environment variable ${env:NAME} placeholders may name (repeatable; default: the DATOMIC_* variables; "
                    + "never AWS_* nor DATOMIC_GITOPS_*)")
    List<String> envNames = new ArrayList<>();

    @Option(names = "--secret-dir", paramLabel = "DIR",
            description = "a directory ${file:/path} placeholders may read under (repeatable; default: none)")
    List<Path> dirs = new ArrayList<>();

    SecretSources sources() {
        return new SecretSources(Set.copyOf(envNames), dirs);
    }
}

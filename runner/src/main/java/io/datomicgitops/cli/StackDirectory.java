package io.datomicgitops.cli;

import io.datomicgitops.config.DeploySettings;
import io.datomicgitops.config.PropertiesFile;
import io.datomicgitops.configrepo.StackFolder;
import io.datomicgitops.configrepo.StackSettings;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The single-step commands' way to a stack's settings: the stack folder they were pointed at (or the files next to
 * their input), resolved by {@link StackSettings} exactly as the flow resolves them.
 */
final class StackDirectory {
    private StackDirectory() {}

    /** A stack folder given with --stack-dir (it must hold a deploy.properties), or none. */
    static StackSettings settings(BaseCommand cmd, Path stackDir, StackSettings.Overrides overrides) {
        if (stackDir == null) return settings(cmd, Optional.empty(), Optional.empty(), overrides);
        return settings(cmd, Optional.of(DeploySettings.read(stackDir)), Optional.of(stackDir.resolve(StackFolder.CF)), overrides);
    }

    /** The deploy.properties and cf.properties beside a command's input, each read when it exists. */
    static StackSettings settings(BaseCommand cmd, Path deployFile, Path cfFile, StackSettings.Overrides overrides) {
        Optional<DeploySettings> deploy = Optional.ofNullable(deployFile).filter(Files::exists)
                .map(f -> DeploySettings.from(PropertiesFile.read(f)));
        return settings(cmd, deploy, Optional.ofNullable(cfFile), overrides);
    }

    private static StackSettings settings(BaseCommand cmd, Optional<DeploySettings> deploy, Optional<Path> cfFile,
                                          StackSettings.Overrides overrides) {
        Optional<String> cfRegion = cfFile.filter(Files::exists).flatMap(f -> PropertiesFile.read(f).get("aws-region"));
        return new StackSettings(deploy, overrides, cfRegion, cmd.aws.settings(cmd.env()), cmd.env());
    }
}

package io.datomicgitops.configrepo;

import java.nio.file.Path;

/**
 * One stack's folder in the config repo ({@code stacks/<name>/}): Datomic's two properties files, the generated
 * template, the deployment settings and the last deployment record.
 */
public record StackFolder(String name, Path repoRoot) {
    public static final String STACKS_DIR = "stacks";
    public static final String TRANSACTOR = "transactor.properties";
    public static final String CF = "cf.properties";
    public static final String TEMPLATE = "cf.json";
    public static final String DEPLOY = "deploy.properties";
    public static final String RECORD = "deployment.json";

    public Path dir() {
        return repoRoot.resolve(STACKS_DIR).resolve(name);
    }

    /** The folder relative to the repo root, '/'-separated, as git names it. */
    public String relativeDir() {
        return STACKS_DIR + "/" + name;
    }

    public Path file(String fileName) {
        return dir().resolve(fileName);
    }

    /** A file's path relative to the repo root, as git names it. */
    public String gitPath(String fileName) {
        return relativeDir() + "/" + fileName;
    }
}

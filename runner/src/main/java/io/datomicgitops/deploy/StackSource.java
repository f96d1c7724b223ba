package io.datomicgitops.deploy;

import java.util.Optional;

/** Where a stack's configuration comes from, for the stack's tags: the config repo and the commit of its template. */
public record StackSource(Optional<String> repoUrl, Optional<String> templateCommit) {
    public static StackSource none() {
        return new StackSource(Optional.empty(), Optional.empty());
    }
}

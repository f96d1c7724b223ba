package io.datomicgitops.configrepo;

import java.util.Optional;

/** Where a stack's configuration comes from, for the stack's tags: the config repo and the commit of its template. */
public record StackSource(Optional<String> repoUrl, Optional<String> templateCommit) {
    public static StackSource none() {
        return new StackSource(Optional.empty(), Optional.empty());
    }

    /** The clone's remote and the last commit of the stack's cf.json. */
    public static StackSource of(io.datomicgitops.git.GitRepo repo, StackFolder folder) {
        return new StackSource(Optional.ofNullable(repo.remoteUrl()), repo.lastCommitTouching(folder.gitPath(StackFolder.TEMPLATE)));
    }
}

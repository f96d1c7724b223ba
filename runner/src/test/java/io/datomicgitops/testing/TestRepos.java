package io.datomicgitops.testing;

import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.PersonIdent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Real git repositories on disk for tests: a bare "remote" and clones of it acting as other people. */
public final class TestRepos {
    public static final PersonIdent OPERATOR = new PersonIdent("Olga Operator", "olga@example.com");

    private TestRepos() {}

    /** A bare repository whose branch holds the given files in one commit. */
    public static Path bareWith(Path root, String branch, Map<String, String> files) throws IOException, GitAPIException {
        Path bare = root.resolve("remote.git");
        Git.init().setBare(true).setInitialBranch(branch).setDirectory(bare.toFile()).call().close();
        Path seed = root.resolve("seed");
        try (Git git = Git.cloneRepository().setURI(bare.toUri().toString()).setDirectory(seed.toFile()).call()) {
            git.checkout().setOrphan(true).setName(branch).call();
            commitFiles(git, files, "initial config");
            git.push().setRemote("origin").add(branch).call();
        }
        return bare;
    }

    /** Another person's clone that commits and pushes a change. */
    public static String pushChange(Path bare, Path workdir, String branch, Map<String, String> files, String message)
            throws IOException, GitAPIException {
        try (Git git = Files.exists(workdir)
                ? Git.open(workdir.toFile())
                : Git.cloneRepository().setURI(bare.toUri().toString()).setBranch(branch).setDirectory(workdir.toFile()).call()) {
            git.pull().call();
            String id = commitFiles(git, files, message);
            git.push().setRemote("origin").add(branch).call();
            return id;
        }
    }

    public static String commitFiles(Git git, Map<String, String> files, String message) throws IOException, GitAPIException {
        Path dir = git.getRepository().getWorkTree().toPath();
        for (var e : files.entrySet()) {
            Path p = dir.resolve(e.getKey());
            Files.createDirectories(p.getParent());
            Files.writeString(p, e.getValue());
            git.add().addFilepattern(e.getKey()).call();
        }
        return git.commit().setMessage(message).setAuthor(OPERATOR).setCommitter(OPERATOR).setSign(false).call().name();
    }
}

package io.datomicgitops.jenkins.harness;

import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.MergeCommand;
import org.eclipse.jgit.api.MergeResult;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.StoredConfig;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.transport.RefSpec;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A multibranch job's git SCM, as the {@code scm} global gives it (the git plugin's GitSCM: its remote configs),
 * and what {@code checkout scm} does with it: fetch the ref Jenkins builds (a branch, or {@code refs/pull/N/head} of
 * a pull request, which is how a fork's commits reach the base repository) and, for a pull request built with the
 * merge strategy, merge it into its target, a commit that exists only in the workspace. The harness fetches from a
 * local path to the same repository that the URL names.
 */
public final class GitScm implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final PersonIdent JENKINS = new PersonIdent("Jenkins", "nobody@nowhere");

    private final String url;
    private final String source;
    private final String ref;
    private final String name;
    private final String mergeTarget;

    private GitScm(String url, Path source, String ref, String name, String mergeTarget) {
        this.url = url;
        this.source = source.toAbsolutePath().toString();
        this.ref = ref;
        this.name = name;
        this.mergeTarget = mergeTarget;
    }

    /** A branch job: BRANCH at URL (fetched from SOURCE). */
    public static GitScm branch(String url, Path source, String branch) {
        return new GitScm(url, source, "refs/heads/" + branch, branch, null);
    }

    /** A pull request job, merge strategy: refs/pull/NUMBER/head merged into TARGET (GitHub's default). */
    public static GitScm pullRequestMerged(String url, Path source, int number, String target) {
        return new GitScm(url, source, "refs/pull/" + number + "/head", "PR-" + number, target);
    }

    /** The remote configs, as GitSCM.getUserRemoteConfigs() gives them (one: origin). */
    public List<RemoteConfig> getUserRemoteConfigs() {
        return List.of(new RemoteConfig(url, "origin", "+" + ref + ":refs/remotes/origin/" + name));
    }

    /** GitSCM's UserRemoteConfig: the properties a Jenkinsfile reads. */
    public static final class RemoteConfig implements Serializable {
        private static final long serialVersionUID = 1L;
        private final String url;
        private final String name;
        private final String refspec;

        RemoteConfig(String url, String name, String refspec) {
            this.url = url;
            this.name = name;
            this.refspec = refspec;
        }

        public String getUrl() { return url; }

        public String getName() { return name; }

        public String getRefspec() { return refspec; }
    }

    /**
     * Checks out into DIR what Jenkins builds, records the build's changes (the commits since the job's previous
     * build, as the git plugin's changelog), and returns what the checkout step returns: GIT_URL, GIT_COMMIT,
     * GIT_BRANCH, GIT_PREVIOUS_COMMIT (when there was a previous build).
     */
    Map<String, String> checkout(Path dir, Build build) throws IOException, GitAPIException {
        Files.createDirectories(dir);
        try (Git git = Files.isDirectory(dir.resolve(".git")) ? Git.open(dir.toFile()) : Git.init().setDirectory(dir.toFile()).call()) {
            Repository repo = git.getRepository();
            StoredConfig config = repo.getConfig();
            config.setString("remote", "origin", "url", source);
            // the merge commit of a pull request is Jenkins', as the git plugin's
            config.setString("user", null, "name", JENKINS.getName());
            config.setString("user", null, "email", JENKINS.getEmailAddress());
            config.save();
            List<RefSpec> specs = new ArrayList<>(List.of(new RefSpec("+" + ref + ":refs/remotes/origin/" + name)));
            if (mergeTarget != null) specs.add(new RefSpec("+refs/heads/" + mergeTarget + ":refs/remotes/origin/" + mergeTarget));
            git.fetch().setRemote("origin").setRefSpecs(specs).call();
            ObjectId head = repo.resolve("refs/remotes/origin/" + name);
            ObjectId commit = head;
            if (mergeTarget != null) {
                ObjectId target = repo.resolve("refs/remotes/origin/" + mergeTarget);
                git.checkout().setName(target.name()).setForced(true).call();
                MergeResult merged = git.merge().include(head).setFastForward(MergeCommand.FastForwardMode.NO_FF)
                        .setCommit(true).setMessage("Merge commit '" + head.name() + "' into HEAD").call();
                if (!merged.getMergeStatus().isSuccessful()) {
                    throw new hudson.AbortException("Merge conflict: " + head.name() + " into " + mergeTarget);
                }
                commit = merged.getNewHead();
            } else {
                git.checkout().setName(head.name()).setForced(true).call();
            }
            Map<String, String> vars = new LinkedHashMap<>();
            vars.put("GIT_BRANCH", name);
            vars.put("GIT_COMMIT", commit.name());
            String previous = build.previousBuildsCommit();
            if (previous != null) {
                vars.put("GIT_PREVIOUS_COMMIT", previous);
                ObjectId prev = repo.resolve(previous);
                // the change log is the first checkout's (the git plugin records one per checkout; the harness one)
                if (build.builtCommit() == null && prev != null && repo.getObjectDatabase().has(prev)) {
                    List<Change> changes = new ArrayList<>();
                    for (RevCommit c : git.log().addRange(prev, commit).call()) {
                        // GitChangeSet's "author" is the commit's committer unless the git plugin's global setting
                        // "Use commit author in changelog" (authorOrCommitter) is on: the default is modelled
                        PersonIdent who = c.getCommitterIdent();
                        changes.add(new Change(c.name(), who.getName(), who.getEmailAddress(), c.getShortMessage()));
                    }
                    build.addChanges(changes);
                }
            }
            vars.put("GIT_URL", url);
            if (build.builtCommit() == null) build.setBuiltCommit(commit.name());
            build.log("Checking out Revision " + commit.name() + " (" + name + ")");
            return vars;
        }
    }

    /**
     * One entry of a build's change log: the commit, and its "author" as the git plugin reports it by default (the
     * commit's committer): a Jenkins user id (getAuthor().getId()) and an email (getAuthorEmail()).
     */
    public record Change(String commitId, String authorId, String authorEmail, String msg) implements Serializable {}

    @Override
    public String toString() {
        return "GitSCM " + url + " " + ref + (mergeTarget == null ? "" : " merged into " + mergeTarget);
    }
}

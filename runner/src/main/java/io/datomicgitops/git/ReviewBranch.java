package io.datomicgitops.git;

import io.datomicgitops.ExitCode;
import io.datomicgitops.ToolException;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheBuilder;
import org.eclipse.jgit.dircache.DirCacheEditor;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.transport.PushResult;
import org.eclipse.jgit.transport.RefLeaseSpec;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.RemoteRefUpdate;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A branch the tool pushes for a person to review (drift's {@code drift/<stack>}): one commit on top of the clone's
 * HEAD, built without touching the working tree. The branch is the tool's only while it holds nothing but the tool's
 * commits of the same kind (the same Phase and Stack trailers, the tool's committer): then a newer commit replaces
 * them, pushed with a lease on the commit read, so a push that lands in between is never overwritten. Anyone else's
 * commit on it makes it theirs: the push is refused, naming that commit.
 */
public final class ReviewBranch {
    /** What the push did to the branch. */
    public enum Outcome { CREATED, UPDATED, UP_TO_DATE }

    /** The branch, what happened to it and the commit it now points at. */
    public record Pushed(String branch, Outcome outcome, String commit) {}

    private final GitRepo repo;
    private final Path clone;
    private final GitAuth auth;
    private final Map<String, String> env;

    public ReviewBranch(GitRepo repo, GitAuth auth, Map<String, String> env) {
        this.repo = repo;
        this.clone = repo.directory();
        this.auth = auth;
        this.env = env;
    }

    /** Pushes {@code branch} as HEAD plus these files (path in the repository to text), with this message. */
    public Pushed push(String branch, Map<String, String> files, CommitMessage message, PersonIdent committer) {
        String ref = Constants.R_HEADS + branch;
        try (Git git = Git.open(clone.toFile(), NoHooks.FS)) {
            Repository repo = git.getRepository();
            String url = repo.getConfig().getString("remote", GitRepo.REMOTE, "url");
            Optional<RevCommit> remote = fetch(git, branch, url);
            // the branch's commits since it left HEAD's line may lie behind a shallow clone's edge: the walk needs them all
            if (remote.isPresent()) this.repo.fetchWholeHistory();
            try (RevWalk walk = new RevWalk(repo); ObjectInserter inserter = repo.newObjectInserter()) {
                RevCommit base = walk.parseCommit(repo.resolve(Constants.HEAD));
                if (remote.isPresent()) refuseOthersCommits(walk, remote.get(), base, message, committer, branch, url);
                ObjectId tree = tree(repo, inserter, base, files);
                if (remote.isPresent()) {
                    RevCommit tip = walk.parseCommit(remote.get());
                    if (tip.getTree().equals(tree) && tip.getParentCount() == 1 && tip.getParent(0).equals(base)) {
                        return new Pushed(branch, Outcome.UP_TO_DATE, tip.name());
                    }
                }
                CommitBuilder commit = new CommitBuilder();
                commit.setTreeId(tree);
                commit.setParentId(base);
                commit.setAuthor(committer);
                commit.setCommitter(committer);
                commit.setMessage(message.text());
                ObjectId id = inserter.insert(commit);
                inserter.flush();
                pushOnce(git, id, ref, remote.map(RevCommit::getId), url);
                return new Pushed(branch, remote.isPresent() ? Outcome.UPDATED : Outcome.CREATED, id.name());
            }
        } catch (IOException e) {
            throw new ToolException(ExitCode.GIT, "cannot build the commit of " + branch + ": " + e.getMessage(), clone.toString(),
                    "check the clone (disk full? permissions?)", e);
        }
    }

    /** The remote branch's commit, fetched, when the branch exists. */
    private Optional<RevCommit> fetch(Git git, String branch, String url) throws IOException {
        String ref = Constants.R_HEADS + branch;
        try {
            Optional<Ref> there = auth.apply(git.lsRemote().setRemote(GitRepo.REMOTE).setHeads(true), env).call().stream()
                    .filter(r -> r.getName().equals(ref)).findFirst();
            if (there.isEmpty()) return Optional.empty();
            String tracking = Constants.R_REMOTES + GitRepo.REMOTE + "/" + branch;
            auth.apply(git.fetch().setRemote(GitRepo.REMOTE).setRefSpecs(new RefSpec("+" + ref + ":" + tracking)), env).call();
            try (RevWalk walk = new RevWalk(git.getRepository())) {
                return Optional.of(walk.parseCommit(there.get().getObjectId()));
            }
        } catch (GitAPIException e) {
            throw GitRepo.translate(e, url, branch);
        }
    }

    /**
     * Refuses a branch with a commit that is not the tool's of this kind among those HEAD lacks: someone reviewed and
     * added to it, or took the name for something else.
     */
    private static void refuseOthersCommits(RevWalk walk, RevCommit tip, RevCommit base, CommitMessage message, PersonIdent committer,
                                            String branch, String url) throws IOException {
        String text = message.text();
        Optional<String> phase = CommitMessage.trailerOf(text, "Phase");
        Optional<String> stack = CommitMessage.trailerOf(text, "Stack");
        List<String> theirs = new ArrayList<>();
        walk.reset();
        walk.markStart(walk.parseCommit(tip));
        walk.markUninteresting(walk.parseCommit(base));
        for (RevCommit c : walk) {
            String m = c.getFullMessage();
            boolean ours = Objects.equals(c.getCommitterIdent().getEmailAddress(), committer.getEmailAddress())
                    && CommitMessage.trailerOf(m, "Phase").equals(phase) && CommitMessage.trailerOf(m, "Stack").equals(stack);
            if (!ours) theirs.add(c.name().substring(0, 10) + " (" + c.getAuthorIdent().getName() + ": " + c.getShortMessage() + ")");
        }
        walk.reset();
        if (!theirs.isEmpty()) {
            throw new ToolException(ExitCode.GIT, "the branch " + branch + " holds commits that are not the tool's: " + String.join(", ", theirs)
                    + "; it was not pushed over", url,
                    "those commits are someone's review work: merge or close that branch's review, or delete the branch, then run again");
        }
    }

    /** The base commit's tree with these files written (regular files, as the tool writes them). */
    private static ObjectId tree(Repository repo, ObjectInserter inserter, RevCommit base, Map<String, String> files) throws IOException {
        DirCache index = DirCache.newInCore();
        DirCacheBuilder builder = index.builder();
        try (ObjectReader reader = repo.newObjectReader()) {
            builder.addTree(new byte[0], DirCacheEntry.STAGE_0, reader, base.getTree());
        }
        builder.finish();
        DirCacheEditor editor = index.editor();
        for (Map.Entry<String, String> f : files.entrySet()) {
            ObjectId blob = inserter.insert(Constants.OBJ_BLOB, f.getValue().getBytes(StandardCharsets.UTF_8));
            editor.add(new DirCacheEditor.PathEdit(f.getKey()) {
                @Override
                public void apply(DirCacheEntry entry) {
                    entry.setFileMode(FileMode.REGULAR_FILE);
                    entry.setObjectId(blob);
                }
            });
        }
        editor.finish();
        return index.writeTree(inserter);
    }

    /** Creates the branch (never over one that appeared meanwhile) or moves it from the commit read, and nothing else. */
    private void pushOnce(Git git, ObjectId commit, String ref, Optional<ObjectId> expected, String url) {
        try {
            var push = git.push().setRemote(GitRepo.REMOTE).setRefSpecs(new RefSpec((expected.isPresent() ? "+" : "") + commit.name() + ":" + ref));
            expected.ifPresent(old -> push.setRefLeaseSpecs(new RefLeaseSpec(ref, old.name())));
            for (PushResult r : auth.apply(push, env).call()) {
                RemoteRefUpdate u = r.getRemoteUpdate(ref);
                if (u == null) continue;
                if (u.getStatus() == RemoteRefUpdate.Status.OK || u.getStatus() == RemoteRefUpdate.Status.UP_TO_DATE) return;
                throw new ToolException(ExitCode.GIT, "push of " + ref + " was rejected (" + u.getStatus()
                        + (u.getMessage() == null ? "" : ": " + u.getMessage()) + ")", url,
                        "someone pushed to it meanwhile, or the credentials may not push it: look at the branch, then run again");
            }
            throw new ToolException(ExitCode.GIT, "push of " + ref + " got no answer for the branch", url, "run again");
        } catch (GitAPIException e) {
            throw GitRepo.translate(e, url, ref);
        }
    }
}

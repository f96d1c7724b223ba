package io.datomicgitops.git;

import io.datomicgitops.CommandLines;
import io.datomicgitops.ExitCode;
import io.datomicgitops.ToolException;
import io.datomicgitops.config.Redactor;
import io.datomicgitops.report.Log;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.RebaseCommand;
import org.eclipse.jgit.api.RebaseResult;
import org.eclipse.jgit.api.ResetCommand;
import org.eclipse.jgit.api.Status;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.api.errors.InvalidRemoteException;
import org.eclipse.jgit.api.errors.RefNotAdvertisedException;
import org.eclipse.jgit.api.errors.TransportException;
import org.eclipse.jgit.diff.DiffEntry;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.transport.PushResult;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.RemoteRefUpdate;
import org.eclipse.jgit.treewalk.CanonicalTreeParser;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The config repo's working copy: clone or update, commit chosen files, push fast-forward only (fetch, rebase the
 * tool's own commits and retry when the remote moved; stop on a real conflict with both commits named), tag.
 * Nothing here ever force-pushes or discards a local change.
 */
public final class GitRepo implements AutoCloseable {
    public static final String REMOTE = "origin";

    private final Git git;
    private final GitAuth auth;
    private final Map<String, String> env;
    private final Log log;
    private CloneLock cloneLock;
    /** Set when a deepening fetch brought nothing more: the shallow edge left is history the remote does not serve. */
    private volatile boolean historyComplete;

    private GitRepo(Git git, GitAuth auth, Map<String, String> env, Log log) {
        this.git = git;
        this.auth = auth;
        this.env = env;
        this.log = log;
        registerCredentials(remoteUrl());
        gcInTheForeground(git.getRepository());
    }

    /**
     * JGit runs the gc a fetch triggers (too many loose objects, or ~50 fetched packs) on a background thread unless
     * gc.autoDetach is false: it would hold gc.log.lock and rewrite packs and refs while this run goes on (and
     * {@link #takeOverFromKilledRun} clears lock files), and outlive the command or die half-way when the JVM exits
     * (the next checkout failed on .git/gc.log.lock). In the foreground it is done before the fetch returns, under
     * the clone lock. Set in memory only: the clone's config file is left as it is.
     */
    private static void gcInTheForeground(org.eclipse.jgit.lib.Repository repository) {
        repository.getConfig().setBoolean(org.eclipse.jgit.lib.ConfigConstants.CONFIG_GC_SECTION, null,
                org.eclipse.jgit.lib.ConfigConstants.CONFIG_KEY_AUTODETACH, false);
    }

    /**
     * A URL may carry a credential (https://user:token@host/repo, or a token as the user of an https URL): it is a
     * secret like --token-env's, so every output masks it, whichever line or stack trace the URL appears in.
     */
    static void registerCredentials(String url) {
        if (url == null) return;
        try {
            org.eclipse.jgit.transport.URIish uri = new org.eclipse.jgit.transport.URIish(url);
            if (uri.getPass() != null) {
                Redactor.global().register(uri.getPass());
            } else if (uri.getUser() != null && uri.getScheme() != null && uri.getScheme().startsWith("http")) {
                Redactor.global().register(uri.getUser());
            }
        } catch (java.net.URISyntaxException e) {
            // not a URL git can use: the clone fails with its own error, and there is no credential to find
        }
    }

    /** Opens an existing working copy. */
    public static GitRepo open(Path dir, GitAuth auth, Map<String, String> env, Log log) {
        try {
            return new GitRepo(Git.open(dir.toFile(), NoHooks.FS), auth, env, log);
        } catch (IOException e) {
            throw new ToolException(ExitCode.GIT, "not a git working copy", dir.toString(), notACloneTodo(dir));
        }
    }

    /** The checkout that makes dir a clone; only the config repo's URL is the operator's to fill in. */
    static String notACloneTodo(Path dir) {
        return "clone the config repo there first: " + CommandLines.of("datomic-gitops", "checkout", "--dir",
                dir.toAbsolutePath().normalize().toString()) + " --repo URL (URL: the config repo's; add --branch BRANCH unless it is main)";
    }

    /**
     * Clones the branch into dir, or, when dir already holds a clone, fetches and resets it to the remote branch.
     * Refuses (instead of discarding) uncommitted changes and local commits that the remote does not have.
     */
    public static GitRepo checkout(String url, String branch, Path dir, GitAuth auth, Map<String, String> env, Log log) {
        return checkout(url, branch, dir, Optional.empty(), auth, env, log);
    }

    /**
     * {@link #checkout(String, String, Path, GitAuth, Map, Log)}, a new clone holding only the last {@code depth}
     * commits of each branch (and each tag's commit): a shallow clone. Its reads of history fetch what they need beyond
     * that ({@link #withHistory}). An existing clone keeps the history it has and fetches the new commits.
     */
    public static GitRepo checkout(String url, String branch, Path dir, Optional<Integer> depth, GitAuth auth, Map<String, String> env,
                                   Log log) {
        registerCredentials(url);
        boolean existing = Files.isDirectory(dir.resolve(".git"));
        if (!existing && Files.exists(dir) && !isEmptyDirectory(dir)) {
            throw new ToolException(ExitCode.GIT, "the directory exists and is not a git clone", dir.toString(),
                    "choose an empty or new --dir");
        }
        if (!existing) {
            log.progress("git: cloning " + url + " (" + branch + ") into " + dir + depth.map(d -> ", the last " + d + " commit(s)").orElse(""));
            try {
                // every branch: a pull request's plan compares with its target branch (--since origin/main); every tag
                // (a shallow clone too: deploy/<stack>/... tags are the stacks' history)
                var clone = Git.cloneRepository().setFs(NoHooks.FS).setURI(url).setBranch(branch).setDirectory(dir.toFile());
                depth.ifPresent(clone::setDepth);
                Git git = auth.apply(clone, env).call();
                if (git.getRepository().resolve(Constants.HEAD) == null) {
                    git.close();
                    throw branchNotFound(url, branch);
                }
                return new GitRepo(git, auth, env, log);
            } catch (GitAPIException e) {
                throw translate(e, url, branch);
            } catch (IOException e) {
                throw new ToolException(ExitCode.GIT, "clone failed: " + e.getMessage(), url, "check the URL and the disk", e);
            }
        }
        GitRepo repo = open(dir, auth, env, log);
        repo.updateTo(url, branch);
        return repo;
    }

    private void updateTo(String url, String branch) {
        takeOverFromKilledRun().forEach(line -> log.progress("git: " + line));
        try {
            List<String> dirty = uncommittedChanges();
            if (!dirty.isEmpty()) {
                throw new ToolException(ExitCode.GIT, "the working copy has uncommitted changes: " + String.join(", ", dirty),
                        directory().toString(), "commit or remove them; nothing is discarded automatically");
            }
            String origin = git.getRepository().getConfig().getString("remote", REMOTE, "url");
            if (origin != null && !origin.equals(url)) {
                throw new ToolException(ExitCode.GIT, "the clone's origin is " + origin + ", not " + url, directory().toString(),
                        "use another --dir, or the URL the clone was made from");
            }
            refuseCommitsTheRemoteDropped();
            log.progress("git: fetching " + branch + " from " + url);
            fetch(branch);
            ObjectId remote = git.getRepository().resolve(remoteRef(branch));
            if (remote == null) throw branchNotFound(url, branch);
            ObjectId local = git.getRepository().resolve(Constants.R_HEADS + branch);
            if (local != null && !isAncestor(local, remote)) {
                throw new ToolException(ExitCode.GIT, "local branch " + branch + " has commits the remote does not have ("
                        + local.abbreviate(10).name() + ")", directory().toString(),
                        "push them, or move them to another branch; nothing is discarded automatically");
            }
            if (local == null) {
                git.checkout().setCreateBranch(true).setName(branch).setStartPoint(remoteRef(branch)).call();
            } else {
                git.checkout().setName(branch).call();
            }
            git.reset().setMode(ResetCommand.ResetType.HARD).setRef(remoteRef(branch)).call();
        } catch (GitAPIException e) {
            throw translate(e, url, branch);
        } catch (IOException e) {
            throw new ToolException(ExitCode.GIT, "update failed: " + e.getMessage(), directory().toString(), "check the clone", e);
        }
    }

    public Path directory() {
        return git.getRepository().getWorkTree().toPath();
    }

    public String branch() {
        try {
            return git.getRepository().getBranch();
        } catch (IOException e) {
            throw new ToolException(ExitCode.GIT, "cannot read the current branch", directory().toString(), "check the clone", e);
        }
    }

    public String head() {
        try {
            ObjectId id = git.getRepository().resolve(Constants.HEAD);
            return id == null ? null : id.name();
        } catch (IOException e) {
            throw new ToolException(ExitCode.GIT, "cannot read HEAD", directory().toString(), "check the clone", e);
        }
    }

    public Path gitDirectory() {
        return git.getRepository().getDirectory().toPath();
    }

    /**
     * A commit of the clone: its id, its committer's email, its whole message, how many parents it has and the paths
     * it changed against its first parent (what the tool's own-commit check reads).
     */
    public record LocalCommit(String id, String committerEmail, String message, int parents, Set<String> paths) {
        public String describe() {
            return id.substring(0, 10) + " (" + message.lines().findFirst().orElse("") + ")";
        }

        public boolean touches(String dir) {
            return paths.stream().anyMatch(p -> p.startsWith(dir + "/"));
        }
    }

    /** Inside {@link #withHistory}: an edge commit's changes are not known until its parent is fetched. */
    private LocalCommit localCommit(RevWalk walk, ObjectReader reader, RevCommit c) throws IOException, GitAPIException {
        RevCommit commit = walk.parseCommit(c);
        if (isEdge(commit)) throw new NeedsHistory();
        CanonicalTreeParser after = new CanonicalTreeParser(null, reader, commit.getTree());
        var before = commit.getParentCount() == 0 ? new org.eclipse.jgit.treewalk.EmptyTreeIterator()
                : new CanonicalTreeParser(null, reader, walk.parseCommit(commit.getParent(0)).getTree());
        return new LocalCommit(commit.name(), commit.getCommitterIdent().getEmailAddress(), commit.getFullMessage(),
                commit.getParentCount(), Set.copyOf(diffPaths(before, after)));
    }

    /** One commit of the clone, with what it changed. */
    public LocalCommit commit(String id) {
        Repository repo = git.getRepository();
        try {
            return withHistory(() -> {
                try (RevWalk walk = new RevWalk(repo); ObjectReader reader = repo.newObjectReader()) {
                    ObjectId commit = ObjectId.fromString(id);
                    if (!repo.getObjectDatabase().has(commit) && isShallow()) throw new NeedsHistory();
                    return localCommit(walk, reader, walk.parseCommit(commit));
                }
            });
        } catch (IOException | GitAPIException | RuntimeException e) {
            throw new ToolException(ExitCode.GIT, "cannot read commit " + abbreviate(id) + ": " + e.getMessage(), directory().toString(), "check the clone", e);
        }
    }

    /**
     * The commits after {@code from} up to {@code to}, oldest first. A walk ordered by commit time lists a commit that
     * {@code from} reaches when clocks disagreed (a commit of {@code from}'s dated after {@code to}'s): each one listed
     * is checked by reachability, so none of those is taken for new.
     */
    private List<LocalCommit> range(ObjectId from, ObjectId to) throws IOException, GitAPIException {
        return withHistory(() -> rangeHeld(from, to));
    }

    /** {@link #range} in the commits the clone holds: a commit at a shallow edge, or a missing end, needs more. */
    private List<LocalCommit> rangeHeld(ObjectId from, ObjectId to) throws IOException, GitAPIException {
        if (isShallow() && !(git.getRepository().getObjectDatabase().has(from) && git.getRepository().getObjectDatabase().has(to))) {
            throw new NeedsHistory();
        }
        List<LocalCommit> out = new ArrayList<>();
        Repository repo = git.getRepository();
        try (RevWalk walk = new RevWalk(repo); ObjectReader reader = repo.newObjectReader()) {
            RevCommit since = walk.parseCommit(from);
            for (RevCommit c : git.log().addRange(from, to).call()) {
                walk.reset();
                if (!walk.isMergedInto(walk.parseCommit(c), since)) out.add(0, localCommit(walk, reader, c));
            }
        }
        return out;
    }

    /** The commits of the current branch that its remote-tracking branch does not have, oldest first. */
    public List<LocalCommit> commitsNotOnRemote() {
        try {
            ObjectId local = git.getRepository().resolve(Constants.HEAD);
            ObjectId remote = git.getRepository().resolve(remoteRef(branch()));
            if (local == null || remote == null) return List.of();
            return range(remote, local);
        } catch (IOException | GitAPIException e) {
            throw new ToolException(ExitCode.GIT, "cannot compare with the remote: " + e.getMessage(), directory().toString(), "check the clone", e);
        }
    }

    /**
     * Refuses a clone that holds commits the remote's branch had once (a clone, fetch or push of this clone saw them
     * there, as the remote-tracking branch's reflog tells) and no longer has: the team force-pushed them away, e.g. to
     * purge a secret. The tool would push them back with its next commit, so it stops before any. Only the branch's
     * objects are fetched, into no ref: a refusal leaves the clone as it was.
     */
    public void refuseCommitsTheRemoteDropped() {
        List<LocalCommit> dropped = commitsTheRemoteDropped();
        if (dropped.isEmpty()) return;
        String dir = directory().toAbsolutePath().normalize().toString();
        String branch = branch();
        throw new ToolException(ExitCode.GIT, "the clone holds " + dropped.size() + " commit(s) the remote's " + branch
                + " no longer has (removed by a force-push): " + String.join(", ", dropped.stream().map(LocalCommit::describe).toList()),
                dir, "do not push them; reset the clone to the remote (" + CommandLines.of("git", "-C", dir, "fetch", REMOTE) + " then "
                        + CommandLines.of("git", "-C", dir, "reset", "--hard", REMOTE + "/" + branch) + ") or check out a fresh clone "
                        + "(datomic-gitops checkout --dir NEW_DIR)");
    }

    /** The commits of HEAD that the remote's branch no longer has although it had them once, oldest first. */
    List<LocalCommit> commitsTheRemoteDropped() {
        String branch = branch();
        Repository repo = git.getRepository();
        try {
            ObjectId head = repo.resolve(Constants.HEAD);
            ObjectId remoteNow = remoteTip(branch);
            if (head == null || remoteNow == null) return List.of();
            List<LocalCommit> notOnRemote = range(remoteNow, head);
            if (notOnRemote.isEmpty()) return List.of();
            Set<ObjectId> seen = new LinkedHashSet<>();
            ObjectId tracking = repo.resolve(remoteRef(branch));
            if (tracking != null) seen.add(tracking);
            var reflog = repo.getRefDatabase().getReflogReader(remoteRef(branch));
            if (reflog != null) {
                for (var entry : reflog.getReverseEntries()) {
                    if (!ObjectId.zeroId().equals(entry.getNewId())) seen.add(entry.getNewId());
                }
            }
            List<LocalCommit> dropped = new ArrayList<>();
            try (RevWalk walk = new RevWalk(repo)) {
                for (LocalCommit c : notOnRemote) {
                    RevCommit commit = walk.parseCommit(ObjectId.fromString(c.id()));
                    for (ObjectId was : seen) {
                        if (repo.getObjectDatabase().has(was) && walk.isMergedInto(commit, walk.parseCommit(was))) {
                            dropped.add(c);
                            break;
                        }
                    }
                }
            }
            return dropped;
        } catch (IOException | GitAPIException e) {
            throw new ToolException(ExitCode.GIT, "cannot compare with the remote: " + e.getMessage(), directory().toString(), "check the clone", e);
        }
    }

    /** The remote branch's commit now, its objects fetched into no ref (FETCH_HEAD only); null when the branch is gone. */
    private ObjectId remoteTip(String branch) {
        try {
            var result = auth.apply(git.fetch().setRemote(REMOTE).setRefSpecs(new RefSpec(Constants.R_HEADS + branch)), env).call();
            Ref ref = result.getAdvertisedRef(Constants.R_HEADS + branch);
            return ref == null ? null : ref.getObjectId();
        } catch (GitAPIException e) {
            throw translate(e, remoteUrl(), branch);
        }
    }

    /** The clone holds this commit; a shallow clone fetches history until it does or has it all. */
    public boolean contains(String commit) {
        try {
            ObjectId id = ObjectId.fromString(commit);
            return withHistory(() -> {
                boolean held = git.getRepository().getObjectDatabase().has(id);
                if (!held && isShallow()) throw new NeedsHistory();
                return held;
            });
        } catch (IllegalArgumentException e) {
            return false;
        } catch (IOException | GitAPIException e) {
            throw new ToolException(ExitCode.GIT, "cannot read the clone: " + e.getMessage(), directory().toString(), "check the clone", e);
        }
    }

    /** The commits after {@code from} up to {@code to} (both reachable here), oldest first. */
    public List<LocalCommit> commitsBetween(String from, String to) {
        try {
            return range(ObjectId.fromString(from), ObjectId.fromString(to));
        } catch (IOException | GitAPIException | RuntimeException e) {
            throw new ToolException(ExitCode.GIT, "cannot list the commits " + abbreviate(from) + ".." + abbreviate(to) + ": " + e.getMessage(),
                    directory().toString(), "check that the clone holds both commits (fetch it)", e);
        }
    }

    /**
     * For a walk made elsewhere that needs the clone's whole history (a review branch's commits since it left HEAD's
     * line, which may lie behind a shallow clone's edge): a shallow clone fetches all of it, a full clone nothing.
     */
    public void fetchWholeHistory() {
        try {
            withHistory(() -> {
                if (isShallow()) throw new NeedsHistory(true);
                return null;
            });
        } catch (IOException | GitAPIException e) {
            throw new ToolException(ExitCode.GIT, "cannot fetch the clone's history: " + e.getMessage(), directory().toString(),
                    "check the remote and the credentials", e);
        }
    }

    /** The clone's origin URL, for stack tags. */
    public String remoteUrl() {
        return git.getRepository().getConfig().getString("remote", REMOTE, "url");
    }

    /** Paths (relative, '/'-separated) that differ between rev and HEAD. */
    public Set<String> changedPaths(String rev) {
        Repository repo = git.getRepository();
        try (ObjectReader reader = repo.newObjectReader(); RevWalk walk = new RevWalk(repo)) {
            ObjectId from = withHistory(() -> {
                ObjectId tree = resolveInHistory(rev + "^{tree}");
                if (tree == null && isShallow()) throw new NeedsHistory(); // a commit older than the shallow clone
                return tree;
            });
            if (from == null) {
                throw new ToolException(ExitCode.GIT, "unknown revision " + rev, directory().toString(),
                        "pass a commit, tag or branch that exists in the clone to --since");
            }
            ObjectId to = repo.resolve(Constants.HEAD + "^{tree}");
            CanonicalTreeParser a = new CanonicalTreeParser(null, reader, from);
            CanonicalTreeParser b = new CanonicalTreeParser(null, reader, to);
            return diffPaths(a, b);
        } catch (IOException | GitAPIException e) {
            throw new ToolException(ExitCode.GIT, "cannot diff " + rev + "..HEAD: " + e.getMessage(), directory().toString(),
                    "check --since", e);
        }
    }

    /** Modified, added, removed or untracked paths. */
    public List<String> uncommittedChanges() {
        try {
            Status s = git.status().call();
            Set<String> all = new TreeSet<>();
            all.addAll(s.getModified());
            all.addAll(s.getChanged());
            all.addAll(s.getAdded());
            all.addAll(s.getRemoved());
            all.addAll(s.getMissing());
            all.addAll(s.getUntracked());
            all.addAll(s.getConflicting());
            return new ArrayList<>(all);
        } catch (GitAPIException e) {
            throw new ToolException(ExitCode.GIT, "git status failed: " + e.getMessage(), directory().toString(), "check the clone", e);
        }
    }

    /**
     * Commits exactly these paths (relative to the working copy) with the message; empty when none of them
     * changed. Other changes in the working copy are left alone.
     */
    public Optional<String> commit(Collection<String> paths, CommitMessage message, PersonIdent committer) {
        try {
            Status status = git.status().call();
            Set<String> changed = new LinkedHashSet<>();
            for (String p : paths) {
                if (status.getModified().contains(p) || status.getUntracked().contains(p) || status.getAdded().contains(p)
                        || status.getChanged().contains(p)) changed.add(p);
            }
            if (changed.isEmpty()) return Optional.empty();
            for (String p : changed) git.add().addFilepattern(p).call();
            var commit = git.commit().setMessage(message.text()).setAuthor(committer).setCommitter(committer).setSign(false);
            for (String p : changed) commit.setOnly(p);
            RevCommit c = commit.call();
            return Optional.of(c.name());
        } catch (GitAPIException e) {
            throw new ToolException(ExitCode.GIT, "commit failed: " + e.getMessage(), directory().toString(),
                    "check the clone (disk full? permissions?)", e);
        }
    }

    /** What a push did: the commit now at the remote, how many attempts (rebases) it took, and the commits it rebased onto. */
    public record PushOutcome(String head, int attempts, boolean rebased, List<Incoming> incoming) {}

    /** A remote commit this clone did not have: who made it, and the commit (what it touched, for the own-commit check). */
    public record Incoming(String author, LocalCommit commit) {
        public String id() {
            return commit.id();
        }

        public String describe() {
            return abbreviate(commit.id()) + " (" + author + ": " + commit.message().lines().findFirst().orElse("") + ")";
        }

        public boolean touches(String dir) {
            return commit.touches(dir);
        }
    }

    /** Fetches the branch; the remote commits HEAD does not have, oldest first. */
    public List<Incoming> fetchIncoming() {
        String branch = branch();
        fetch(branch);
        try {
            return incoming(branch, head());
        } catch (IOException | GitAPIException e) {
            throw new ToolException(ExitCode.GIT, "cannot compare with the remote: " + e.getMessage(), directory().toString(), "check the clone", e);
        }
    }

    /** Moves the branch and the clean working tree to the fetched remote branch, which must contain HEAD. */
    public void fastForward() {
        String branch = branch();
        try {
            ObjectId remote = git.getRepository().resolve(remoteRef(branch));
            if (remote == null || !isAncestor(git.getRepository().resolve(Constants.HEAD), remote) || !uncommittedChanges().isEmpty()) {
                throw new ToolException(ExitCode.GIT, "cannot fast-forward " + branch + " to " + remoteRef(branch), directory().toString(),
                        "check the clone for local commits or changes; nothing is discarded automatically");
            }
            git.reset().setMode(ResetCommand.ResetType.HARD).setRef(remoteRef(branch)).call();
        } catch (IOException | GitAPIException e) {
            throw new ToolException(ExitCode.GIT, "fast-forward failed: " + e.getMessage(), directory().toString(), "check the clone", e);
        }
    }

    /** The paths (old and new names) that differ between two trees. */
    private Set<String> diffPaths(org.eclipse.jgit.treewalk.AbstractTreeIterator from, org.eclipse.jgit.treewalk.AbstractTreeIterator to)
            throws GitAPIException {
        Set<String> paths = new TreeSet<>();
        for (DiffEntry d : git.diff().setOldTree(from).setNewTree(to).call()) {
            if (!DiffEntry.DEV_NULL.equals(d.getOldPath())) paths.add(d.getOldPath());
            if (!DiffEntry.DEV_NULL.equals(d.getNewPath())) paths.add(d.getNewPath());
        }
        return paths;
    }

    private List<Incoming> incoming(String branch, String local) throws IOException, GitAPIException {
        Repository repo = git.getRepository();
        ObjectId remote = repo.resolve(remoteRef(branch));
        if (remote == null) return List.of();
        return withHistory(() -> {
            List<Incoming> out = new ArrayList<>();
            try (RevWalk walk = new RevWalk(repo); ObjectReader reader = repo.newObjectReader()) {
                for (RevCommit c : git.log().addRange(ObjectId.fromString(local), remote).call()) {
                    out.add(0, new Incoming(c.getAuthorIdent().getName(), localCommit(walk, reader, c)));
                }
            }
            return out;
        });
    }

    /**
     * Pushes the current branch, fast-forward only. When the remote moved, fetches, rebases the local commits onto
     * it and tries again, up to maxAttempts; a rebase conflict stops with both commits named, the local commit kept
     * on a branch of its own.
     */
    public PushOutcome push(int maxAttempts) {
        String branch = branch();
        boolean rebased = false;
        List<Incoming> incoming = new ArrayList<>();
        for (int attempt = 1; ; attempt++) {
            RemoteRefUpdate.Status status = pushOnce(branch);
            if (status == RemoteRefUpdate.Status.OK || status == RemoteRefUpdate.Status.UP_TO_DATE) {
                return new PushOutcome(head(), attempt, rebased, List.copyOf(incoming));
            }
            if (status != RemoteRefUpdate.Status.REJECTED_NONFASTFORWARD && status != RemoteRefUpdate.Status.REJECTED_REMOTE_CHANGED) {
                throw new ToolException(ExitCode.GIT, "push of " + branch + " was rejected (" + status + ")", remoteUrl(),
                        "check that the credentials may push to " + branch + " and that no hook refuses it");
            }
            if (attempt >= maxAttempts) {
                throw new ToolException(ExitCode.GIT, "the remote branch " + branch + " kept moving; gave up after "
                        + attempt + " attempts (local commit " + shortHead() + " kept)", remoteUrl(),
                        "run again; the local commit is in " + directory());
            }
            log.progress("git: " + branch + " moved on the remote; rebasing " + shortHead() + " onto it (attempt " + (attempt + 1) + ")");
            incoming.addAll(rebaseOntoRemote(branch));
            rebased = true;
        }
    }

    private RemoteRefUpdate.Status pushOnce(String branch) {
        try {
            Iterable<PushResult> results = auth.apply(git.push().setRemote(REMOTE)
                    .setRefSpecs(new RefSpec(Constants.R_HEADS + branch + ":" + Constants.R_HEADS + branch))
                    .setForce(false), env).call();
            for (PushResult r : results) {
                RemoteRefUpdate u = r.getRemoteUpdate(Constants.R_HEADS + branch);
                if (u != null) return u.getStatus();
            }
            return RemoteRefUpdate.Status.REJECTED_OTHER_REASON;
        } catch (GitAPIException e) {
            throw translate(e, remoteUrl(), branch);
        }
    }

    /** Rebases the local commits onto the fetched remote branch; returns the remote commits they now sit on. */
    private List<Incoming> rebaseOntoRemote(String branch) {
        fetch(branch);
        String before = head();
        try {
            List<Incoming> incoming = incoming(branch, before);
            RebaseResult result = git.rebase().setUpstream(remoteRef(branch)).call();
            if (result.getStatus().isSuccessful()) return incoming;
            git.rebase().setOperation(RebaseCommand.Operation.ABORT).call();
            String keep = keepLocalCommit(before);
            String theirs = incoming.isEmpty() ? abbreviate(git.getRepository().resolve(remoteRef(branch)).name())
                    : String.join(", ", incoming.stream().map(Incoming::describe).toList());
            throw new ToolException(ExitCode.GIT, "conflict: the local commit " + abbreviate(before)
                    + " and the remote commit(s) " + theirs + " changed the same lines", remoteUrl(),
                    "resolve it by hand: the local commit is kept on branch " + keep + " in " + directory()
                            + "; merge it onto " + branch + " and run again");
        } catch (GitAPIException | IOException e) {
            throw new ToolException(ExitCode.GIT, "rebase onto " + remoteRef(branch) + " failed: " + e.getMessage(),
                    directory().toString(), "inspect the clone; the local commit " + abbreviate(before) + " is kept", e);
        }
    }

    private String keepLocalCommit(String commit) throws GitAPIException {
        String name = "datomic-gitops/unpushed-" + abbreviate(commit);
        git.branchCreate().setName(name).setStartPoint(commit).setForce(false).call();
        return name;
    }

    /** Creates an annotated tag on HEAD and pushes it (never moving an existing tag). */
    public void tag(String name, String message, PersonIdent tagger) {
        try {
            git.tag().setName(name).setMessage(message).setTagger(tagger).setAnnotated(true).setSigned(false).setForceUpdate(false).call();
            Iterable<PushResult> results = auth.apply(git.push().setRemote(REMOTE)
                    .setRefSpecs(new RefSpec(Constants.R_TAGS + name + ":" + Constants.R_TAGS + name)), env).call();
            for (PushResult r : results) {
                RemoteRefUpdate u = r.getRemoteUpdate(Constants.R_TAGS + name);
                if (u != null && u.getStatus() != RemoteRefUpdate.Status.OK && u.getStatus() != RemoteRefUpdate.Status.UP_TO_DATE) {
                    throw new ToolException(ExitCode.GIT, "push of tag " + name + " was rejected (" + u.getStatus() + ")",
                            remoteUrl(), "check that the credentials may push tags");
                }
            }
        } catch (GitAPIException e) {
            throw translate(e, remoteUrl(), name);
        }
    }

    /**
     * The last commit that changed a path HEAD holds (e.g. a stack's template), for the stack's tags; empty when HEAD does
     * not hold it (never committed, or deleted: no commit holds that template then, and a shallow clone need not fetch
     * the whole history to find out).
     */
    public Optional<String> lastCommitTouching(String path) {
        try {
            if (readAtHead(path).isEmpty()) return Optional.empty();
            return withHistory(() -> {
                for (RevCommit c : git.log().addPath(path).setMaxCount(1).call()) {
                    // at a shallow clone's edge a commit seems to add every file: whether it changed this one is not known here
                    if (isEdge(c)) throw new NeedsHistory();
                    return Optional.of(c.name());
                }
                return Optional.<String>empty(); // not reached: HEAD holds the path, so a commit added it
            });
        } catch (GitAPIException | IOException e) {
            throw new ToolException(ExitCode.GIT, "git log failed: " + e.getMessage(), directory().toString(), "check the clone", e);
        }
    }

    /** Reads a file as it is at HEAD (not the working copy); empty when absent. */
    public Optional<String> readAtHead(String path) {
        return readAt(Constants.HEAD, path);
    }

    /** Reads a file as it is at a revision (a commit id, tag or branch); empty when the revision or the file is not in the clone (a shallow one). */
    public Optional<String> readAt(String revision, String path) {
        Repository repo = git.getRepository();
        try {
            return withHistory(() -> {
                try (RevWalk walk = new RevWalk(repo)) {
                    ObjectId head = resolveInHistory(revision);
                    if (head == null || !repo.getObjectDatabase().has(head)) {
                        if (isShallow()) throw new NeedsHistory(); // a commit older than the shallow clone's edge
                        return Optional.empty();
                    }
                    RevCommit commit = walk.parseCommit(head);
                    try (var tw = org.eclipse.jgit.treewalk.TreeWalk.forPath(repo, path, commit.getTree())) {
                        if (tw == null) return Optional.empty();
                        return Optional.of(new String(repo.open(tw.getObjectId(0)).getBytes(), java.nio.charset.StandardCharsets.UTF_8));
                    }
                }
            });
        } catch (IOException | GitAPIException e) {
            throw new ToolException(ExitCode.GIT, "cannot read " + path + " at " + revision, directory().toString(), "check the clone", e);
        }
    }

    /**
     * A tag of the clone: its name without refs/tags/, the commit it points at, and for an annotated tag its tagger's
     * time and message (null for a lightweight tag).
     */
    public record TagRef(String name, String commit, java.time.Instant taggedAt, String message) {}

    /** The tags whose name starts with the prefix (e.g. "deploy/prod/"), sorted by name; tags of other objects than commits are left out. */
    public List<TagRef> tags(String prefix) {
        Repository repo = git.getRepository();
        try (RevWalk walk = new RevWalk(repo)) {
            List<TagRef> out = new ArrayList<>();
            for (Ref ref : repo.getRefDatabase().getRefsByPrefix(Constants.R_TAGS + prefix)) {
                org.eclipse.jgit.revwalk.RevObject o = walk.parseAny(ref.getObjectId());
                java.time.Instant at = null;
                String message = null;
                if (o instanceof org.eclipse.jgit.revwalk.RevTag t) {
                    if (t.getTaggerIdent() != null) at = t.getTaggerIdent().getWhenAsInstant();
                    message = t.getFullMessage().strip();
                    o = walk.peel(t);
                }
                if (o instanceof RevCommit c) out.add(new TagRef(ref.getName().substring(Constants.R_TAGS.length()), c.name(), at, message));
            }
            out.sort(java.util.Comparator.comparing(TagRef::name));
            return out;
        } catch (IOException e) {
            throw new ToolException(ExitCode.GIT, "cannot read the tags " + prefix + "*: " + e.getMessage(), directory().toString(), "check the clone", e);
        }
    }

    /**
     * A commit on the current branch's first-parent line (what landed on the branch: a merged pull request is its merge
     * commit): its author, subject, the Phase trailer its message carries (a claim anyone can write: record.OwnCommits
     * checks it), whether it is a merge, and whether it changed the folder it was asked about.
     */
    public record LogEntry(String id, String author, java.time.Instant authoredAt, String subject, String phase, boolean merge,
                           boolean touches) {
        public boolean tool() {
            return phase != null;
        }
    }

    private static final java.util.regex.Pattern PHASE = java.util.regex.Pattern.compile("(?m)^Phase: (\\S+)\\s*$");

    /**
     * The first-parent line from HEAD to the first commit, newest first, each commit marked with whether it changed
     * anything under {@code dir} (compared with its first parent; the subtree's id, so the walk stays cheap).
     */
    public List<LogEntry> firstParentLog(String dir) {
        try {
            return withHistory(() -> firstParentLogHeld(dir));
        } catch (GitAPIException | IOException e) {
            throw new ToolException(ExitCode.GIT, "cannot read the history of " + dir + ": " + e.getMessage(), directory().toString(), "check the clone", e);
        }
    }

    private List<LogEntry> firstParentLogHeld(String dir) throws IOException {
        Repository repo = git.getRepository();
        try (RevWalk walk = new RevWalk(repo)) {
            ObjectId head = repo.resolve(Constants.HEAD);
            List<LogEntry> out = new ArrayList<>();
            if (head == null) return out;
            Set<ObjectId> edge = shallowEdge();
            RevCommit c = walk.parseCommit(head);
            ObjectId subtree = subtree(repo, c, dir);
            while (c != null) {
                if (edge.contains(c)) throw new NeedsHistory(true); // the line goes on to the first commit, not fetched yet
                RevCommit parent = c.getParentCount() == 0 ? null : walk.parseCommit(c.getParent(0));
                ObjectId parentSubtree = parent == null ? null : subtree(repo, parent, dir);
                String message = c.getFullMessage();
                java.util.regex.Matcher phase = PHASE.matcher(message);
                out.add(new LogEntry(c.name(), c.getAuthorIdent().getName(), c.getAuthorIdent().getWhenAsInstant(), c.getShortMessage(),
                        CommitMessage.isTools(message) && phase.find() ? phase.group(1) : null, c.getParentCount() > 1,
                        !java.util.Objects.equals(subtree, parentSubtree)));
                c = parent;
                subtree = parentSubtree;
            }
            return out;
        }
    }

    /** The id of the tree at dir in the commit, or null when the commit has no such folder. */
    private static ObjectId subtree(Repository repo, RevCommit commit, String dir) throws IOException {
        try (var tw = org.eclipse.jgit.treewalk.TreeWalk.forPath(repo, dir, commit.getTree())) {
            return tw == null ? null : tw.getObjectId(0);
        }
    }

    /**
     * A read of history reached the edge of a shallow clone: what it looks for may lie in commits not fetched yet.
     * Thrown inside {@link #withHistory} only, which fetches more and reads again.
     */
    private static final class NeedsHistory extends RuntimeException {
        /** The read needs the whole history (a walk to the first commit): doubling the depth would only take more round trips. */
        final boolean all;

        NeedsHistory() {
            this(false);
        }

        NeedsHistory(boolean all) {
            super(null, null, false, false);
            this.all = all;
        }
    }

    /** A read of the clone's history that may meet a shallow clone's edge. */
    @FunctionalInterface
    private interface HistoryRead<T> {
        T read() throws IOException, GitAPIException;
    }

    /**
     * Runs a read of history so that its answer is the one a full clone gives: in a shallow clone, a read that reaches
     * the edge ({@link NeedsHistory}) fetches more history, twice as deep each time, and reads again; a read that
     * finds its answer within the fetched commits fetches nothing. Plans read side by side: one thread deepens at a
     * time, and a read whose edge another thread moved meanwhile reads again without fetching.
     */
    private <T> T withHistory(HistoryRead<T> read) throws IOException, GitAPIException {
        while (true) {
            Set<ObjectId> edge = Set.copyOf(shallowEdge());
            try {
                return read.read();
            } catch (NeedsHistory e) {
                deepen(edge, e.all);
            }
        }
    }

    private Set<ObjectId> shallowEdge() throws IOException {
        return historyComplete ? Set.of() : git.getRepository().getObjectDatabase().getShallowCommits();
    }

    /** The clone lacks history (made with --depth, not deepened to its first commit yet). */
    public boolean isShallow() {
        try {
            return !shallowEdge().isEmpty();
        } catch (IOException e) {
            throw new ToolException(ExitCode.GIT, "cannot read the clone's shallow edge: " + e.getMessage(), directory().toString(), "check the clone", e);
        }
    }

    /** A commit at the shallow clone's edge: it has parents the clone has not fetched (a walk sees it as a first commit). */
    private boolean isEdge(ObjectId commit) throws IOException {
        return shallowEdge().contains(commit);
    }

    /**
     * Fetches the branches and tags twice as deep as the clone's branch goes; when that brings nothing new, or the read
     * needs it all, the whole history; when even that moves no edge, the edge is the remote's too (history it no longer serves), and reads
     * take the clone as complete, with a warning.
     */
    private synchronized void deepen(Set<ObjectId> edge, boolean all) throws IOException, GitAPIException {
        if (!edge.equals(shallowEdge())) return; // another read deepened the clone meanwhile
        if (!all) {
            int held = depthHeld();
            int depth = 2 * Math.max(1, held);
            log.progress("git: the shallow clone (" + held + " commit(s) deep) lacks history a read needs: fetching " + depth + " deep");
            fetchHistory(f -> f.setDepth(depth));
            if (!edge.equals(shallowEdge())) return;
        }
        log.progress("git: the shallow clone lacks history a read needs: fetching the whole history");
        fetchHistory(f -> f.setUnshallow(true));
        if (!edge.equals(shallowEdge())) return;
        historyComplete = true;
        log.warn("git: the remote serves no history behind the shallow clone's edge (" + edge.size() + " commit(s)); reads take it as the first commits");
    }

    /** Where a deepening fetch puts the remote's refs for as long as it runs. */
    private static final String HISTORY_REFS = "refs/datomic-gitops/history/";

    /**
     * Fetches history only: the remote's branches and tags land in refs of their own, deleted afterwards, so no
     * remote-tracking branch or tag moves under a run that checked what it fetched before (catch-up, rebase).
     */
    private void fetchHistory(java.util.function.Consumer<org.eclipse.jgit.api.FetchCommand> how) throws GitAPIException, IOException {
        var fetch = git.fetch().setRemote(REMOTE).setTagOpt(org.eclipse.jgit.transport.TagOpt.NO_TAGS)
                .setRefSpecs(new RefSpec("+" + Constants.R_HEADS + "*:" + HISTORY_REFS + "heads/*"),
                        new RefSpec("+" + Constants.R_TAGS + "*:" + HISTORY_REFS + "tags/*"));
        how.accept(fetch);
        try {
            auth.apply(fetch, env).call();
        } finally {
            Repository repo = git.getRepository();
            for (Ref ref : repo.getRefDatabase().getRefsByPrefix(HISTORY_REFS)) {
                var delete = repo.updateRef(ref.getName());
                delete.setForceUpdate(true);
                delete.delete();
            }
        }
    }

    /** How deep the clone's history goes on HEAD's first-parent line (what a deepening doubles). */
    private int depthHeld() throws IOException {
        Repository repo = git.getRepository();
        try (RevWalk walk = new RevWalk(repo)) {
            ObjectId head = repo.resolve(Constants.HEAD);
            int n = 0;
            for (RevCommit c = head == null ? null : walk.parseCommit(head); c != null; n++) {
                c = isEdge(c) || c.getParentCount() == 0 ? null : walk.parseCommit(c.getParent(0));
            }
            return n;
        }
    }

    /** A revision's object id; null when the clone cannot resolve it (not fetched, or past a first commit). */
    private ObjectId resolveInHistory(String revision) throws IOException {
        try {
            return git.getRepository().resolve(revision);
        } catch (org.eclipse.jgit.errors.MissingObjectException e) {
            return null;
        }
    }

    private void fetch(String branch) {
        try {
            auth.apply(git.fetch().setRemote(REMOTE)
                    .setRefSpecs(new RefSpec("+" + Constants.R_HEADS + "*:" + Constants.R_REMOTES + REMOTE + "/*")), env).call();
        } catch (GitAPIException e) {
            throw translate(e, remoteUrl(), branch);
        }
    }

    private boolean isAncestor(ObjectId maybeAncestor, ObjectId of) throws IOException {
        try (RevWalk walk = new RevWalk(git.getRepository())) {
            return walk.isMergedInto(walk.parseCommit(maybeAncestor), walk.parseCommit(of));
        }
    }

    private static String remoteRef(String branch) {
        return Constants.R_REMOTES + REMOTE + "/" + branch;
    }

    private String shortHead() {
        return abbreviate(head());
    }

    private static String abbreviate(String id) {
        return id == null ? "(none)" : id.substring(0, Math.min(10, id.length()));
    }

    private static boolean isEmptyDirectory(Path dir) {
        File[] files = dir.toFile().listFiles();
        return files != null && files.length == 0;
    }

    private static ToolException branchNotFound(String url, String branch) {
        return new ToolException(ExitCode.GIT, "branch " + branch + " not found", url, "check --branch (the default branch is often main)");
    }

    static ToolException translate(GitAPIException e, String url, String branch) {
        String msg = String.valueOf(e.getMessage());
        if (url != null && msg.startsWith(url + ": ")) msg = msg.substring(url.length() + 2);
        if (msg.contains("key did not validate") || msg.contains("HostKey") || msg.contains("host key")
                || msg.contains("known_hosts") || msg.contains("Host key")) {
            return new ToolException(ExitCode.GIT, "the server's SSH host key is not trusted: " + msg, url,
                    "add it to known_hosts (ssh-keyscan), or pass --ssh-accept-new to trust a new host once");
        }
        if (e instanceof RefNotAdvertisedException || msg.contains("Remote branch") && msg.contains("not found")) {
            return branchNotFound(url, branch);
        }
        if (e instanceof InvalidRemoteException || msg.contains("not found") || msg.contains("does not appear to be a git repository")
                || msg.contains("Repository not found")) {
            return new ToolException(ExitCode.GIT, "repository not found or not reachable: " + msg, url,
                    "check --repo and that the server is up");
        }
        if (e instanceof TransportException && (msg.contains("not authorized") || msg.contains("Auth fail") || msg.contains("Cannot log in")
                || msg.contains("authentication") || msg.contains("Authentication") || msg.contains("401") || msg.contains("403"))) {
            return new ToolException(ExitCode.GIT, "git authentication failed", url,
                    "check the token (--token-env) or SSH key (--ssh-key, with --ssh-passphrase-env when the key is encrypted) "
                            + "and that it may read and push the repo");
        }
        return new ToolException(ExitCode.GIT, "git failed: " + msg, url, "check the repository URL, branch and credentials", e);
    }

    /**
     * Makes this run the clone's only writer (another run of the tool is waited for), then clears what a process
     * killed mid-git left: lock files (index.lock, HEAD.lock, refs ... .lock), which would fail every later add,
     * commit or ref update, and a rebase it had begun, which is aborted back to the commit it started from. Returns a
     * line per thing cleared. Git run by hand in the clone at the same time is not detected: the clone is the tool's.
     */
    public List<String> takeOverFromKilledRun() {
        if (cloneLock == null) cloneLock = CloneLock.acquire(gitDirectory(), log);
        List<String> done = new ArrayList<>();
        Path gitDir = gitDirectory();
        try (java.util.stream.Stream<Path> files = Files.walk(gitDir)) {
            for (Path lock : files.filter(p -> p.getFileName().toString().endsWith(".lock") && Files.isRegularFile(p))
                    .filter(p -> !p.startsWith(gitDir.resolve("objects")) && !p.startsWith(gitDir.resolve("datomic-gitops"))).toList()) {
                Files.deleteIfExists(lock);
                done.add("removed " + gitDir.relativize(lock) + ", left by a git operation that was killed");
            }
        } catch (IOException | java.io.UncheckedIOException e) { // Files.walk wraps what it meets while walking
            throw new ToolException(ExitCode.GIT, "cannot clear the lock files of a killed run: " + e.getMessage(), gitDir.toString(),
                    "remove the *.lock files under .git by hand once no git process runs in the clone", e);
        }
        if (git.getRepository().getRepositoryState().isRebasing()) {
            try {
                git.rebase().setOperation(RebaseCommand.Operation.ABORT).call();
                done.add("aborted a rebase left by a killed run; " + branch() + " is back at " + shortHead());
            } catch (GitAPIException e) {
                throw new ToolException(ExitCode.GIT, "a killed run left a rebase that cannot be aborted: " + e.getMessage(),
                        directory().toString(), rebaseAbortTodo(directory()), e);
            }
        }
        return done;
    }

    /** What to run when a killed run's rebase cannot be aborted here: git's own abort, in that clone, from anywhere. */
    static String rebaseAbortTodo(Path clone) {
        return "run " + CommandLines.of("git", "-C", clone.toAbsolutePath().normalize().toString(), "rebase", "--abort") + ", then run again";
    }

    @Override
    public void close() {
        if (cloneLock != null) cloneLock.close();
        git.close();
    }
}

package io.datomicgitops.record;

import io.datomicgitops.configrepo.StackFolder;

import io.datomicgitops.configrepo.StackSelection;

import io.datomicgitops.ExitCode;
import io.datomicgitops.ToolException;
import io.datomicgitops.config.AtomicFiles;
import io.datomicgitops.git.CommitMessage;
import io.datomicgitops.git.GitRepo;
import io.datomicgitops.report.Report;
import org.eclipse.jgit.lib.PersonIdent;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Writes a stack's file, commits it and pushes it before the deployment goes on: the write-ahead step that makes
 * a crash unable to lose a generated name or deploy a template that is not in git. Every commit lands in the
 * report.
 */
public final class Publisher {
    public static final int PUSH_ATTEMPTS = 5;

    private final GitRepo repo;
    private final PersonIdent committer;
    private final Report report;
    private final WriteJournal journal;
    private final OwnCommits own;

    public Publisher(GitRepo repo, PersonIdent committer, Report report) {
        this.repo = repo;
        this.committer = committer;
        this.report = report;
        this.journal = new WriteJournal(repo.gitDirectory());
        this.own = new OwnCommits(repo, committer.getEmailAddress());
    }

    /**
     * Writes the content atomically, then commits and pushes it; empty when the file already held it. The journal
     * covers the gap between the write and the commit.
     */
    public Optional<String> publish(StackFolder stack, String fileName, byte[] content, String phase, CommitMessage message) {
        long start = System.nanoTime();
        String path = stack.gitPath(fileName);
        journal.record(path, content);
        AtomicFiles.write(stack.file(fileName), content);
        Optional<String> id = repo.commit(List.of(path), message, committer);
        journal.clear(path);
        if (id.isEmpty()) return Optional.empty();
        GitRepo.PushOutcome pushed = push(stack.name(), phase, message.subject(), start);
        refuseForeignChanges(stack, pushed);
        return Optional.of(pushed.head());
    }

    /**
     * As {@link #publish}, for several of the stack's files in one commit (the return to what AWS runs after a failed
     * deployment): each journaled, written atomically, then committed together and pushed.
     *
     * @param files file name in the stack's folder -> its new content
     */
    public Optional<String> publishAll(StackFolder stack, Map<String, byte[]> files, String phase, CommitMessage message) {
        long start = System.nanoTime();
        List<String> paths = files.keySet().stream().map(stack::gitPath).toList();
        files.forEach((name, content) -> journal.record(stack.gitPath(name), content));
        files.forEach((name, content) -> AtomicFiles.write(stack.file(name), content));
        Optional<String> id = repo.commit(paths, message, committer);
        paths.forEach(journal::clear);
        if (id.isEmpty()) return Optional.empty();
        GitRepo.PushOutcome pushed = push(stack.name(), phase, message.subject(), start);
        refuseForeignChanges(stack, pushed);
        return Optional.of(pushed.head());
    }

    /**
     * The push rebased onto someone's commits to this stack's files. Git merged them line by line, but the run's next
     * write of a whole file would undo them, and what it deploys would not be what git now holds: stop right after the
     * push, so that nothing is lost.
     */
    private void refuseForeignChanges(StackFolder stack, GitRepo.PushOutcome pushed) {
        List<String> theirs = pushed.incoming().stream().filter(c -> !isOwn(c.commit()) && c.touches(stack.relativeDir()))
                .map(GitRepo.Incoming::describe).toList();
        if (theirs.isEmpty()) return;
        throw new ToolException(ExitCode.GIT, "the stack's files changed on the remote during the apply: " + String.join(", ", theirs)
                + "; stopped after pushing " + pushed.head().substring(0, 10) + ", before writing over them", stack.relativeDir(),
                "plan and apply again: the next run starts from both changes (the names written so far are pushed; "
                        + "resources created since are tagged and found again)");
    }

    /**
     * Finishes what a killed run left in this clone: deletes its temp files, commits the files it wrote but did not
     * commit (recognised by the journal), and pushes its unpushed commits. Returns a line per thing recovered.
     */
    public List<String> resume() {
        List<String> done = new java.util.ArrayList<>(repo.takeOverFromKilledRun());
        // before anything is committed or pushed: a commit the team purged from the remote must not go back
        repo.refuseCommitsTheRemoteDropped();
        for (StackFolder f : StackSelection.all(repo.directory())) {
            int removed = AtomicFiles.removeLeftovers(f.dir());
            if (removed > 0) done.add("removed " + removed + " temp file(s) of an interrupted write in " + f.relativeDir());
        }
        Map<String, String> dirty = new java.util.HashMap<>();
        repo.uncommittedChanges().forEach(p -> dirty.put(p, p));
        for (Map.Entry<String, String> e : journal.pending().entrySet()) {
            String path = e.getKey();
            java.nio.file.Path file = repo.directory().resolve(path);
            if (dirty.containsKey(path) && java.nio.file.Files.exists(file) && WriteJournal.sha256(read(file)).equals(e.getValue())) {
                String stack = path.split("/").length > 1 ? path.split("/")[1] : path;
                CommitMessage m = CommitMessage.of("recover", stack, "commit " + path + " written by an interrupted run")
                        .line("The previous run wrote this file and stopped before committing it.");
                repo.commit(List.of(path), m, committer);
                done.add("committed " + path + ", written by an interrupted run");
            }
            journal.clear(path);
        }
        List<GitRepo.LocalCommit> unpushed = repo.commitsNotOnRemote();
        if (!unpushed.isEmpty()) {
            // only the tool's own commits are pushed for it: an operator's local commit is never published behind their back
            List<String> foreign = unpushed.stream().filter(c -> !isOwn(c)).map(GitRepo.LocalCommit::describe).toList();
            if (!foreign.isEmpty()) {
                throw new ToolException(ExitCode.GIT, "the clone has local commits that are not the tool's and not on the remote: "
                        + String.join(", ", foreign), repo.directory().toString(),
                        "push them through a pull request, or move them to another branch; nothing is pushed or discarded automatically");
            }
            done.add("pushed " + unpushed.size() + " commit(s) an interrupted run had not pushed");
            push(null, "recover", "push commits of an interrupted run", System.nanoTime());
        }
        return done;
    }

    /** A commit this tool made, as far as anyone can tell: it changes only what a phase writes, as the phase would ({@link OwnCommits}). */
    public boolean isOwn(GitRepo.LocalCommit c) {
        return own.isOwn(c);
    }

    private GitRepo.PushOutcome push(String stack, String phase, String subject, long start) {
        GitRepo.PushOutcome pushed = repo.push(PUSH_ATTEMPTS);
        report.addCommit(new Report.Commit(stack, phase, pushed.head(), subject, true, null, millisSince(start)));
        return pushed;
    }

    private static long millisSince(long nanoStart) {
        return (System.nanoTime() - nanoStart) / 1_000_000;
    }

    private static byte[] read(java.nio.file.Path p) {
        try {
            return java.nio.file.Files.readAllBytes(p);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Tags HEAD (already pushed) and records the tag on the report's last commit. */
    public void tag(StackFolder stack, String tag, String message) {
        long start = System.nanoTime();
        repo.tag(tag, message, committer);
        report.addCommit(new Report.Commit(stack.name(), "tag", repo.head(), message, true, tag, millisSince(start)));
    }

    public GitRepo repo() {
        return repo;
    }
}

package io.datomicgitops.deploy;

import io.datomicgitops.config.AtomicFiles;
import io.datomicgitops.git.CommitMessage;
import io.datomicgitops.git.GitRepo;
import io.datomicgitops.report.Report;
import org.eclipse.jgit.lib.PersonIdent;

import java.util.List;
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

    public Publisher(GitRepo repo, PersonIdent committer, Report report) {
        this.repo = repo;
        this.committer = committer;
        this.report = report;
    }

    /** Writes the content atomically, then commits and pushes it; empty when the file already held it. */
    public Optional<String> publish(StackFolder stack, String fileName, byte[] content, String phase, CommitMessage message) {
        AtomicFiles.write(stack.file(fileName), content);
        return commitAndPush(stack, List.of(fileName), phase, message);
    }

    /** Commits the stack's files as they are on disk, and pushes; empty when none of them changed. */
    public Optional<String> commitAndPush(StackFolder stack, List<String> fileNames, String phase, CommitMessage message) {
        List<String> paths = fileNames.stream().map(stack::gitPath).toList();
        Optional<String> id = repo.commit(paths, message, committer);
        if (id.isEmpty()) return Optional.empty();
        GitRepo.PushOutcome pushed = repo.push(PUSH_ATTEMPTS);
        report.addCommit(new Report.Commit(stack.name(), phase, pushed.head(), message.subject(), true, null));
        return Optional.of(pushed.head());
    }

    /** Tags HEAD (already pushed) and records the tag on the report's last commit. */
    public void tag(StackFolder stack, String tag, String message) {
        repo.tag(tag, message, committer);
        report.addCommit(new Report.Commit(stack.name(), "tag", repo.head(), message, true, tag));
    }

    public GitRepo repo() {
        return repo;
    }
}

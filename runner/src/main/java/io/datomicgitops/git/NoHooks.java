package io.datomicgitops.git;

import org.eclipse.jgit.api.errors.JGitInternalException;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.util.FS;
import org.eclipse.jgit.util.FS_POSIX;
import org.eclipse.jgit.util.ProcessResult;

import java.io.File;
import java.io.OutputStream;

/**
 * The file system JGit sees, with no hooks: a clone's hooks ({@code .git/hooks}, or wherever {@code core.hooksPath}
 * points) are programs a repository or a pull request can bring, and would run with the runner's credentials in their
 * environment. JGit finds and runs every hook (pre-commit, commit-msg, post-commit, pre-push) through its FS.
 */
final class NoHooks extends FS_POSIX {
    static final FS FS = new NoHooks();

    private NoHooks() {
        super();
    }

    private NoHooks(FS src) {
        super(src);
    }

    @Override
    public FS newInstance() {
        return new NoHooks(this);
    }

    @Override
    public File findHook(Repository repository, String hookName) {
        return null;
    }

    @Override
    public ProcessResult runHookIfPresent(Repository repository, String hookName, String[] args, OutputStream outRedirect,
                                          OutputStream errRedirect, String stdinArgs) throws JGitInternalException {
        return new ProcessResult(ProcessResult.Status.NOT_PRESENT);
    }
}

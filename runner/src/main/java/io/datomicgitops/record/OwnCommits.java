package io.datomicgitops.record;

import io.datomicgitops.config.PropertiesFile;
import io.datomicgitops.configrepo.StackFolder;
import io.datomicgitops.ensure.PhaseWrites;
import io.datomicgitops.git.CommitMessage;
import io.datomicgitops.git.GitRepo;
import io.datomicgitops.report.Json;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Tells the tool's own commits from anyone else's by what they change, not by what their message says. Anyone who may
 * push can write a {@code Phase:} trailer and the tool's committer name, so those only say which rule applies: the
 * commit must change exactly the one file that phase writes, in the folder of the stack it names, the way the phase
 * changes it — the ensure phases fill in only their own blank keys, with values of the form they write
 * ({@link PhaseWrites}); the template and the deployment record are written whole, but apply regenerates the template
 * from the properties files and never deploys the committed one, and the record only describes a deployment; a return to
 * what AWS runs after a failed deployment changes several files, each back to what the deployment record says runs. A commit
 * that passes could have been the tool's, whoever made it: catching up with it, finishing it or pushing it deploys
 * nothing a person chose. No key is needed, so every clone and every agent recognises every other run's commits.
 */
public final class OwnCommits {
    private static final Map<String, String> WHOLE_FILES = Map.of("create-cf-template", StackFolder.TEMPLATE, "deploy", StackFolder.RECORD);
    private static final List<String> RECOVERABLE = List.of(StackFolder.TRANSACTOR, StackFolder.CF, StackFolder.TEMPLATE, StackFolder.RECORD);
    static final String RECOVER = "recover";

    private final GitRepo repo;
    private final String committerEmail;

    public OwnCommits(GitRepo repo, String committerEmail) {
        this.repo = repo;
        this.committerEmail = committerEmail;
    }

    /** By content alone, whoever committed: for reading the history, where the run's committer is not known. */
    public static OwnCommits byContent(GitRepo repo) {
        return new OwnCommits(repo, null);
    }

    public boolean isOwn(GitRepo.LocalCommit c) {
        return notOwn(c).isEmpty();
    }

    /** Why the commit is not one the tool made; empty when it is. */
    public Optional<String> notOwn(GitRepo.LocalCommit c) {
        if (committerEmail != null && !committerEmail.equals(c.committerEmail())) return Optional.of("committed by " + c.committerEmail());
        Optional<String> phase = CommitMessage.trailerOf(c.message(), "Phase");
        Optional<String> stack = CommitMessage.trailerOf(c.message(), "Stack");
        if (phase.isEmpty() || stack.isEmpty()) return Optional.of("no Phase and Stack trailers");
        if (phase.get().equals(FailedDeployment.PHASE)) return notAReturn(c, stack.get());
        if (c.parents() != 1 || c.paths().size() != 1) return Optional.of("changes " + c.paths().size() + " files");
        String path = c.paths().iterator().next();
        int slash = path.lastIndexOf('/');
        String folder = slash < 0 ? "" : path.substring(0, slash);
        String file = path.substring(slash + 1);
        if (!folder.equals(stack.get()) && !folder.endsWith("/" + stack.get())) return Optional.of("changes " + path + ", outside stack " + stack.get());
        if (!writes(phase.get(), file)) return Optional.of(phase.get() + " does not write " + file);
        Optional<String> before = repo.readAt(c.id() + "^", path);
        Optional<String> after = repo.readAt(c.id(), path);
        if (after.isEmpty()) return Optional.of("deletes " + path);
        if (phase.get().equals(RECOVER) && ReturnToDeployed.FILES.contains(file) && returned(c.id() + "^", folder, file, before, after)) {
            return Optional.empty(); // the interrupted write was a return to what AWS runs
        }
        Optional<String> writer = PhaseWrites.phaseOf(file);
        if (writer.isPresent()) {
            if (before.isEmpty()) return Optional.of("creates " + path);
            List<String> violations = PhaseWrites.violations(writer.get(), PropertiesFile.parse(file, before.get()), PropertiesFile.parse(file, after.get()));
            return violations.isEmpty() ? Optional.empty() : Optional.of(path + ": " + String.join(", ", violations));
        }
        if (file.equals(StackFolder.RECORD)) {
            boolean record = DeploymentRecord.parse(after).map(r -> stack.get().equals(r.stack())).orElse(false);
            return record ? Optional.empty() : Optional.of(path + " is not a deployment record of " + stack.get());
        }
        return json(after.get()) ? Optional.empty() : Optional.of(path + " is not JSON");
    }

    /**
     * A return to what AWS runs after a failed deployment: it changes, in one stack's folder, only files a return
     * writes, each to its content at the commit the deployment record names, generated names kept
     * ({@link ReturnToDeployed}). Taking it for the tool's own deploys nothing: the stack runs that config already.
     */
    private Optional<String> notAReturn(GitRepo.LocalCommit c, String stack) {
        if (c.parents() != 1 || c.paths().isEmpty()) return Optional.of("a " + FailedDeployment.PHASE + " commit changes " + c.paths().size() + " files");
        String parent = c.id() + "^";
        for (String path : c.paths()) {
            int slash = path.lastIndexOf('/');
            String folder = slash < 0 ? "" : path.substring(0, slash);
            String file = path.substring(slash + 1);
            if (!folder.equals(stack) && !folder.endsWith("/" + stack)) return Optional.of("changes " + path + ", outside stack " + stack);
            if (!ReturnToDeployed.FILES.contains(file)) return Optional.of(FailedDeployment.PHASE + " does not write " + file);
            if (!returned(parent, folder, file, repo.readAt(parent, path), repo.readAt(c.id(), path))) {
                return Optional.of(path + " is not its content at the deployed commit");
            }
        }
        return Optional.empty();
    }

    /** {@code after} is the file returned to the commit the deployment record at {@code parent} names. */
    private boolean returned(String parent, String folder, String file, Optional<String> before, Optional<String> after) {
        Optional<String> deployed = ReturnToDeployed.deployedCommit(repo, parent, folder);
        return after.isPresent() && deployed.isPresent()
                && ReturnToDeployed.returned(repo, deployed.get(), folder, file, before).equals(after);
    }

    private static boolean writes(String phase, String file) {
        if (phase.equals(RECOVER)) return RECOVERABLE.contains(file);
        return file.equals(PhaseWrites.FILES.get(phase)) || file.equals(WHOLE_FILES.get(phase));
    }

    private static boolean json(String text) {
        try {
            return Json.mapper().readTree(text).isObject();
        } catch (IOException e) {
            return false;
        }
    }
}

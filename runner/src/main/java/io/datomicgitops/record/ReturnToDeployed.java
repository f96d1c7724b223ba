package io.datomicgitops.record;

import io.datomicgitops.config.PropertiesFile;
import io.datomicgitops.configrepo.StackFolder;
import io.datomicgitops.ensure.PhaseWrites;
import io.datomicgitops.git.GitRepo;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a stack's files hold once returned to what AWS runs after a failed deployment: their content at the commit the
 * last deployment record names (the config the stack runs), except the generated names. Those keys of
 * transactor.properties name resources that exist now (a table, a bucket, a role); a name lost from git would be a
 * resource created twice, so a name the file has and the deployed one lacks stays. deploy.properties says how the tool
 * deploys, not what runs, and deployment.json still describes the last deployment that succeeded: neither is returned.
 * One definition for the writer and for the check of such a commit ({@link OwnCommits}).
 */
public final class ReturnToDeployed {
    /** The files a return writes: the template and its two inputs. */
    static final List<String> FILES = List.of(StackFolder.TRANSACTOR, StackFolder.CF, StackFolder.TEMPLATE);

    private ReturnToDeployed() {}

    /**
     * The commit the deployment record at {@code revision} says the stack runs; empty when there is no record (a
     * stack never deployed by the tool) or the clone does not hold that commit.
     */
    public static Optional<String> deployedCommit(GitRepo repo, String revision, String folderPath) {
        return DeploymentRecord.parse(repo.readAt(revision, folderPath + "/" + StackFolder.RECORD))
                .map(DeploymentRecord::deployedCommit)
                .filter(c -> repo.readAt(c, folderPath + "/" + StackFolder.TRANSACTOR).isPresent());
    }

    /**
     * The file's content once returned to the deployed commit, given its {@code current} content; empty when the
     * deployed commit has no such file (nothing to return to: the file stays as it is).
     */
    static Optional<String> returned(GitRepo repo, String deployed, String folderPath, String fileName, Optional<String> current) {
        Optional<String> base = repo.readAt(deployed, folderPath + "/" + fileName);
        if (base.isEmpty() || !fileName.equals(StackFolder.TRANSACTOR) || current.isEmpty()) return base;
        return Optional.of(keepGeneratedNames(PropertiesFile.parse(fileName, base.get()), PropertiesFile.parse(fileName, current.get())).text());
    }

    /** The deployed file with each name the ensure phase generated that {@code current} has and it lacks. */
    static PropertiesFile keepGeneratedNames(PropertiesFile deployed, PropertiesFile current) {
        String phase = PhaseWrites.phaseOf(deployed.name()).orElseThrow();
        PropertiesFile out = PropertiesFile.parse(deployed.name(), deployed.text());
        for (String key : current.keys()) {
            Optional<String> value = current.get(key);
            if (value.isEmpty() || out.get(key).isPresent()) continue;
            PropertiesFile candidate = PropertiesFile.parse(out.name(), out.text());
            candidate.set(key, value.get());
            // only what the phase itself writes: a person's setting goes back with the rest
            if (PhaseWrites.violations(phase, out, candidate).isEmpty()) out = candidate;
        }
        return out;
    }

    /** The stack's files (as git paths) that differ at HEAD from their returned content, with that content. */
    public static Map<String, byte[]> changes(GitRepo repo, StackFolder folder, String deployed) {
        Map<String, byte[]> out = new LinkedHashMap<>();
        for (String name : FILES) {
            Optional<String> now = repo.readAtHead(folder.gitPath(name));
            Optional<String> back = returned(repo, deployed, folder.relativeDir(), name, now);
            if (back.isPresent() && !back.equals(now)) out.put(name, back.get().getBytes(StandardCharsets.UTF_8));
        }
        return out;
    }
}

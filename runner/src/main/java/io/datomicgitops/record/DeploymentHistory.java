package io.datomicgitops.record;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.datomicgitops.configrepo.StackFolder;
import io.datomicgitops.git.GitRepo;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A stack's deployments as git holds them, newest first: each {@code deploy/<stack>/<UTC time>} tag, the
 * {@code deployment.json} committed at it, and the commits to the stack's folder that it deployed; and the commits to
 * the folder since the newest deployment, not deployed yet; a failed attempt ({@code deploy/<stack>/<time>-failed},
 * {@link FailedDeployment}) is listed among them, with what it attempted and why it failed. Read-only: git only, no AWS call.
 *
 * <p>Which commits a deployment deployed is read on the branch's first-parent line (what landed on the branch; a pull
 * request merged with a merge commit is that commit): the commits that changed the folder after the previous
 * deployment's tag, up to and including its own. A tag that is not on that line (another branch) has no changes listed.
 */
public final class DeploymentHistory {
    /** The time in a deployment tag's name, as the applier writes it. */
    static final DateTimeFormatter TAG_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private DeploymentHistory() {}

    /** The prefix of a stack's deployment tags. */
    public static String tagPrefix(String stack) {
        return "deploy/" + stack + "/";
    }

    /**
     * The name of a deployment's tag: {@code deploy/<stack>/<UTC time to the second>}, the time moved on by a second
     * while the clone has that name already, so two deployments of a stack within one second each get their tag, in
     * their order (the record keeps the exact times).
     */
    public static String deploymentTag(GitRepo repo, String stack, Instant at) {
        java.util.Set<String> taken = new java.util.HashSet<>();
        repo.tags(tagPrefix(stack)).forEach(t -> taken.add(t.name()));
        Instant t = at;
        while (taken.contains(tagPrefix(stack) + TAG_TIME.format(t))) t = t.plusSeconds(1);
        return tagPrefix(stack) + TAG_TIME.format(t);
    }

    /**
     * A commit that changed the stack's folder; phase is set when the tool made it: its Phase trailer, on a change the
     * phase makes ({@link OwnCommits}). A person's commit with a forged trailer is listed as theirs, not counted away.
     */
    @JsonPropertyOrder({"id", "author", "time", "subject", "phase", "merge"})
    public record Change(String id, String author, String time, String subject, String phase, boolean merge) {
        public boolean tool() {
            return phase != null;
        }

        static Change of(GitRepo.LogEntry e, boolean own) {
            return new Change(e.id(), e.author(), e.authoredAt() == null ? null : e.authoredAt().toString(), e.subject(),
                    own ? e.phase() : null, e.merge());
        }
    }

    /**
     * One deployment: its tag and time, the config commit it deployed and the commit its record was committed in (the
     * tag's), what the record says, and the commits to the folder it deployed (null when the tag is not on the branch).
     */
    @JsonPropertyOrder({"tag", "time", "commit", "recordCommit", "stackName", "status", "approvedBy", "buildUrl", "strategy",
            "instancesReplaced", "instancesLaunched", "downtimeSeconds", "changeSetId", "record", "onBranch", "changes", "failure"})
    public record Deployment(String tag, String time, String commit, String recordCommit, String stackName, String status,
                             String approvedBy, String buildUrl, String strategy, List<String> instancesReplaced,
                             List<String> instancesLaunched, Double downtimeSeconds, String changeSetId,
                             /** "found", or "missing" when the tag's commit holds no readable deployment.json. */
                             String record,
                             boolean onBranch, List<Change> changes,
                             /** A failed attempt's record ({@code -failed} tag): what it attempted, why it failed, what git did; else null. */
                             FailedDeployment.Recorded failure) {
        public boolean failed() {
            return failure != null;
        }
    }

    /** What {@code history} shows: pending changes, then the deployments, newest first ({@code total}: before any limit). */
    @JsonPropertyOrder({"stack", "head", "pending", "total", "deployments"})
    public record History(String stack, String head, List<Change> pending, int total, List<Deployment> deployments) {
        public History limit(int n) {
            return n <= 0 || deployments.size() <= n ? this : new History(stack, head, pending, total, deployments.subList(0, n));
        }
    }

    /** By the time in the name, newest first; a failed attempt after the deployment of the same second. */
    private static final Comparator<GitRepo.TagRef> NEWEST_FIRST = Comparator.comparing(GitRepo.TagRef::name).reversed();

    /**
     * The stack's last apply when it failed: the newest of its tags is a {@code -failed} one (no deployment succeeded
     * since); else empty. What the next plan names.
     */
    public static Optional<FailedDeployment.Recorded> lastFailure(GitRepo repo, StackFolder folder) {
        return repo.tags(tagPrefix(folder.name())).stream().sorted(NEWEST_FIRST).findFirst().flatMap(FailedDeployment::parse);
    }

    public static History read(GitRepo repo, StackFolder folder) {
        String stack = folder.name();
        List<GitRepo.TagRef> tags = new ArrayList<>(repo.tags(tagPrefix(stack)));
        tags.sort(NEWEST_FIRST);

        // the first-parent line, cut into the commits before the newest deployment (pending) and those each deployment deployed
        Map<String, String> tagAt = new HashMap<>(); // commit -> its newest tag
        for (GitRepo.TagRef t : tags) tagAt.putIfAbsent(t.commit(), t.name());
        Map<String, List<Change>> changes = new HashMap<>();
        List<Change> pending = new ArrayList<>();
        List<Change> bucket = pending;
        java.util.Set<String> onLine = new java.util.HashSet<>();
        OwnCommits own = OwnCommits.byContent(repo);
        for (GitRepo.LogEntry e : repo.firstParentLog(folder.relativeDir())) {
            onLine.add(e.id());
            String tag = tagAt.get(e.id());
            if (tag != null) {
                bucket = new ArrayList<>();
                changes.put(tag, bucket);
            }
            if (e.touches()) bucket.add(Change.of(e, e.tool() && own.isOwn(repo.commit(e.id()))));
        }

        List<Deployment> deployments = new ArrayList<>();
        for (GitRepo.TagRef t : tags) {
            boolean onBranch = onLine.contains(t.commit());
            List<Change> deployed = onBranch ? changes.getOrDefault(t.name(), List.of()) : null;
            Optional<FailedDeployment.Recorded> failure = FailedDeployment.parse(t);
            if (failure.isPresent()) {
                // the record at a failed attempt's tag is the last successful deployment's: not this attempt's
                FailedDeployment.Recorded f = failure.get();
                deployments.add(new Deployment(t.name(), time(t), f.attempted(), t.commit(), null, f.stackStatus(), null, null, null,
                        List.of(), List.of(), null, null, "failed", onBranch, deployed == null ? null : List.copyOf(deployed), f));
                continue;
            }
            Optional<DeploymentRecord> r = DeploymentRecord.parse(repo.readAt(t.commit(), folder.gitPath(StackFolder.RECORD)));
            deployments.add(new Deployment(t.name(), time(t), r.map(DeploymentRecord::deployedCommit).orElse(null), t.commit(),
                    r.map(DeploymentRecord::stackName).orElse(null), r.map(DeploymentRecord::status).orElse(null),
                    r.map(DeploymentRecord::approvedBy).orElse(null), r.map(DeploymentRecord::buildUrl).orElse(null),
                    r.map(DeploymentRecord::strategy).orElse(null),
                    r.map(DeploymentRecord::instancesReplaced).orElse(List.of()),
                    r.map(DeploymentRecord::instancesLaunched).orElse(List.of()),
                    r.map(DeploymentRecord::downtimeSeconds).orElse(null), r.map(DeploymentRecord::changeSetId).orElse(null),
                    r.isPresent() ? "found" : "missing", onBranch, deployed == null ? null : List.copyOf(deployed), null));
        }
        return new History(stack, repo.head(), List.copyOf(pending), deployments.size(), List.copyOf(deployments));
    }

    /** The UTC time in the tag's name; else the tagger's time; else null. */
    static String time(GitRepo.TagRef t) {
        String suffix = t.name().substring(t.name().lastIndexOf('/') + 1);
        if (suffix.endsWith(FailedDeployment.TAG_SUFFIX)) suffix = suffix.substring(0, suffix.length() - FailedDeployment.TAG_SUFFIX.length());
        try {
            return Instant.from(TAG_TIME.parse(suffix)).toString();
        } catch (DateTimeParseException e) {
            return t.taggedAt() == null ? null : t.taggedAt().toString();
        }
    }
}

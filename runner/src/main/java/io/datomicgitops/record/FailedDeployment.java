package io.datomicgitops.record;

import io.datomicgitops.config.Redactor;
import io.datomicgitops.git.CommitMessage;
import io.datomicgitops.git.GitRepo;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A deployment that failed after the stack update started, as git records it: in a {@code deploy/<stack>/<time>-failed}
 * tag (always) and, when the stack's files had to return to what AWS runs, in that commit. What git says then: which
 * commit was attempted, when, why it failed (the reason and the stack's failing events, secrets masked), and what AWS
 * runs now ({@link Result}). deployment.json is left alone: it keeps describing the last deployment that succeeded,
 * which is what the stack runs after a rollback, and what the next plan and status compare against.
 */
public record FailedDeployment(String stack, String stackName, String attempted, Instant at, String reason, Result result,
                               String stackStatus, List<String> events) {
    /** The suffix of a failed deployment's tag. */
    public static final String TAG_SUFFIX = "-failed";
    /** The phase of the commit that returns the stack's files ({@link OwnCommits} checks it by content). */
    public static final String PHASE = "rollback";
    private static final int MAX_EVENTS = 20;

    /** What AWS runs after the failure, the value of the {@code Result:} trailer. */
    public enum Result {
        /** The stack is back on the last deployment (CloudFormation's rollback, or a guard's): git returns to it. */
        ROLLED_BACK("rolled-back"),
        /** The stack runs this deployment's template, the replacement did not finish: git already says what runs. */
        STOPPED("stopped"),
        /** The stack was never deployed before: nothing runs, there is nothing to return to. */
        NOT_CREATED("not-created"),
        /** The stack is still changing, or runs neither template: git is left as it is, the next plan reads AWS again. */
        UNSETTLED("unsettled");

        public final String label;

        Result(String label) {
            this.label = label;
        }

    }

    public FailedDeployment {
        Redactor redactor = Redactor.global();
        reason = redactor.redact(firstLine(reason));
        events = events.stream().limit(MAX_EVENTS).map(redactor::redact).toList();
    }

    public String tagName() {
        return DeploymentHistory.tagPrefix(stack) + DeploymentHistory.TAG_TIME.format(at) + TAG_SUFFIX;
    }

    /** The tag's message: a summary line, the reason, then trailers to read it back by ({@link #parse}). */
    public String tagMessage(Optional<String> returnedBy) {
        CommitMessage m = CommitMessage.of("failed", stack, stackName + " " + result.label + ": " + reason)
                .trailer("Attempted", attempted).trailer("Result", result.label).trailer("Stack-Status", stackStatus);
        returnedBy.ifPresent(c -> m.trailer("Returned-by", c));
        events.forEach(m::line);
        return m.text();
    }

    /** The commit that returns the stack's files to the deployment AWS runs again. */
    public CommitMessage returnMessage(String deployed, List<String> files, Approval approval) {
        CommitMessage m = CommitMessage.of(PHASE, stack, "return " + String.join(", ", files) + " to what AWS runs after the failed apply of "
                        + shortId(attempted))
                .line("The apply of " + attempted + " failed: " + reason)
                .line("AWS runs the deployment of " + deployed + " again (" + stackStatus + "): " + String.join(", ", files)
                        + " return to it; generated names written since stay (their resources exist).")
                .line("The change stays in history: to deploy it again, revert this commit through a pull request.");
        if (!events.isEmpty()) {
            m.line("");
            m.line("Stack events:");
            events.forEach(e -> m.line("  " + e));
        }
        return m.trailer("Approved-by", approval.approvedBy()).trailer("Build-URL", approval.buildUrl())
                .trailer("Result", result.label).trailer("Attempted", attempted).trailer("Deployed", deployed);
    }

    /**
     * Writes the failure into git: when AWS runs the last deployment again, one commit returns the stack's files to it
     * (generated names kept, see {@link ReturnToDeployed}), pushed; then the tag, on that commit or on HEAD. Returns
     * the tag and the return commit.
     *
     * @param deployed the commit the last deployment record names (empty: the stack was never deployed by the tool)
     */
    public Published publish(Publisher publisher, io.datomicgitops.configrepo.StackFolder folder, Optional<String> deployed, Approval approval) {
        Optional<String> returnedBy = Optional.empty();
        if (result == Result.ROLLED_BACK && deployed.isPresent()) {
            java.util.Map<String, byte[]> files = ReturnToDeployed.changes(publisher.repo(), folder, deployed.get());
            if (!files.isEmpty()) {
                returnedBy = publisher.publishAll(folder, files, PHASE, returnMessage(deployed.get(), List.copyOf(files.keySet()), approval));
            }
        }
        publisher.tag(folder, tagName(), tagMessage(returnedBy));
        return new Published(tagName(), returnedBy);
    }

    /** What {@link #publish} wrote: the tag, and the commit that returned the files when there was one. */
    public record Published(String tag, Optional<String> returnedBy) {}

    /** One line for the plan and history: what failed, when, why, and what git did about it. */
    public static String describe(Recorded f) {
        return "last apply of " + shortId(f.attempted()) + " failed at " + f.at() + " (" + f.result() + "): " + f.reason() + " (tag " + f.tag() + ")"
                + (f.returnedBy() == null ? "" : "; git returned to what AWS runs in " + shortId(f.returnedBy())
                + ": to deploy that change again, revert " + shortId(f.returnedBy()) + " through a pull request");
    }

    /** A failure read back from its tag. */
    public record Recorded(String tag, String at, String attempted, String result, String reason, String stackStatus, String returnedBy) {}

    /** The failure a {@code -failed} tag records; empty for any other tag. */
    public static Optional<Recorded> parse(GitRepo.TagRef tag) {
        if (!tag.name().endsWith(TAG_SUFFIX) || tag.message() == null) return Optional.empty();
        String message = tag.message();
        String summary = message.lines().findFirst().orElse("");
        int colon = summary.indexOf(": ", summary.indexOf("): ") + 3);
        String reason = colon < 0 ? summary : summary.substring(colon + 2);
        return Optional.of(new Recorded(tag.name(), DeploymentHistory.time(tag), CommitMessage.trailerOf(message, "Attempted").orElse(null),
                CommitMessage.trailerOf(message, "Result").orElse(null), reason,
                CommitMessage.trailerOf(message, "Stack-Status").orElse(null), CommitMessage.trailerOf(message, "Returned-by").orElse(null)));
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.lines().findFirst().orElse("").strip();
    }

    static String shortId(String id) {
        return id == null ? "-" : id.substring(0, Math.min(10, id.length()));
    }
}

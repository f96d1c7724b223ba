package io.datomicgitops.deploy;

import io.datomicgitops.ToolException;
import io.datomicgitops.configrepo.StackFolder;
import io.datomicgitops.configrepo.StackInputs;
import io.datomicgitops.record.Approval;
import io.datomicgitops.record.FailedDeployment;
import io.datomicgitops.record.Publisher;
import io.datomicgitops.record.ReturnToDeployed;
import io.datomicgitops.stack.StackDeployer;
import io.datomicgitops.stack.StackFailedException;
import io.datomicgitops.stack.StackInfo;
import io.datomicgitops.stack.StackResult;
import io.datomicgitops.stack.StackStatuses;

import java.util.List;
import java.util.Optional;

/**
 * A deployment that failed from the stack update on (CloudFormation rolled back, the update failed, the replacement
 * failed, a guard stopped it): reads what the stack runs now and makes git say so ({@link FailedDeployment}: the files
 * returned to the last deployment when AWS runs it again, a {@code -failed} tag always). The original error stays the
 * run's error: a failure while recording is added to it as suppressed and said as a warning, never thrown instead.
 */
final class FailedApply {
    private final DeployContext ctx;
    private final Publisher publisher;

    FailedApply(DeployContext ctx, Publisher publisher) {
        this.ctx = ctx;
        this.publisher = publisher;
    }

    /**
     * Records the failure and returns the error for the caller to throw: {@code failure} itself, or, when git was
     * returned, the same error (message, exit code) whose advice says how to deploy the change again.
     *
     * @param attempted   the commit the run was deploying (HEAD before its own commits)
     * @param newTemplate the template this run submitted
     */
    RuntimeException record(StackPlan plan, String attempted, String newTemplate, Approval approval, RuntimeException failure) {
        StackInputs in = plan.inputs();
        StackFolder folder = in.folder();
        try {
            StackDeployer deployer = new StackDeployer(ctx.aws(), in.region(), ctx.log(), ctx.clock());
            Optional<StackInfo> info = deployer.describe(in.stackName());
            Optional<String> deployed = ReturnToDeployed.deployedCommit(publisher.repo(), "HEAD", folder.relativeDir());
            Optional<String> lastDeployed = deployed.flatMap(c -> publisher.repo().readAt(c, folder.gitPath(StackFolder.TEMPLATE)));
            // a stack without a deployment record (adopted) rolled back to what it ran before the run, as the plan read it
            FailedDeployment.Result result = result(deployer, info, lastDeployed.or(plan::deployedTemplate), newTemplate);
            FailedDeployment f = new FailedDeployment(folder.name(), in.stackName(), attempted, ctx.clock().instant(), reason(failure),
                    result, info.map(StackInfo::status).orElse("DOES_NOT_EXIST"), events(failure));
            FailedDeployment.Published published = f.publish(publisher, folder, deployed, approval);
            String tag = published.tag();
            ctx.log().warn("the deployment failed (" + result.label + "): " + switch (result) {
                case ROLLED_BACK -> published.returnedBy().isPresent()
                        ? "the stack runs the last deployment again; git returned to it, tagged " + tag
                        : "the stack runs what it ran before; " + (deployed.isPresent() ? "git already says so" : "no deployment record to return git to")
                        + ", tagged " + tag;
                case STOPPED -> "the stack runs this deployment's template, its instances are not all replaced; tagged " + tag
                        + " (the next apply replaces the rest)";
                case NOT_CREATED -> "the stack was never deployed, nothing runs; tagged " + tag;
                case UNSETTLED -> "what the stack runs could not be told (" + f.stackStatus() + "); git left as it is, tagged " + tag;
            });
            if (published.returnedBy().isPresent() && failure instanceof ToolException t) {
                // "re-run" would now do nothing: the change that failed is no longer at HEAD
                String back = published.returnedBy().get().substring(0, 10);
                return new ToolException(t.exitCode(), t.what(), t.where(), "git was returned to what AWS runs in " + back + " (tag " + tag
                        + "); to deploy the change again, fix the cause named above, then revert " + back + " through a pull request", t);
            }
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
            ctx.log().warn("could not record the failed deployment in git (" + String.valueOf(e.getMessage()).lines().findFirst().orElse("")
                    + "): git may still hold the new files while AWS runs the old ones; return " + folder.relativeDir()
                    + " to the last deployment by hand (docs/ROLLBACK.md)");
        }
        return failure;
    }

    /** What the stack runs now, compared with the last deployment's template and this run's. */
    private static FailedDeployment.Result result(StackDeployer deployer, Optional<StackInfo> info, Optional<String> lastDeployed,
                                                  String newTemplate) {
        if (info.isEmpty() || info.get().isReviewOnly() || StackStatuses.needsDeletion(info.get().status())) {
            return FailedDeployment.Result.NOT_CREATED;
        }
        if (StackStatuses.inProgress(info.get().status()) || StackStatuses.rollbackFailed(info.get().status())) {
            return FailedDeployment.Result.UNSETTLED;
        }
        Optional<String> running = deployer.deployedTemplate(info);
        if (running.isEmpty()) return FailedDeployment.Result.UNSETTLED;
        // this run's template first: when it is the last deployment's too, HEAD already says what runs
        if (StackPlanner.sameJson(running.get(), newTemplate)) return FailedDeployment.Result.STOPPED;
        if (lastDeployed.isPresent() && StackPlanner.sameJson(running.get(), lastDeployed.get())) return FailedDeployment.Result.ROLLED_BACK;
        return FailedDeployment.Result.UNSETTLED;
    }

    private static String reason(RuntimeException failure) {
        if (failure instanceof ToolException t && t.what() != null) return t.what();
        return String.valueOf(failure.getMessage() == null ? failure.toString() : failure.getMessage());
    }

    /** The stack's failing events when the stack failed (else none: the reason says it all). */
    private static List<String> events(RuntimeException failure) {
        if (!(failure instanceof StackFailedException s) || s.result() == null) return List.of();
        StackResult r = s.result();
        List<StackResult.StackEventLine> lines = r.failures() == null || r.failures().isEmpty() ? r.events() : r.failures();
        return lines == null ? List.of() : lines.stream().map(StackResult.StackEventLine::describe).toList();
    }
}

package io.datomicgitops.deploy;

import io.datomicgitops.configrepo.StackFolder;
import io.datomicgitops.configrepo.StackInputs;
import io.datomicgitops.config.PropertiesFile;
import io.datomicgitops.git.CommitMessage;
import io.datomicgitops.report.Json;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What brings a drifted stack's files in line with AWS, for a person to review on a {@code drift/<stack>} branch:
 * cf.json becomes the template the stack runs, a name AWS has and a file lacks is written into that file, and a
 * protection AWS has off is opted out of in deploy.properties. What no file can say (a policy edited by hand, a
 * missing resource, an ingress rule added by hand) is listed in the commit's body instead, for the reviewer to settle.
 *
 * @param stack        the stack folder
 * @param files        the files that change, by path in the repository, with their new text
 * @param expressed    the differences the files now follow
 * @param notExpressed the differences no file can express
 */
public record DriftFix(String stack, Map<String, String> files, List<StackDrift.Difference> expressed,
                       List<StackDrift.Difference> notExpressed, boolean pendingGitChanges) {
    /** The branch a stack's fix is pushed to. */
    public static String branch(String stack) {
        return "drift/" + stack;
    }

    /** The commit phase of a drift fix (its Phase trailer), which tells the tool's drift commits from anyone's. */
    public static final String PHASE = "drift";

    /**
     * A protection the ensure phase turns on, by resource kind and field as drift names it, and the deploy.properties
     * key that opts out of it: AWS has it off, so git says not to turn it on.
     */
    private static final Map<String, String> PROTECTION_OPT_OUTS = Map.of(
            "dynamodb-table deletion-protection", "table-deletion-protection",
            "dynamodb-table point-in-time-recovery", "table-point-in-time-recovery",
            "s3-bucket block-public-access", "log-bucket-block-public-access",
            "s3-bucket versioning", "log-bucket-versioning");

    public DriftFix {
        files = Map.copyOf(files);
        expressed = List.copyOf(expressed);
        notExpressed = List.copyOf(notExpressed);
    }

    /** The fix for a stack's drift, from its read-only plan and the template it runs. */
    public static DriftFix of(StackPlan plan, Optional<String> deployedTemplate, StackDrift drift) {
        StackInputs in = plan.inputs();
        StackFolder folder = in.folder();
        Map<String, String> files = new LinkedHashMap<>();
        Map<String, PropertiesFile> properties = new LinkedHashMap<>();
        List<StackDrift.Difference> expressed = new ArrayList<>();
        List<StackDrift.Difference> notExpressed = new ArrayList<>();
        for (StackDrift.Difference d : drift.differences()) {
            if (d.kind().equals("template") && deployedTemplate.isPresent()) {
                files.put(folder.gitPath(StackFolder.TEMPLATE), canonical(deployedTemplate.get()));
                expressed.add(d);
            } else if (d.kind().equals("key")) {
                // "transactor.properties:aws-peer-role": a name the ensure phase found in AWS and the file lacks
                int colon = d.name().indexOf(':');
                String file = d.name().substring(0, colon);
                properties.computeIfAbsent(file, f -> StackInputs.copy(propertiesOf(in, f))).set(d.name().substring(colon + 1), d.aws());
                expressed.add(d);
            } else if (PROTECTION_OPT_OUTS.containsKey(d.kind() + " " + d.field()) && !"(new)".equals(d.aws())) {
                properties.computeIfAbsent(StackFolder.DEPLOY, f -> StackInputs.copy(in.deploy()))
                        .set(PROTECTION_OPT_OUTS.get(d.kind() + " " + d.field()), "false");
                expressed.add(d);
            } else {
                notExpressed.add(d);
            }
        }
        properties.forEach((name, file) -> files.put(folder.gitPath(name), new String(file.toBytes(), StandardCharsets.UTF_8)));
        return new DriftFix(plan.stack(), files, expressed, notExpressed, drift.pendingGitChanges());
    }

    private static PropertiesFile propertiesOf(StackInputs in, String name) {
        return switch (name) {
            case StackFolder.TRANSACTOR -> in.tx();
            case StackFolder.CF -> in.cf();
            case StackFolder.DEPLOY -> in.deploy();
            default -> throw new IllegalArgumentException("drift names a key of an unknown file: " + name);
        };
    }

    /** The template as the tool writes cf.json (pretty JSON, a trailing newline), so the review shows what differs. */
    private static String canonical(String template) {
        try {
            return Json.write(Json.mapper().readTree(template));
        } catch (java.io.IOException e) {
            return template; // not JSON: as AWS runs it
        }
    }

    /** The commit that brings git in line with AWS: what changed in which file, and what is left to the reviewer. */
    public CommitMessage message(String stackName) {
        CommitMessage m = CommitMessage.of(PHASE, stack, "bring git in line with AWS (" + expressed.size() + " of "
                + (expressed.size() + notExpressed.size()) + " difference(s))");
        m.line("drift found " + stackName + " running something else than git says. This commit makes the files say what AWS");
        m.line("runs, for review: merge it to keep AWS's state, or close it and run apply to put back git's.");
        if (pendingGitChanges) {
            m.line("");
            m.line("Careful: git held changes not deployed yet; some differences may be those changes, waiting for apply.");
        }
        m.line("");
        m.line("In the files:");
        expressed.forEach(d -> m.line("- " + d));
        if (!notExpressed.isEmpty()) {
            m.line("");
            m.line("Not expressible in the files (settle them in AWS, or by hand in git):");
            notExpressed.forEach(d -> m.line("- " + d));
        }
        return m;
    }
}

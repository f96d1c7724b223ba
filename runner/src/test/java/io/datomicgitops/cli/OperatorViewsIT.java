package io.datomicgitops.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.datomicgitops.aws.AwsClients;
import io.datomicgitops.report.Json;
import io.datomicgitops.testing.ConfigRepoFixture;
import io.datomicgitops.testing.Sandbox;
import io.datomicgitops.testing.SandboxExtension;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The operator's views against the sandbox and a real config repo: status (in sync or not with HEAD, and what
 * differs; each instance's type, age and Datomic version) and history (the deploy tags and records, what each
 * deployed, what is pending), through two deployments and the rollback docs/ROLLBACK.md describes: a revert of the
 * change commit, planned, applied, the instances replaced again.
 */
@ExtendWith(SandboxExtension.class)
class OperatorViewsIT {
    private static final String CF = "stacks/demo/cf.properties";
    private static final String DEPLOY = "stacks/demo/deploy.properties";
    private static final String STACK = "demo-datomic-transactor";

    @TempDir
    Path tmp;

    Sandbox sandbox;
    private int reports;

    @BeforeEach
    void reset(Sandbox sandbox) {
        this.sandbox = sandbox;
        sandbox.reset();
    }

    private record Run(CliRun cli, JsonNode report) {
        JsonNode demo() {
            return report.path("stacks").path("demo");
        }
    }

    private Run run(ConfigRepoFixture repo, String... args) throws Exception {
        Path report = tmp.resolve("report-" + (++reports) + ".json");
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--report", report.toString()));
        if (args[0].equals("plan")) all.addAll(List.of("--plan-md", tmp.resolve("plan-" + reports + ".md").toString()));
        CliRun cli = repo.run(all.toArray(String[]::new));
        return new Run(cli, Json.mapper().readTree(Files.readString(report)));
    }

    private List<String> instances() {
        try (AwsClients aws = sandbox.clients()) {
            String group = aws.cloudFormation(null).describeStackResources(r -> r.stackName(STACK)).stackResources().stream()
                    .filter(r -> r.resourceType().equals("AWS::AutoScaling::AutoScalingGroup")).findFirst().orElseThrow().physicalResourceId();
            return aws.autoScaling(null).describeAutoScalingGroups(r -> r.autoScalingGroupNames(group)).autoScalingGroups().get(0)
                    .instances().stream().map(i -> i.instanceId()).toList();
        }
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    /** A stack's part of a report without what differs between two runs of the same plan: durations and times. */
    private static JsonNode withoutTimes(JsonNode stack) {
        JsonNode copy = stack.deepCopy();
        List<com.fasterxml.jackson.databind.node.ObjectNode> objects = new ArrayList<>();
        copy.findParents("durationMs").forEach(n -> objects.add((com.fasterxml.jackson.databind.node.ObjectNode) n));
        objects.forEach(o -> o.remove("durationMs"));
        return copy;
    }

    private static List<String> ids(JsonNode changes) {
        List<String> out = new ArrayList<>();
        changes.forEach(n -> out.add(n.path("id").asText()));
        return out;
    }

    @Test
    void statusAndHistoryThroughTwoDeploymentsAndARollbackByRevert() throws Exception {
        ConfigRepoFixture repo = ConfigRepoFixture.create(tmp, sandbox);
        String dir = repo.clone.toString();
        assertThat(repo.checkout().exitCode()).isZero();
        String initial = repo.remoteLog().get(0).getName();

        // nothing deployed: out of sync, every commit to the folder pending
        Run before = run(repo, "status", "--dir", dir);
        assertThat(before.cli().exitCode()).as(before.cli().err()).isEqualTo(2);
        assertThat(before.demo().path("status").asText()).isEqualTo("NOT_FOUND");
        assertThat(before.demo().path("inSync").asBoolean()).isFalse();
        assertThat(texts(before.demo().path("differences"))).startsWith("the stack does not exist: apply creates it")
                .contains("iam-role datomic-aws-transactor: to create", "no deployment recorded (deployment.json)");
        assertThat(before.report().path("status").asText()).isEqualTo("changes-pending");
        assertThat(before.report().path("awsCalls").path("mutating").asLong()).isZero();
        Run none = run(repo, "history", "demo", "--dir", dir);
        assertThat(none.cli().exitCode()).as(none.cli().err()).isZero();
        assertThat(ids(none.demo().path("pending"))).containsExactly(initial);
        assertThat(none.demo().path("deployments")).isEmpty();

        // the first deployment: in sync, one m5.large running the cf.properties' Datomic version
        CliRun first = repo.run("apply", "--dir", dir, "--approved-by", "alice", "--build-url", "https://ci.example/job/1/",
                "--report", tmp.resolve("apply-1.json").toString());
        assertThat(first.exitCode()).as(first.err()).isZero();
        List<String> firstInstances = instances();
        Run synced = run(repo, "status", "--dir", dir);
        assertThat(synced.cli().exitCode()).as(synced.cli().out() + synced.cli().err()).isZero();
        assertThat(synced.demo().path("inSync").asBoolean()).isTrue();
        assertThat(synced.demo().path("differences")).isEmpty();
        assertThat(synced.demo().path("datomicVersion").asText()).isEqualTo("1.0.7277");
        assertThat(synced.demo().path("instances")).hasSize(1).first().satisfies(i -> {
            assertThat(i.path("instanceId").asText()).isEqualTo(firstInstances.get(0));
            assertThat(i.path("instanceType").asText()).isEqualTo("m5.large");
            assertThat(i.path("datomicVersion").asText()).isEqualTo("1.0.7277");
            assertThat(i.path("ageSeconds").asLong()).isBetween(0L, 600L);
            assertThat(i.path("current").asBoolean()).isTrue();
        });
        assertThat(synced.cli().out()).contains("demo: stack demo-datomic-transactor (us-east-1) CREATE_COMPLETE",
                "  in sync with HEAD " + repo.remoteLog().get(0).getName().substring(0, 10),
                "  " + firstInstances.get(0) + " m5.large, up ", ", Datomic 1.0.7277, InService/Healthy",
                "1 stack(s): 1 in sync, 0 out of sync");

        // a change merged, not applied yet: out of sync, and what an apply would do
        String change = repo.push(Map.of(CF, repo.remoteFile(CF).replace("aws-instance-type=m5.large", "aws-instance-type=m5.xlarge"),
                DEPLOY, repo.remoteFile(DEPLOY).replace("replace-strategy=terminate", "replace-strategy=surge")), "m5.xlarge, surge");
        assertThat(repo.checkout().exitCode()).isZero();
        Run outOfSync = run(repo, "status", "--dir", dir);
        assertThat(outOfSync.cli().exitCode()).as(outOfSync.cli().err()).isEqualTo(2);
        assertThat(outOfSync.demo().path("inSync").asBoolean()).isFalse();
        int diffLines = outOfSync.demo().path("plan").path("templateDiffLines").asInt();
        assertThat(texts(outOfSync.demo().path("differences"))).containsExactly(
                "the template the properties make differs from cf.json (" + diffLines + " diff lines)",
                "stack parameter InstanceType: m5.large -> m5.xlarge",
                "instance " + firstInstances.get(0) + " to replace (surge): the update changes what the transactors launch from",
                "deployment.json records commit " + outOfSync.demo().path("lastDeployment").path("deployedCommit").asText().substring(0, 10)
                        + ", not these files");
        assertThat(outOfSync.demo().path("instances").get(0).path("instanceType").asText()).as("what runs, not what HEAD says").isEqualTo("m5.large");
        assertThat(outOfSync.cli().out()).contains("  OUT OF SYNC with HEAD " + change.substring(0, 10) + ": an apply would change",
                "    - stack parameter InstanceType: m5.large -> m5.xlarge", "1 stack(s): 0 in sync, 1 out of sync");
        Run pending = run(repo, "history", "demo", "--dir", dir);
        assertThat(pending.demo().path("pending")).hasSize(1).first().satisfies(c -> {
            assertThat(c.path("id").asText()).isEqualTo(change);
            assertThat(c.path("subject").asText()).isEqualTo("m5.xlarge, surge");
            assertThat(c.path("author").asText()).isEqualTo("Olga Operator");
            assertThat(c.has("phase")).isFalse();
        });

        CliRun second = repo.run("apply", "--dir", dir, "--approved-by", "bob", "--build-url", "https://ci.example/job/2/",
                "--report", tmp.resolve("apply-2.json").toString());
        assertThat(second.exitCode()).as(second.err()).isZero();
        List<String> secondInstances = instances();

        // the rollback: revert the change commit (not the tool's), plan it, apply it
        String revert;
        try (Git operator = Git.open(tmp.resolve("operator").toFile())) {
            operator.pull().call();
            RevCommit r = operator.revert().include(operator.getRepository().resolve(change)).call();
            assertThat(r).as("the revert applies cleanly").isNotNull();
            revert = r.name();
            operator.push().setRemote("origin").add("main").call();
        }
        assertThat(repo.checkout().exitCode()).isZero();
        Run plan = run(repo, "plan", "--dir", dir);
        assertThat(plan.cli().exitCode()).as(plan.cli().err()).isEqualTo(2);
        assertThat(plan.demo().path("instancesToReplace").asInt()).isEqualTo(1);
        assertThat(plan.demo().path("strategy").asText()).as("the revert brought the old strategy back too").isEqualTo("terminate");
        CliRun third = repo.run("apply", "--dir", dir, "--approved-by", "carol", "--build-url", "https://ci.example/job/3/",
                "--report", tmp.resolve("apply-3.json").toString());
        assertThat(third.exitCode()).as(third.err()).isZero();
        Run after = run(repo, "status", "--dir", dir);
        assertThat(after.cli().exitCode()).as(after.cli().out() + after.cli().err()).isZero();
        assertThat(after.demo().path("instances")).hasSize(1).first().satisfies(i -> {
            assertThat(i.path("instanceType").asText()).isEqualTo("m5.large");
            assertThat(i.path("instanceId").asText()).isNotIn(firstInstances).isNotIn(secondInstances);
        });

        // history: three deployments, newest first, each with the commits it deployed
        List<RevCommit> log = repo.remoteLog();
        assertThat(log).extracting(RevCommit::getShortMessage).containsExactly(
                "deploy(demo): deployed demo-datomic-transactor (updated, 1 instance(s) replaced by terminate)",
                log.get(1).getShortMessage(),
                "Revert \"m5.xlarge, surge\"",
                "deploy(demo): deployed demo-datomic-transactor (updated, 1 instance(s) replaced by surge)",
                log.get(4).getShortMessage(),
                "m5.xlarge, surge",
                "deploy(demo): deployed demo-datomic-transactor (created, no instances replaced)",
                log.get(7).getShortMessage(),
                "ensure-cf(demo): write java-xmx, java-opts",
                "ensure-transactor(demo): write aws-peer-role",
                "ensure-transactor(demo): write aws-transactor-role",
                "initial config");
        List<String> c = log.stream().map(RevCommit::getName).toList();
        assertThat(c.get(2)).isEqualTo(revert);
        List<String> tags = repo.remoteTags().stream().map(t -> t.substring("refs/tags/".length())).sorted().toList();
        assertThat(tags).hasSize(3);

        Run history = run(repo, "history", "demo", "--dir", dir);
        assertThat(history.cli().exitCode()).as(history.cli().err()).isZero();
        JsonNode h = history.demo();
        assertThat(h.path("head").asText()).isEqualTo(c.get(0));
        assertThat(h.path("pending")).isEmpty();
        assertThat(h.path("total").asInt()).isEqualTo(3);
        JsonNode d = h.path("deployments");
        assertThat(d).hasSize(3);
        String[][] expected = {
                // tag, commit, record commit, approver, build, strategy, status
                {tags.get(2), c.get(1), c.get(0), "carol", "https://ci.example/job/3/", "terminate", "UPDATE_COMPLETE"},
                {tags.get(1), c.get(4), c.get(3), "bob", "https://ci.example/job/2/", "surge", "UPDATE_COMPLETE"},
                {tags.get(0), c.get(7), c.get(6), "alice", "https://ci.example/job/1/", "terminate", "CREATE_COMPLETE"}};
        List<List<String>> replaced = List.of(secondInstances, firstInstances, List.of());
        List<List<String>> changes = List.of(c.subList(0, 3), c.subList(3, 6), c.subList(6, 12));
        for (int i = 0; i < 3; i++) {
            JsonNode e = d.get(i);
            String[] x = expected[i];
            assertThat(e.path("tag").asText()).isEqualTo(x[0]);
            String stamp = x[0].substring("deploy/demo/".length());
            assertThat(e.path("time").asText()).isEqualTo(stamp.substring(0, 4) + "-" + stamp.substring(4, 6) + "-" + stamp.substring(6, 8)
                    + "T" + stamp.substring(9, 11) + ":" + stamp.substring(11, 13) + ":" + stamp.substring(13, 15) + "Z");
            assertThat(e.path("commit").asText()).isEqualTo(x[1]);
            assertThat(e.path("recordCommit").asText()).isEqualTo(x[2]);
            assertThat(e.path("stackName").asText()).isEqualTo(STACK);
            assertThat(e.path("approvedBy").asText()).isEqualTo(x[3]);
            assertThat(e.path("buildUrl").asText()).isEqualTo(x[4]);
            assertThat(e.path("strategy").asText()).isEqualTo(x[5]);
            assertThat(e.path("status").asText()).isEqualTo(x[6]);
            assertThat(texts(e.path("instancesReplaced"))).isEqualTo(replaced.get(i));
            assertThat(e.path("changeSetId").asText()).startsWith("arn:aws:cloudformation:us-east-1:");
            assertThat(e.path("record").asText()).isEqualTo("found");
            assertThat(e.path("onBranch").asBoolean()).isTrue();
            assertThat(ids(e.path("changes"))).isEqualTo(changes.get(i));
        }
        assertThat(d.get(0).path("changes").get(2).path("subject").asText()).isEqualTo("Revert \"m5.xlarge, surge\"");
        assertThat(d.get(0).path("changes").get(0).path("phase").asText()).isEqualTo("deploy");
        assertThat(history.cli().out()).contains(
                "demo: 3 deployment(s); HEAD " + c.get(0).substring(0, 10),
                "pending: nothing (every commit to stacks/demo/ on this branch is deployed)",
                "  " + tags.get(2) + "  UPDATE_COMPLETE",
                "  commit " + c.get(1).substring(0, 10) + ", approved by carol, build https://ci.example/job/3/",
                "  terminate: 1 instance(s) replaced (" + secondInstances.get(0) + ")",
                "  changes: " + revert.substring(0, 10) + " ",
                ": Revert \"m5.xlarge, surge\"",
                "           + 2 commit(s) by datomic-gitops (deploy, create-cf-template)",
                "           + 5 commit(s) by datomic-gitops (deploy, create-cf-template, ensure-cf, ensure-transactor)");

        // a shallow clone (checkout --depth 1) plans and tells the history as the full clone does: the template's last
        // change (the stack's commit tag) and every deployment lie behind its edge, and it fetches them as it reads
        Path shallow = tmp.resolve("shallow");
        CliRun shallowCheckout = repo.run("checkout", "--repo", repo.url(), "--dir", shallow.toString(), "--depth", "1",
                "--report", tmp.resolve("shallow-checkout.json").toString());
        assertThat(shallowCheckout.exitCode()).as(shallowCheckout.err()).isZero();
        Run fullPlan = run(repo, "plan", "--dir", dir);
        Run shallowPlan = run(repo, "plan", "--dir", shallow.toString());
        assertThat(shallowPlan.cli().exitCode()).as(shallowPlan.cli().err()).isEqualTo(fullPlan.cli().exitCode()).isZero();
        assertThat(shallowPlan.cli().out()).contains("git: the shallow clone (1 commit(s) deep) lacks history a read needs: fetching 2 deep");
        assertThat(withoutTimes(shallowPlan.demo())).isEqualTo(withoutTimes(fullPlan.demo()));
        Run shallowHistory = run(repo, "history", "demo", "--dir", shallow.toString());
        assertThat(shallowHistory.demo()).isEqualTo(h);
        assertThat(shallowHistory.cli().out()).endsWith(history.cli().out())
                .startsWith(shallowHistory.cli().out().substring(0, 9) + "git: the shallow clone lacks history a read needs: fetching the whole history\n");

        Run limited = run(repo, "history", "stacks/demo/", "--dir", dir, "--limit", "1");
        assertThat(limited.demo().path("deployments")).hasSize(1);
        assertThat(limited.cli().out()).contains("demo: 3 deployment(s), the newest 1 shown");
        Run unknown = run(repo, "history", "nope", "--dir", dir);
        assertThat(unknown.cli().exitCode()).isEqualTo(3);
        assertThat(unknown.cli().err()).contains("no stack folder stacks/nope and no deploy/nope/* tag");
    }

    @Test
    void aChangeTheApplyWouldRefuseIsADifferenceAndTheInstancesAreStillShown() throws Exception {
        ConfigRepoFixture repo = ConfigRepoFixture.create(tmp, sandbox);
        String dir = repo.clone.toString();
        repo.push(Map.of(DEPLOY, repo.remoteFile(DEPLOY) + "template.launch=configuration\n"), "keep the launch configuration");
        assertThat(repo.checkout().exitCode()).isZero();
        CliRun apply = repo.run("apply", "--dir", dir, "--report", tmp.resolve("a.json").toString());
        assertThat(apply.exitCode()).as(apply.err()).isZero();
        repo.push(Map.of(DEPLOY, repo.remoteFile(DEPLOY).replace("template.launch=configuration", "template.launch=template")), "launch templates");
        assertThat(repo.checkout().exitCode()).isZero();

        Run refused = run(repo, "status", "--dir", dir);
        assertThat(refused.cli().exitCode()).as(refused.cli().err()).isEqualTo(2);
        assertThat(texts(refused.demo().path("differences"))).singleElement().asString()
                .startsWith("cannot plan: stacks/demo/deploy.properties: stack demo-datomic-transactor runs a launch configuration, "
                        + "and the template would replace it with a launch template")
                .contains("--allow-launch-change");
        assertThat(refused.demo().path("instances")).hasSize(1).first().satisfies(i -> {
            assertThat(i.path("instanceType").asText()).isEqualTo("m5.large");
            assertThat(i.path("launchedFrom").asText()).startsWith("launch configuration ");
            assertThat(i.path("datomicVersion").asText()).isEqualTo("1.0.7277");
        });
        assertThat(refused.demo().has("plan")).isFalse();

        Run allowed = run(repo, "status", "--dir", dir, "--allow-launch-change");
        assertThat(allowed.cli().exitCode()).as(allowed.cli().err()).isEqualTo(2);
        assertThat(texts(allowed.demo().path("differences"))).noneMatch(l -> l.startsWith("cannot plan"))
                .anyMatch(l -> l.startsWith("instance ") && l.contains("to replace (terminate)"));

        // the move applied on purpose, then rolled back by a revert: the way back is a swap too, refused unless allowed again
        CliRun moved = repo.run("apply", "--dir", dir, "--allow-launch-change", "--report", tmp.resolve("moved.json").toString());
        assertThat(moved.exitCode()).as(moved.err()).isZero();
        try (Git operator = Git.open(tmp.resolve("operator").toFile())) {
            operator.pull().call();
            RevCommit launchTemplates = null;
            for (RevCommit c : operator.log().call()) {
                if (c.getShortMessage().equals("launch templates")) launchTemplates = c;
            }
            assertThat(operator.revert().include(launchTemplates).call()).isNotNull();
            operator.push().setRemote("origin").add("main").call();
        }
        assertThat(repo.checkout().exitCode()).isZero();
        Run back = run(repo, "plan", "--dir", dir);
        assertThat(back.cli().exitCode()).isEqualTo(3);
        assertThat(back.cli().err()).contains("error: stacks/demo/deploy.properties: stack demo-datomic-transactor runs a launch template, "
                + "and the template would replace it with a launch configuration (set template.launch=template to keep it, "
                + "or pass --allow-launch-change to move the stack on purpose)");
        Run backAllowed = run(repo, "plan", "--dir", dir, "--allow-launch-change");
        assertThat(backAllowed.cli().exitCode()).as(backAllowed.cli().err()).isEqualTo(2);
        assertThat(backAllowed.demo().path("instancesToReplace").asInt()).isEqualTo(1);
    }
}

package io.datomicgitops.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import io.datomicgitops.aws.AwsClients;
import io.datomicgitops.cli.CliRun;
import io.datomicgitops.report.Json;
import io.datomicgitops.testing.ConfigRepoFixture;
import io.datomicgitops.testing.GitDaemon;
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
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The GitOps flow end to end: the runner's CLI in-process, the example config repo in real git repositories (bare
 * repos on disk, git daemon on loopback), AWS in the sandbox.
 */
@ExtendWith(SandboxExtension.class)
class FlowIT {
    private static final String TX = "stacks/demo/transactor.properties";
    private static final String CF = "stacks/demo/cf.properties";
    private static final String DEPLOY = "stacks/demo/deploy.properties";

    @TempDir
    Path tmp;

    Sandbox sandbox;

    @BeforeEach
    void reset(Sandbox sandbox) {
        this.sandbox = sandbox;
        sandbox.reset();
    }

    private static JsonNode json(Path p) throws Exception {
        return Json.mapper().readTree(Files.readString(p));
    }

    @Test
    void firstDeployThenNoOpThenAChangedInstanceTypeReplacedBySurge() throws Exception {
        ConfigRepoFixture repo = ConfigRepoFixture.create(tmp, sandbox);
        try (GitDaemon daemon = GitDaemon.start(tmp)) {
            String url = daemon.url(repo.bare);
            assertThat(repo.run("checkout", "--repo", url, "--dir", repo.clone.toString(), "--report", tmp.resolve("c.json").toString()).exitCode()).isZero();

            Path planReport = tmp.resolve("plan.json");
            Path planMd = tmp.resolve("plan.md");
            CliRun plan = repo.run("plan", "--dir", repo.clone.toString(), "--report", planReport.toString(), "--plan-md", planMd.toString());
            assertThat(plan.exitCode()).as(plan.err()).isEqualTo(2);
            JsonNode summary = json(planReport).path("stacks").path("demo");
            assertThat(summary.path("changes").asBoolean()).isTrue();
            assertThat(summary.path("stackExists").asBoolean()).isFalse();
            assertThat(json(planReport).path("awsCalls").path("mutating").asLong()).isZero();
            assertThat(Files.readString(planMd)).contains("## demo: stack `demo-datomic-transactor`",
                    "**Impact:** 10 AWS resource(s) to create, 0 to update; a new stack launches its transactor(s); expected about 5 min.",
                    "| **create** | iam-role | datomic-aws-transactor (generated at apply) |", "+++ b/stacks/demo/cf.json", "### Memory",
                    "heap (java-xmx)");
            assertThat(summary.path("resourcesToCreate").asInt())
                    .as("the instance profile ensure-transactor creates is not counted again for ensure-cf (apply creates 10)").isEqualTo(10);
            assertThat(repo.remoteLog()).hasSize(1);

            Path applyReport = tmp.resolve("apply.json");
            CliRun apply = repo.run("apply", "--dir", repo.clone.toString(), "--approved-by", "alice", "--build-url", "https://ci.example/job/7/",
                    "--report", applyReport.toString());
            assertThat(apply.exitCode()).as(apply.err()).isZero();
            List<RevCommit> log = repo.remoteLog();
            assertThat(log).extracting(RevCommit::getShortMessage).containsExactly(
                    "deploy(demo): deployed demo-datomic-transactor (created, no instances replaced)",
                    "create-cf-template(demo): regenerate cf.json (+" + repo.remoteFile("stacks/demo/cf.json").lines().count() + " -0 lines)",
                    "ensure-cf(demo): write java-xmx, java-opts",
                    "ensure-transactor(demo): write aws-peer-role",
                    "ensure-transactor(demo): write aws-transactor-role",
                    "initial config");
            assertThat(log.get(0).getFullMessage()).contains("Phase: deploy\nStack: demo\nApproved-by: alice\nBuild-URL: https://ci.example/job/7/\nChange-Set: arn:aws:cloudformation:");
            assertThat(log.get(0).getCommitterIdent().getName()).as("the approver is recorded, not impersonated").isEqualTo("datomic-gitops");
            assertThat(repo.remoteFile(TX)).contains("# aws-transactor-role=\naws-transactor-role=datomic-aws-transactor\n");
            assertThat(repo.remoteTags()).singleElement().asString().startsWith("refs/tags/deploy/demo/");
            JsonNode record = Json.mapper().readTree(repo.remoteFile("stacks/demo/deployment.json"));
            assertThat(record.path("status").asText()).isEqualTo("CREATE_COMPLETE");
            assertThat(record.path("approvedBy").asText()).isEqualTo("alice");
            assertThat(json(applyReport).path("stacks").path("demo").path("tag").asText()).startsWith("deploy/demo/");

            // nothing changed: no mutating call, no commit
            Path noop = tmp.resolve("noop.json");
            CliRun again = repo.run("apply", "--dir", repo.clone.toString(), "--approved-by", "alice", "--report", noop.toString());
            assertThat(again.exitCode()).as(again.err()).isZero();
            assertThat(again.out()).contains("demo: nothing to do");
            assertThat(json(noop).path("awsCalls").path("mutating").asLong()).as(json(noop).path("awsCalls").toString()).isZero();
            assertThat(repo.remoteLog()).hasSize(6);

            // a bigger instance, replaced by surge
            String groupBefore;
            List<String> instancesBefore;
            try (AwsClients aws = sandbox.clients()) {
                groupBefore = aws.cloudFormation(null).describeStackResources(r -> r.stackName("demo-datomic-transactor")).stackResources()
                        .stream().filter(r -> r.resourceType().equals("AWS::AutoScaling::AutoScalingGroup")).findFirst().orElseThrow().physicalResourceId();
                instancesBefore = aws.autoScaling(null).describeAutoScalingGroups(r -> r.autoScalingGroupNames(groupBefore))
                        .autoScalingGroups().get(0).instances().stream().map(i -> i.instanceId()).toList();
            }
            repo.push(Map.of(CF, repo.remoteFile(CF).replace("aws-instance-type=m5.large", "aws-instance-type=m5.xlarge"),
                    DEPLOY, repo.remoteFile(DEPLOY).replace("replace-strategy=terminate", "replace-strategy=surge")), "m5.xlarge, surge");
            assertThat(repo.run("checkout", "--repo", url, "--dir", repo.clone.toString(), "--report", tmp.resolve("c2.json").toString()).exitCode()).isZero();
            Path replan = tmp.resolve("replan.json");
            assertThat(repo.run("plan", "--dir", repo.clone.toString(), "--report", replan.toString(), "--plan-md", tmp.resolve("re.md").toString())
                    .exitCode()).isEqualTo(2);
            assertThat(json(replan).path("stacks").path("demo").path("instancesToReplace").asInt())
                    .as("a new instance type means the running transactor is replaced").isEqualTo(instancesBefore.size());
            assertThat(Files.readString(tmp.resolve("re.md"))).contains(
                    "**Impact:** the template changes; replaces 1 of 1 transactor(s) by surge: 1 failover (about 11 s without writes); "
                            + "expected about 5 min.",
                    "| cf.properties | `aws-instance-type` | `m5.large` | `m5.xlarge` |",
                    "| deploy.properties | `replace-strategy` | `terminate` | `surge` |");
            Path changed = tmp.resolve("changed.json");
            CliRun third = repo.run("apply", "--dir", repo.clone.toString(), "--approved-by", "bob", "--report", changed.toString());
            assertThat(third.exitCode()).as(third.err()).isZero();
            JsonNode rec = Json.mapper().readTree(repo.remoteFile("stacks/demo/deployment.json"));
            assertThat(rec.path("strategy").asText()).isEqualTo("surge");
            assertThat(rec.path("instancesReplaced")).extracting(JsonNode::asText).containsExactlyElementsOf(instancesBefore);
            assertThat(rec.path("downtimeSeconds").asDouble()).isZero();
            try (AwsClients aws = sandbox.clients()) {
                List<String> now = aws.autoScaling(null).describeAutoScalingGroups(r -> r.autoScalingGroupNames(groupBefore))
                        .autoScalingGroups().get(0).instances().stream().map(i -> i.instanceId()).toList();
                assertThat(now).hasSameSizeAs(instancesBefore).doesNotContainAnyElementsOf(instancesBefore);
            }
        }
    }

    /**
     * The saved plan is the contract. A launch change after a deployment that replaced instances replaces them again
     * (the plan used to list the last deployment's instances as "keep" while apply replaced them); a plan whose commit
     * was overtaken by someone's change, or whose AWS side changed since, is refused before anything changes.
     */
    @Test
    void whatThePlanSaysIsWhatApplyDoesAndNothingElse() throws Exception {
        ConfigRepoFixture repo = ConfigRepoFixture.create(tmp, sandbox);
        assertThat(repo.checkout().exitCode()).isZero();
        Path first = tmp.resolve("first.plan.json");
        assertThat(repo.run("plan", "--dir", repo.clone.toString(), "--out", first.toString(), "--report", tmp.resolve("p0.json").toString(),
                "--plan-md", tmp.resolve("p0.md").toString()).exitCode()).isEqualTo(2);
        CliRun created = repo.run("apply", "--dir", repo.clone.toString(), "--plan", first.toString(), "--report", tmp.resolve("a0.json").toString());
        assertThat(created.exitCode()).as(created.err()).isZero();

        // 1: a bigger instance, surge: the instance replaced, the new one recorded as launched by this deployment
        repo.push(Map.of(CF, repo.remoteFile(CF).replace("aws-instance-type=m5.large", "aws-instance-type=m5.xlarge"),
                DEPLOY, repo.remoteFile(DEPLOY).replace("replace-strategy=terminate", "replace-strategy=surge")), "m5.xlarge, surge");
        assertThat(repo.checkout().exitCode()).isZero();
        JsonNode bigger = planAndApply(repo, "bigger");
        List<String> launched = texts(bigger.path("stacks").path("demo").path("instancesReplaced"));
        JsonNode record = Json.mapper().readTree(repo.remoteFile("stacks/demo/deployment.json"));
        List<String> running = texts(record.path("instancesLaunched"));
        assertThat(launched).hasSize(1);
        assertThat(running).hasSize(1);

        // 2: a user-data-only change (the object cache): the instance the last deployment launched is old now
        repo.push(Map.of(TX, repo.remoteFile(TX).replace("object-cache-max=1g", "object-cache-max=2g")), "bigger object cache");
        assertThat(repo.checkout().exitCode()).isZero();
        Path cachePlan = tmp.resolve("cache.plan.json");
        Path cacheReport = tmp.resolve("cache.report.json");
        assertThat(repo.run("plan", "--dir", repo.clone.toString(), "--out", cachePlan.toString(), "--report", cacheReport.toString(),
                "--plan-md", tmp.resolve("cache.md").toString()).exitCode()).isEqualTo(2);
        assertThat(json(cacheReport).path("stacks").path("demo").path("instancesToReplace").asInt())
                .as("the plan says the running instance is replaced").isEqualTo(1);
        Path cacheApply = tmp.resolve("cache.apply.json");
        CliRun cache = repo.run("apply", "--dir", repo.clone.toString(), "--plan", cachePlan.toString(), "--report", cacheApply.toString());
        assertThat(cache.exitCode()).as(cache.err()).isZero();
        assertThat(texts(json(cacheApply).path("stacks").path("demo").path("instancesReplaced")))
                .as("apply replaces exactly what the plan said").isEqualTo(running);

        // 3: someone's change lands between the approved plan and the apply: refused, nothing changed
        repo.push(Map.of(CF, repo.remoteFile(CF).replace("aws-instance-type=m5.xlarge", "aws-instance-type=m5.2xlarge")), "even bigger");
        assertThat(repo.checkout().exitCode()).isZero();
        Path approved = tmp.resolve("approved.plan.json");
        assertThat(repo.run("plan", "--dir", repo.clone.toString(), "--out", approved.toString(), "--report", tmp.resolve("p3.json").toString(),
                "--plan-md", tmp.resolve("p3.md").toString()).exitCode()).isEqualTo(2);
        repo.push(Map.of(CF, repo.remoteFile(CF).replace("aws-ingress-cidrs=10.0.0.0/16", "aws-ingress-cidrs=0.0.0.0/0")), "open ingress");
        assertThat(repo.checkout().exitCode()).isZero();
        int commits = repo.remoteLog().size();
        Path refused = tmp.resolve("refused.json");
        CliRun overtaken = repo.run("apply", "--dir", repo.clone.toString(), "--plan", approved.toString(), "--report", refused.toString());
        assertThat(overtaken.exitCode()).as(overtaken.err()).isEqualTo(8);
        assertThat(overtaken.err()).contains("the plan was approved at " + approved(approved)).contains("open ingress");
        assertThat(json(refused).path("awsCalls").path("mutating").asLong()).isZero();
        assertThat(repo.remoteLog()).as("nothing committed").hasSize(commits);

        // 4: the same commit, but AWS changed since the plan (an instance replaced by hand): refused, nothing changed
        Path fresh = tmp.resolve("fresh.plan.json");
        assertThat(repo.run("plan", "--dir", repo.clone.toString(), "--out", fresh.toString(), "--report", tmp.resolve("p4.json").toString(),
                "--plan-md", tmp.resolve("p4.md").toString()).exitCode()).isEqualTo(2);
        try (AwsClients aws = sandbox.clients()) {
            String instance = texts(Json.mapper().readTree(repo.remoteFile("stacks/demo/deployment.json")).path("instancesLaunched")).get(0);
            aws.autoScaling(null).terminateInstanceInAutoScalingGroup(r -> r.instanceId(instance).shouldDecrementDesiredCapacity(false));
        }
        Path changedAws = tmp.resolve("changed-aws.json");
        CliRun stale = repo.run("apply", "--dir", repo.clone.toString(), "--plan", fresh.toString(), "--report", changedAws.toString());
        assertThat(stale.exitCode()).as(stale.err()).isEqualTo(8);
        assertThat(stale.err()).contains("what apply would do is not what was approved").contains("demo: instances to replace: approved [");
        assertThat(json(changedAws).path("awsCalls").path("mutating").asLong()).isZero();
        assertThat(repo.remoteLog()).hasSize(commits);
    }

    private JsonNode planAndApply(ConfigRepoFixture repo, String name) throws Exception {
        Path saved = tmp.resolve(name + ".plan.json");
        assertThat(repo.run("plan", "--dir", repo.clone.toString(), "--out", saved.toString(), "--report", tmp.resolve(name + ".p.json").toString(),
                "--plan-md", tmp.resolve(name + ".md").toString()).exitCode()).isEqualTo(2);
        Path report = tmp.resolve(name + ".a.json");
        CliRun apply = repo.run("apply", "--dir", repo.clone.toString(), "--plan", saved.toString(), "--report", report.toString());
        assertThat(apply.exitCode()).as(apply.err()).isZero();
        return json(report);
    }

    private static String approved(Path savedPlan) throws Exception {
        return json(savedPlan).path("head").asText().substring(0, 10);
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new java.util.ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    @Test
    void planOnAPullRequestBranchOnlyReadsAndPicksTheChangedStacks() throws Exception {
        ConfigRepoFixture repo = ConfigRepoFixture.create(tmp, sandbox, "other");
        assertThat(repo.checkout().exitCode()).isZero();
        // the PR: a change to the "other" stack only, on a branch
        try (Git git = Git.open(repo.clone.toFile())) {
            git.checkout().setCreateBranch(true).setName("bigger-other").call();
            Path cf = repo.clone.resolve("stacks/other/cf.properties");
            Files.writeString(cf, Files.readString(cf).replace("m5.large", "m5.xlarge"));
            git.commit().setAll(true).setMessage("bigger other").setAuthor("Olga", "o@x").setCommitter("Olga", "o@x").setSign(false).call();
        }
        Path report = tmp.resolve("pr.json");
        CliRun plan = repo.run("plan", "--dir", repo.clone.toString(), "--since", "origin/main", "--report", report.toString(),
                "--plan-md", tmp.resolve("pr.md").toString());
        assertThat(plan.exitCode()).as(plan.err()).isEqualTo(2);
        JsonNode r = json(report);
        assertThat(r.path("stacks").fieldNames()).toIterable().containsExactly("other");
        assertThat(r.path("awsCalls").path("mutating").asLong()).as("a plan makes no mutating call").isZero();
        assertThat(repo.remoteLog()).hasSize(1);
        try (AwsClients aws = sandbox.clients()) {
            assertThat(aws.iam().listRoles().roles()).as("nothing was created").isEmpty();
            assertThat(aws.cloudFormation(null).listStacks().stackSummaries()).isEmpty();
        }
    }

    @Test
    void whenTheRemoteMovesDuringTheApplyTheToolRebasesAndKeepsEveryCommit() throws Exception {
        ConfigRepoFixture repo = ConfigRepoFixture.create(tmp, sandbox);
        assertThat(repo.checkout().exitCode()).isZero();
        String theirs = repo.push(Map.of("README.md", "# our config\nreviewed by the team\n"), "readme: team note");
        CliRun apply = repo.run("apply", "--dir", repo.clone.toString(), "--approved-by", "alice", "--report", tmp.resolve("a.json").toString());
        assertThat(apply.exitCode()).as(apply.err()).isZero();
        List<RevCommit> log = repo.remoteLog();
        assertThat(log).extracting(RevCommit::getName).contains(theirs);
        assertThat(log).allSatisfy(c -> assertThat(c.getParentCount()).as("linear history").isLessThanOrEqualTo(1));
        assertThat(repo.remoteFile("README.md")).contains("reviewed by the team");
        assertThat(repo.remoteFile(TX)).contains("aws-transactor-role=datomic-aws-transactor");
    }

    @Test
    void aChangeToTheStackPushedAfterTheCheckoutStopsTheApplyBeforeItActs() throws Exception {
        ConfigRepoFixture repo = ConfigRepoFixture.create(tmp, sandbox);
        assertThat(repo.checkout().exitCode()).isZero();
        String tx = repo.remoteFile(TX);
        String theirs = repo.push(Map.of(TX, tx.replace("# aws-transactor-role=\n", "# aws-transactor-role=\naws-transactor-role=team-transactor\n")),
                "use the team's transactor role");
        CliRun apply = repo.run("apply", "--dir", repo.clone.toString(), "--approved-by", "alice", "--report", tmp.resolve("a.json").toString());
        assertThat(apply.exitCode()).isEqualTo(4);
        assertThat(apply.err()).contains("stack files changed on the remote since this run's checkout").contains(theirs.substring(0, 10))
                .contains("plan and approve that change");
        assertThat(repo.remoteLog().get(0).getName()).as("the remote keeps their commit on top").isEqualTo(theirs);
        try (AwsClients aws = sandbox.clients()) {
            assertThat(aws.iam().listRoles().roles()).as("nothing was created for a plan that is no longer what git holds")
                    .noneMatch(r -> r.roleName().startsWith("datomic-aws"));
        }
    }

    @Test
    void anApplyKilledMidwayIsResumedByTheNextOneWithoutDuplicates() throws Exception {
        ConfigRepoFixture repo = ConfigRepoFixture.create(tmp, sandbox);
        assertThat(repo.checkout().exitCode()).isZero();
        ProcessBuilder pb = new ProcessBuilder("java", "-jar", System.getProperty("runner.jar"), "apply", "--dir", repo.clone.toString(),
                "--approved-by", "alice", "--report", tmp.resolve("killed.json").toString())
                .redirectErrorStream(true).redirectOutput(tmp.resolve("killed.log").toFile());
        pb.environment().putAll(repo.env);
        Process p = pb.start();
        long deadline = System.currentTimeMillis() + 60_000;
        while (repo.remoteLog().stream().noneMatch(c -> c.getShortMessage().startsWith("ensure-cf(demo)"))) {
            assertThat(p.isAlive()).as("the apply ended before it could be killed: %s", Files.readString(tmp.resolve("killed.log"))).isTrue();
            assertThat(System.currentTimeMillis()).isLessThan(deadline);
            Thread.sleep(10);
        }
        p.destroyForcibly().waitFor();

        CliRun resumed = repo.run("apply", "--dir", repo.clone.toString(), "--approved-by", "alice", "--report", tmp.resolve("resumed.json").toString());
        assertThat(resumed.exitCode()).as(resumed.err()).isZero();
        assertThat(Json.mapper().readTree(repo.remoteFile("stacks/demo/deployment.json")).path("status").asText()).endsWith("_COMPLETE");
        try (AwsClients aws = sandbox.clients()) {
            assertThat(aws.iam().listRoles().roles()).extracting(r -> r.roleName())
                    .containsExactlyInAnyOrder("datomic-aws-transactor", "datomic-aws-peer");
            assertThat(aws.cloudFormation(null).listStacks().stackSummaries()).hasSize(1);
            assertThat(aws.ec2(null).describeSecurityGroups(r -> r.filters(f -> f.name("group-name").values("demo-datomic-transactor")))
                    .securityGroups()).hasSize(1);
        }
        assertThat(repo.remoteFile(TX)).contains("aws-transactor-role=datomic-aws-transactor").endsWith("# heartbeat-interval-msec=5000\n");
    }

    @Test
    void aGeneratedNameLostFromTheFileIsRecoveredByTagNotCreatedTwice() throws Exception {
        ConfigRepoFixture repo = ConfigRepoFixture.create(tmp, sandbox);
        assertThat(repo.checkout().exitCode()).isZero();
        assertThat(repo.run("apply", "--dir", repo.clone.toString(), "--report", tmp.resolve("a.json").toString()).exitCode()).isZero();
        // someone's merge drops the generated peer role name
        String tx = repo.remoteFile(TX);
        repo.push(Map.of(TX, tx.replace("aws-peer-role=datomic-aws-peer\n", "")), "tidy up (drops a generated key by mistake)");
        assertThat(repo.checkout().exitCode()).isZero();

        Path planReport = tmp.resolve("plan.json");
        CliRun plan = repo.run("plan", "--dir", repo.clone.toString(), "--report", planReport.toString(), "--plan-md", tmp.resolve("p.md").toString());
        assertThat(plan.exitCode()).as(plan.err()).isEqualTo(2);
        assertThat(json(planReport).path("stacks").path("demo").path("keysToWrite")).extracting(JsonNode::asText)
                .containsExactly("transactor.properties:aws-peer-role");
        CliRun apply = repo.run("apply", "--dir", repo.clone.toString(), "--report", tmp.resolve("b.json").toString());
        assertThat(apply.exitCode()).as(apply.err()).isZero();
        assertThat(repo.remoteFile(TX)).contains("aws-peer-role=datomic-aws-peer\n");
        try (AwsClients aws = sandbox.clients()) {
            assertThat(aws.iam().listRoles().roles()).extracting(r -> r.roleName())
                    .containsExactlyInAnyOrder("datomic-aws-transactor", "datomic-aws-peer");
        }
    }

    @Test
    void deployStopsAfterThePlanUnlessAutoApproved() throws Exception {
        ConfigRepoFixture repo = ConfigRepoFixture.create(tmp, sandbox);
        Path dir = tmp.resolve("deploy");
        CliRun planned = repo.run("deploy", "--repo", repo.url(), "--dir", dir.toString(), "--report", tmp.resolve("d1.json").toString(),
                "--plan-md", tmp.resolve("d1.md").toString());
        assertThat(planned.exitCode()).as(planned.err()).isEqualTo(2);
        assertThat(planned.out()).contains("--auto-approve");
        assertThat(repo.remoteLog()).hasSize(1);
        assertThat(json(tmp.resolve("d1.json")).path("awsCalls").path("mutating").asLong()).isZero();

        CliRun applied = repo.run("deploy", "--repo", repo.url(), "--dir", dir.toString(), "--auto-approve", "--report", tmp.resolve("d2.json").toString(),
                "--plan-md", tmp.resolve("d2.md").toString());
        assertThat(applied.exitCode()).as(applied.err()).isZero();
        assertThat(repo.remoteLog().get(0).getFullMessage()).contains("Approved-by: auto-approve");
    }

    @Test
    void anUpdateNeverSwapsTheLaunchResourceTypeBySurprise() throws Exception {
        ConfigRepoFixture repo = ConfigRepoFixture.create(tmp, sandbox);
        repo.push(Map.of(DEPLOY, repo.remoteFile(DEPLOY) + "template.launch=configuration\n"), "this stack keeps its launch configuration");
        assertThat(repo.checkout().exitCode()).isZero();
        CliRun first = repo.run("apply", "--dir", repo.clone.toString(), "--report", tmp.resolve("a.json").toString());
        assertThat(first.exitCode()).as(first.err()).isZero();

        repo.push(Map.of(DEPLOY, repo.remoteFile(DEPLOY).replace("template.launch=configuration", "template.launch=template")), "launch templates");
        assertThat(repo.checkout().exitCode()).isZero();
        CliRun refused = repo.run("plan", "--dir", repo.clone.toString(), "--report", tmp.resolve("p.json").toString(),
                "--plan-md", tmp.resolve("p.md").toString());
        assertThat(refused.exitCode()).isEqualTo(3);
        assertThat(refused.err()).contains("stack demo-datomic-transactor runs a launch configuration, and the template would replace it with a launch template")
                .contains("--allow-launch-change");
        CliRun allowed = repo.run("plan", "--dir", repo.clone.toString(), "--allow-launch-change", "--report", tmp.resolve("p2.json").toString(),
                "--plan-md", tmp.resolve("p2.md").toString());
        assertThat(allowed.exitCode()).as(allowed.err()).isEqualTo(2);
    }
}

package io.datomicgitops.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.datomicgitops.aws.AwsClients;
import io.datomicgitops.aws.AwsErrors;
import io.datomicgitops.cli.CliRun;
import io.datomicgitops.report.Json;
import io.datomicgitops.stack.StackTemplate;
import io.datomicgitops.testing.ConfigRepoFixture;
import io.datomicgitops.testing.Sandbox;
import io.datomicgitops.testing.SandboxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.iam.model.AccessKey;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shipped IAM policy ({@code resources/iam-policy.json}) is enough and each of its statements is needed, proved
 * with the sandbox's IAM enforcement: an IAM user holding exactly the policy (in the form the sandbox can enforce,
 * {@link IamPolicy#sandboxForm}) runs the example config repo's whole flow; with one statement removed, the phase
 * that needs it stops with exit 5 and a message naming the IAM action to allow.
 */
@ExtendWith(SandboxExtension.class)
class LeastPrivilegeIT {
    private static final String TX = "stacks/demo/transactor.properties";
    private static final String CF = "stacks/demo/cf.properties";
    private static final String DEPLOY = "stacks/demo/deploy.properties";
    private static final Pattern ALLOW = Pattern.compile("allow (\\S+) in the runner's IAM policy");
    private static final AtomicInteger USERS = new AtomicInteger();
    private static final IamPolicy POLICY = IamPolicy.load();

    /** How a removal run starts and what it runs. */
    enum Run {
        /** A fresh account: checkout and apply of the example repo (log rotation on). */
        APPLY,
        /**
         * The same with {@code log-bucket-versioning=true}: the sandbox authorizes S3's Block Public Access calls as
         * CreateBucket and ListBucket (moto 5.2.1 looks them up as "public_access_block", the request says
         * "publicAccessBlock"), so of the log bucket's protections only versioning is checked under its own name.
         */
        APPLY_WITH_VERSIONING,
        /** A stack deployed earlier by an administrator; then a bigger instance type, applied with the surge strategy. */
        REPLACEMENT,
        /** update-stack with a template over CloudFormation's inline limit: it goes through the runner's S3 bucket. */
        BIG_TEMPLATE
    }

    /** A statement removed, the run that needs it, and the IAM action the error must name. */
    record Removal(String sid, Run run, String action) {}

    static final List<Removal> REMOVALS = List.of(
            new Removal("ReadWhatAwsCannotScope", Run.APPLY, "s3:ListAllMyBuckets"),
            new Removal("DatomicTables", Run.APPLY, "dynamodb:DescribeTable"),
            new Removal("DatomicTableProtection", Run.APPLY, "dynamodb:UpdateContinuousBackups"),
            new Removal("DatomicRoles", Run.APPLY, "iam:GetRole"),
            new Removal("DatomicInstanceProfiles", Run.APPLY, "iam:GetInstanceProfile"),
            new Removal("LogBuckets", Run.APPLY, "s3:ListBucket"),
            new Removal("LogBucketProtection", Run.APPLY_WITH_VERSIONING, "s3:PutBucketVersioning"),
            new Removal("TransactorSecurityGroup", Run.APPLY, "ec2:CreateSecurityGroup"),
            new Removal("Stack", Run.APPLY, "cloudformation:DescribeStacks"),
            new Removal("DeploymentLock", Run.APPLY, "dynamodb:GetItem"), // the lock's waiting line is read first
            new Removal("ReplaceTransactors", Run.REPLACEMENT, "autoscaling:UpdateAutoScalingGroup"),
            new Removal("TemplateBucket", Run.BIG_TEMPLATE, "s3:ListBucket"),
            new Removal("TemplateObjects", Run.BIG_TEMPLATE, "s3:PutObject"));

    /** Statements the sandbox cannot prove, and why (docs/SECURITY.md says the same). */
    static final Map<String, String> NOT_PROVABLE = Map.of(
            "PassTransactorRoleToEc2", "the sandbox's CloudFormation and Auto Scaling never ask IAM for iam:PassRole",
            "TagOnCreate", "the sandbox checks CreateSecurityGroup only, not the ec2:CreateTags its tags need in AWS",
            "LaunchFromTheLaunchTemplate", "the sandbox's Auto Scaling does not check ec2:RunInstances for the caller",
            "StackResourcesThroughCloudFormation", "the sandbox's CloudFormation creates the stack's resources without asking IAM",
            "AutoScalingServiceLinkedRole", "the sandbox has no service-linked roles",
            "GuardAlarmsRead", "these runs set no guard-* key; AlarmGuardFlowIT runs the guard, as the sandbox's default user",
            "GuardStandardAlarms", "these runs set no guard-* key; AlarmGuardFlowIT creates the standard alarms, as the sandbox's default user");

    /** Granted actions the sandbox runs do not call, and why they are in the policy. */
    static final Map<String, String> NOT_CALLED = new TreeMap<>(Map.ofEntries(
            Map.entry("autoscaling:DescribeInstanceRefreshes", "replace-strategy=instance-refresh"),
            Map.entry("autoscaling:StartInstanceRefresh", "replace-strategy=instance-refresh"),
            Map.entry("autoscaling:CancelInstanceRefresh", "replace-strategy=instance-refresh (a failed refresh)"),
            Map.entry("ec2:DescribeImages", "an own image (aws-ami) checked at plan (OwnImagesIT)"),
            Map.entry("autoscaling:DescribeScalingActivities", "why a new instance failed to launch, on a failed replacement"),
            Map.entry("cloudwatch:GetMetricStatistics", "the standby's heartbeat, when a metric exists (the sandbox has none)"),
            Map.entry("cloudformation:ContinueUpdateRollback", "update-stack --continue-rollback"),
            Map.entry("cloudformation:TagResource", "stack tags on create; the sandbox does not ask for it"),
            Map.entry("dynamodb:UpdateItem", "the lock's lease renewed while a long deployment holds it"),
            Map.entry("dynamodb:ListTables", "recovery of a table by its tags when aws-dynamodb-table is lost"),
            Map.entry("dynamodb:ListTagsOfResource", "recovery of a table by its tags"),
            Map.entry("iam:UpdateAssumeRolePolicy", "an existing transactor role that EC2 cannot assume"),
            Map.entry("dynamodb:UpdateTable", "deletion protection of an existing table that lacks it (a new one is created with it)"),
            Map.entry("s3:GetBucketVersioning", "log-bucket-versioning=true"),
            Map.entry("s3:PutBucketVersioning", "log-bucket-versioning=true"),
            Map.entry("iam:ListInstanceProfileTags", "an existing instance profile checked for its tags"),
            Map.entry("s3:GetBucketLocation", "recovery of a log bucket by its tags"),
            Map.entry("s3:GetObject", "CloudFormation reading an uploaded template with the runner's credentials"),
            Map.entry("dynamodb:TagResource", "the tags CreateTable sets: AWS authorizes them as TagResource, the sandbox does not"),
            Map.entry("iam:TagRole", "the tags CreateRole sets: AWS authorizes them as TagRole, the sandbox does not"),
            Map.entry("iam:TagInstanceProfile", "the tags CreateInstanceProfile sets: AWS authorizes them as TagInstanceProfile")));

    @TempDir
    Path tmp;
    Sandbox sandbox;

    @BeforeEach
    void enforcementOffAtFirst(Sandbox sandbox) {
        this.sandbox = sandbox;
        sandbox.resetAuth("inf");
    }

    @AfterEach
    void enforcementOff() {
        sandbox.resetAuth("inf");
    }

    @Test
    void everyStatementIsProvedHereOrSaysWhyItCannotBe() {
        Set<String> accounted = new HashSet<>(NOT_PROVABLE.keySet());
        REMOVALS.forEach(r -> assertThat(accounted.add(r.sid())).as("%s listed once", r.sid()).isTrue());
        assertThat(accounted).containsExactlyInAnyOrderElementsOf(POLICY.actionsBySid().keySet());
        REMOVALS.forEach(r -> assertThat(POLICY.statement(r.sid()).actions()).as(r.sid()).contains(r.action()));
    }

    @Test
    void aUserHoldingExactlyThePolicyRunsTheWholeFlow() throws Exception {
        sandbox.reset();
        ConfigRepoFixture repo = exampleWithLogRotation();
        asUser(repo, Set.of());
        Map<String, Long> calls = new TreeMap<>();

        assertThat(repo.checkout().exitCode()).isZero();
        sandbox.resetAuth("0");
        CliRun apply = run(repo, calls, "apply", "--dir", repo.clone.toString(), "--approved-by", "alice");
        assertThat(apply.exitCode()).as(apply.err()).isZero();
        assertThat(apply.err()).doesNotContain("access denied");
        CliRun plan = run(repo, calls, "plan", "--dir", repo.clone.toString(), "--plan-md", tmp.resolve("plan.md").toString());
        assertThat(plan.exitCode()).as(plan.err()).isZero();
        CliRun status = run(repo, calls, "status", "--dir", repo.clone.toString());
        assertThat(status.exitCode()).as(status.err()).isZero();

        biggerInstancesBySurge(repo);
        CliRun replacement = run(repo, calls, "apply", "--dir", repo.clone.toString(), "--approved-by", "bob");
        assertThat(replacement.exitCode()).as(replacement.err()).isZero();
        assertThat(replacement.out()).contains("1 instance(s) replaced");

        CliRun big = run(repo, calls, bigTemplateUpdate());
        assertThat(big.exitCode()).as(big.err()).isZero();
        assertThat(big.out()).contains("uploaded to s3://datomic-gitops-templates-");
        sandbox.resetAuth("inf");

        // every call the runner made is granted by the shipped policy, by its IAM action's name
        Set<String> needed = calls.keySet().stream().filter(op -> !op.equals("Sts:GetCallerIdentity")) // needs no permission
                .map(AwsErrors::iamAction).collect(Collectors.toCollection(TreeSet::new));
        assertThat(POLICY.actions()).as("calls made: %s", calls).containsAll(needed);
        // and every action granted is called here, or needed by a path the sandbox cannot take (and says which)
        Set<String> unexplained = new TreeSet<>(POLICY.actions());
        unexplained.removeAll(needed);
        unexplained.removeAll(NOT_CALLED.keySet());
        NOT_PROVABLE.keySet().forEach(sid -> unexplained.removeAll(POLICY.statement(sid).actions()));
        assertThat(unexplained).as("granted but neither called nor explained").isEmpty();
        assertThat(needed).as("listed as not called, but called").doesNotContainAnyElementsOf(NOT_CALLED.keySet());
    }

    @TestFactory
    Stream<DynamicTest> eachStatementRemovedStopsThePhaseThatNeedsItNamingTheAction() {
        return REMOVALS.stream().map(r -> DynamicTest.dynamicTest("without " + r.sid() + " -> " + r.action(), () -> removed(r)));
    }

    private void removed(Removal r) throws Exception {
        sandbox.resetAuth("inf");
        sandbox.reset();
        ConfigRepoFixture repo = exampleWithLogRotation();
        if (r.run() == Run.APPLY_WITH_VERSIONING) {
            repo.push(Map.of(DEPLOY, repo.remoteFile(DEPLOY) + "log-bucket-versioning=true\n"), "version the log bucket");
        }
        assertThat(repo.checkout().exitCode()).isZero();
        if (r.run() == Run.REPLACEMENT) {
            CliRun first = repo.run("apply", "--dir", repo.clone.toString(), "--report", tmp.resolve("admin.json").toString());
            assertThat(first.exitCode()).as("the administrator's first deployment: %s", first.err()).isZero();
            biggerInstancesBySurge(repo);
        }
        asUser(repo, Set.of(r.sid()));
        sandbox.resetAuth("0");
        CliRun run = r.run() == Run.BIG_TEMPLATE
                ? run(repo, new TreeMap<>(), bigTemplateUpdate())
                : run(repo, new TreeMap<>(), "apply", "--dir", repo.clone.toString(), "--approved-by", "alice");
        sandbox.resetAuth("inf");
        assertThat(run.exitCode()).as("%s%n%s", run.out(), run.err()).isEqualTo(5);
        String error = run.err().lines().filter(l -> l.startsWith("error: ")).findFirst().orElseThrow();
        Matcher m = ALLOW.matcher(error);
        assertThat(m.find()).as(error).isTrue();
        assertThat(m.group(1)).as(error).isEqualTo(r.action());
        assertThat(POLICY.statement(r.sid()).actions()).as("the action named is the removed statement's").contains(m.group(1));
    }

    @Test
    void withoutTheBulkRoleReadAPlanReadsRoleByRoleAndSaysSo() throws Exception {
        sandbox.reset();
        ConfigRepoFixture repo = exampleWithLogRotation();
        assertThat(repo.checkout().exitCode()).isZero();
        CliRun first = repo.run("apply", "--dir", repo.clone.toString(), "--report", tmp.resolve("admin.json").toString());
        assertThat(first.exitCode()).as("the administrator's first deployment: %s", first.err()).isZero();
        asUser(repo, Set.of(), "iam:GetAccountAuthorizationDetails");
        sandbox.resetAuth("0");
        Map<String, Long> calls = new TreeMap<>();
        CliRun plan = run(repo, calls, "plan", "--dir", repo.clone.toString());
        sandbox.resetAuth("inf");
        assertThat(plan.exitCode()).as(plan.err()).isZero();
        assertThat(plan.err()).contains("IAM refused iam:GetAccountAuthorizationDetails: the plan reads roles one by one");
        assertThat(calls).as("the roles read one by one").containsKeys("Iam:GetRole", "Iam:GetRolePolicy", "Iam:GetInstanceProfile");
    }

    /** The example repo with S3 log rotation declared (bucket name generated), so the log bucket's grants are used. */
    private ConfigRepoFixture exampleWithLogRotation() throws Exception {
        Path root = Files.createTempDirectory(tmp, "repo");
        ConfigRepoFixture repo = ConfigRepoFixture.create(root, sandbox);
        repo.push(Map.of(TX, repo.remoteFile(TX).replace("# aws-s3-log-bucket-id=\n", "# aws-s3-log-bucket-id=\naws-s3-log-bucket-id=\n")),
                "rotate the transactor's logs to S3");
        return repo;
    }

    /** A pushed change to a bigger instance type, replaced with the surge strategy; the clone brought up to it (git only). */
    private void biggerInstancesBySurge(ConfigRepoFixture repo) {
        repo.push(Map.of(CF, repo.remoteFile(CF).replace("aws-instance-type=m5.large", "aws-instance-type=m5.xlarge"),
                DEPLOY, repo.remoteFile(DEPLOY).replace("replace-strategy=terminate", "replace-strategy=surge")), "m5.xlarge, surge");
        CliRun checkout = repo.run("checkout", "--repo", repo.url(), "--dir", repo.clone.toString(), "--report", tmp.resolve("co.json").toString());
        assertThat(checkout.exitCode()).as(checkout.err()).isZero();
    }

    /** update-stack of a stack named like the runner's with a template over the inline limit (through S3). */
    private String[] bigTemplateUpdate() throws Exception {
        String body = CorpusWorld.resource("/stack/transactor-group.json")
                .replaceFirst("\\{", "{\n  \"Metadata\": {\"Padding\": \"" + "x".repeat(60_000) + "\"},");
        assertThat(body.getBytes(StandardCharsets.UTF_8).length).isGreaterThan(StackTemplate.INLINE_LIMIT_BYTES);
        Path big = Files.writeString(tmp.resolve("big-template.json"), body);
        return new String[]{"update-stack", "--stack-name", "big-datomic-transactor", "--template", big.toString(), "--region", "us-east-1"};
    }

    /** Creates an IAM user holding the sandbox form of the policy (without the given statements); the runs use its keys. */
    private void asUser(ConfigRepoFixture repo, Set<String> without) {
        asUser(repo, without, null);
    }

    /** As {@link #asUser(ConfigRepoFixture, Set)}, with one action denied (when not null). */
    private void asUser(ConfigRepoFixture repo, Set<String> without, String denied) {
        String name = "datomic-gitops-runner-" + USERS.incrementAndGet();
        String document = POLICY.sandboxForm(without);
        if (denied != null) {
            try {
                ObjectNode policy = (ObjectNode) Json.mapper().readTree(document);
                ObjectNode deny = ((ArrayNode) policy.path("Statement")).addObject();
                deny.put("Effect", "Deny").put("Action", denied).put("Resource", "*");
                document = policy.toString();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        String policyDocument = document;
        try (AwsClients aws = sandbox.clients()) {
            String arn = aws.iam().createPolicy(p -> p.policyName(name).policyDocument(policyDocument)).policy().arn();
            aws.iam().createUser(u -> u.userName(name));
            aws.iam().attachUserPolicy(a -> a.userName(name).policyArn(arn));
            AccessKey key = aws.iam().createAccessKey(k -> k.userName(name)).accessKey();
            repo.env.put("AWS_ACCESS_KEY_ID", key.accessKeyId());
            repo.env.put("AWS_SECRET_ACCESS_KEY", key.secretAccessKey());
        }
    }

    /** Runs a command with a report and adds the report's calls to {@code calls}. */
    private CliRun run(ConfigRepoFixture repo, Map<String, Long> calls, String... args) throws Exception {
        Path report = Files.createTempFile(tmp, "report", ".json");
        String[] all = Stream.concat(Stream.of(args), Stream.of("--report", report.toString())).toArray(String[]::new);
        CliRun run = repo.run(all);
        JsonNode json = Json.mapper().readTree(Files.readString(report));
        json.path("awsCalls").path("byOperation").fields().forEachRemaining(e -> calls.merge(e.getKey(), e.getValue().asLong(), Long::sum));
        return run;
    }
}

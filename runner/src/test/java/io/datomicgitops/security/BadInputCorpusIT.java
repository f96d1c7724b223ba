package io.datomicgitops.security;

import com.fasterxml.jackson.databind.JsonNode;
import io.datomicgitops.ExitCode;
import io.datomicgitops.aws.AwsClients;
import io.datomicgitops.cli.CliRun;
import io.datomicgitops.report.Json;
import io.datomicgitops.testing.Sandbox;
import io.datomicgitops.testing.SandboxExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static io.datomicgitops.security.CorpusWorld.CF;
import static io.datomicgitops.security.CorpusWorld.DEPLOY;
import static io.datomicgitops.security.CorpusWorld.TX;
import static io.datomicgitops.security.CorpusWorld.Setup;
import static io.datomicgitops.security.CorpusWorld.savedPlanOfAnotherCommit;
import static io.datomicgitops.security.CorpusWorld.delete;
import static io.datomicgitops.security.CorpusWorld.edit;
import static io.datomicgitops.security.CorpusWorld.none;
import static io.datomicgitops.security.CorpusWorld.then;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bad-input corpus: operator-facing commands run end to end (the CLI in-process, the example config repo in a
 * real bare repository, AWS in the sandbox) with one thing wrong each. Every case must end with one clear error line
 * (what, where, what to do), its documented exit code, no changed file in the clone or the remote, no mutating AWS
 * call (the report's counter, and the sandbox's inventory before and after), and no secret in the output.
 *
 * <p>Adding a case is one line in {@link #CASES}: a name, the exit code, a fragment the error line must contain, the
 * setup (edits to the example repo's files, or an action on the world), and the command line. Placeholders:
 * {clone} the runner's clone, {stack} its stacks/demo folder, {tx} {cf} {deploy} the files in it, {remote} the
 * bare repository's URL, {tmp} a scratch folder of the case. {@code --report} (and {@code --plan-md}) are added
 * to every command, pointing into {tmp}.
 */
@ExtendWith(SandboxExtension.class)
class BadInputCorpusIT {

    /**
     * The example stack has no secret (Datomic 1.0.7277 needs no license key, DynamoDB no password): the secrets cases
     * give it one, a memcached password, on the line before this one.
     */
    static final String SECRET_BEFORE = "aws-dynamodb-table=demo-datomic\n";

    static String secretLine(String value) {
        return "memcached-password=" + value + "\n" + SECRET_BEFORE;
    }

    static Setup secret(String value) {
        return edit(TX, SECRET_BEFORE, secretLine(value));
    }

    static final List<Case> CASES = List.of(
            // command line (64)
            c("no command", 64, "a command is required", none(), ""),
            c("unknown command", 64, "Unmatched argument", none(), "frobnicate --dir {clone}"),
            c("unknown option", 64, "Unknown option: '--bogus'", none(), "plan --dir {clone} --bogus"),
            c("checkout without --repo", 64, "Missing required option: '--repo=URL'", none(), "checkout --dir {tmp}/clone2"),
            c("plan --parallel not a number", 64, "'many' is not an int", none(), "plan --dir {clone} --parallel many"),
            c("checkout --depth 0", 64, "--depth must be 1 or more, not 0", none(), "checkout --repo {remote} --dir {tmp}/clone2 --depth 0"),
            c("plan --region contradicting the stack's files", 64, "--region eu-west-1 contradicts the stack's region us-east-1",
                    none(), "plan --dir {clone} --region eu-west-1"),
            c("apply --plan of another commit", 8, "the plan was approved at", savedPlanOfAnotherCommit(), "apply --dir {clone} --plan {tmp}/old.plan.json"),
            c("apply --plan not a saved plan", 64, "cannot read the saved plan", none(), "apply --dir {clone} --plan {deploy}"),
            c("apply --max-attempts not a number", 64, "--max-attempts", none(), "apply --dir {clone} --max-attempts x"),
            c("apply --lock-wait not a duration", 64, "--lock-wait", none(), "apply --dir {clone} --lock-wait soon"),
            c("replace-instances --strategy unknown", 64, "sideways", none(), "replace-instances --stack-dir {stack} --strategy sideways"),
            c("create-cf-template missing OUT", 64, "Missing required parameter: 'OUT'", none(), "create-cf-template {tx} {cf}"),
            c("create-cf-template --launch unknown", 64, "sideways", none(), "create-cf-template --launch sideways {tx} {cf} {stack}/cf.json"),
            c("ensure-transactor --engine unknown", 64, "sideways", none(), "ensure-transactor --engine sideways {tx} {tx}"),
            c("force-unlock without --lock-id", 64, "Missing required option: '--lock-id=ID'", none(), "force-unlock demo --dir {clone}"),
            c("validate a file of unknown kind", 64, "cannot tell what kind of file", none(), "validate {clone}/README.md"),
            c("plan --stack that does not exist", 3, "no stack folder stacks/nope", none(), "plan --dir {clone} --stack nope"),
            c("plan --since an unknown revision", 4, "unknown revision no-such-rev", none(), "plan --dir {clone} --since no-such-rev"),
            c("plan --dir that is no clone", 4, "not a git working copy", none(), "plan --dir {tmp}"),
            c("update-stack -p undeclared parameter", 3, "parameter InstanceTyp is not declared", CorpusWorld.template(),
                    "update-stack --stack-dir {stack} -p InstanceTyp=t3.small"),

            // transactor.properties (3)
            c("tx: storage protocol the ensure phase cannot provision", 3, "protocol", edit(TX, "protocol=ddb", "protocol=sql"), "apply --dir {clone}"),
            c("tx: port is not a number", 3, "transactor.properties:7", edit(TX, "port=4334", "port=forty"), "apply --dir {clone}"),
            c("tx: a secret from an unset variable", 3, "DATOMIC_NOT_SET", secret("${env:DATOMIC_NOT_SET}"), "apply --dir {clone}"),
            c("tx: a secret from a missing file", 3, "/nonexistent/secret", secret("${file:/nonexistent/secret}"), "apply --dir {clone}"),
            c("tx: a secret's ARN without the six characters Secrets Manager appends", 3, "is not a Secrets Manager secret's ARN",
                    secret("arn:aws:secretsmanager:us-east-1:123456789012:secret:demo/memcached"), "plan --dir {clone}"),
            c("tx: a JSON key after a secret's ARN", 3, "a JSON key or version after the secret's ARN is not supported",
                    secret("arn:aws:secretsmanager:us-east-1:123456789012:secret:demo/memcached-AbCdEf:password::"), "apply --dir {clone}"),
            c("tx: dynamodb region misspelt", 3, "us-east1", edit(TX, "aws-dynamodb-region=us-east-1", "aws-dynamodb-region=us-east1"), "apply --dir {clone}"),
            c("tx: memory size without a unit pattern", 3, "memory-index-max", edit(TX, "memory-index-max=512m", "memory-index-max=lots"), "plan --dir {clone}"),
            c("tx: broken unicode escape", 3, "transactor.properties", edit(TX, "object-cache-max=1g", "object-cache-max=1g\\u00ZZ"), "apply --dir {clone}"),
            c("tx: ensure-transactor on a sql transactor", 3, "protocol", edit(TX, "protocol=ddb", "protocol=sql"), "ensure-transactor {tx} {tx}"),
            c("tx: file missing from the stack folder", 3, "missing transactor.properties", delete(TX), "apply --dir {clone}"),

            // cf.properties (3)
            c("cf: required instance type missing", 3, "aws-instance-type", edit(CF, "aws-instance-type=m5.large\n", ""), "apply --dir {clone}"),
            c("cf: group size not a number", 3, "aws-autoscaling-group-size", edit(CF, "aws-autoscaling-group-size=1", "aws-autoscaling-group-size=two"), "apply --dir {clone}"),
            c("cf: monitoring not a boolean", 3, "aws-instance-monitoring", edit(CF, "aws-instance-monitoring=true", "aws-instance-monitoring=yes-please"), "apply --dir {clone}"),
            c("cf: datomic-version missing", 3, "datomic-version", edit(CF, "datomic-version=1.0.7277\n", ""), "apply --dir {clone}"),
            c("cf: ingress CIDR out of range", 3, "10.0.0.0/33", edit(CF, "aws-ingress-cidrs=10.0.0.0/16", "aws-ingress-cidrs=10.0.0.0/33"), "apply --dir {clone}"),
            c("cf: unknown instance type and no java-xmx", 3, "m5.gigantic", edit(CF, "aws-instance-type=m5.large", "aws-instance-type=m5.gigantic"), "apply --dir {clone}"),
            c("cf: placeholder in a template value", 3, "placeholder", edit(CF, "datomic-deploy-s3-bucket=deploy-", "datomic-deploy-s3-bucket=${env:BUCKET}deploy-"), "apply --dir {clone}"),
            c("cf: create-cf-template with a missing key", 3, "aws-instance-type", edit(CF, "aws-instance-type=m5.large\n", ""), "create-cf-template {tx} {cf} {tmp}/cf.json"),
            c("cf: region that does not exist", 3, "mars-north-9", edit(CF, "aws-region=us-east-1", "aws-region=xx-mars-north-9"), "plan --dir {clone}"),

            // the release gate (3): a datomic-version Datomic's release notes or the running stack rule out
            c("release: a withdrawn Datomic release", 3, "withdrawn-release: Datomic 1.0.7010 was withdrawn",
                    edit(CF, "datomic-version=1.0.7277", "datomic-version=1.0.7010"), "plan --dir {clone}"),
            c("release: a downgrade below the version the stack runs", 3, "downgrade: datomic-version 1.0.7277 -> 1.0.7187 is a downgrade",
                    CorpusWorld.deployed().and(CorpusWorld.pushedEdit(CF, "datomic-version=1.0.7277", "datomic-version=1.0.7187")),
                    "apply --dir {clone}"),
            c("release: an upgrade without a backup", 3, "version-change-without-backup: datomic-version 1.0.7277 -> 1.0.7394",
                    CorpusWorld.deployed().and(CorpusWorld.pushedEdit(CF, "datomic-version=1.0.7277", "datomic-version=1.0.7394")),
                    "apply --dir {clone}"),

            // deploy.properties (3)
            c("deploy: stack-name missing", 3, "stack-name", edit(DEPLOY, "stack-name=demo-datomic-transactor\n", ""), "apply --dir {clone}"),
            c("deploy: unknown replace strategy", 3, "replace-strategy", edit(DEPLOY, "replace-strategy=terminate", "replace-strategy=sideways"), "apply --dir {clone}"),
            c("deploy: unknown engine", 3, "engine", edit(DEPLOY, "engine=native", "engine=sideways"), "apply --dir {clone}"),
            c("deploy: datomic engine without datomic-home", 3, "datomic-home", edit(DEPLOY, "engine=native", "engine=datomic"), "apply --dir {clone}"),
            c("deploy: stack timeout not a duration", 3, "stack-timeout", edit(DEPLOY, "stack-timeout=30m", "stack-timeout=forever"), "apply --dir {clone}"),
            c("deploy: unknown launch kind", 3, "template.launch", edit(DEPLOY, "engine=native", "engine=native\ntemplate.launch=sideways"), "apply --dir {clone}"),
            c("deploy: termination protection not a boolean", 3, "termination-protection", edit(DEPLOY, "engine=native", "engine=native\ntermination-protection=maybe"), "apply --dir {clone}"),
            c("deploy: unknown region", 3, "us-mars-1", edit(DEPLOY, "aws-region=us-east-1", "aws-region=us-mars-1"), "apply --dir {clone}"),
            c("deploy: file missing (named stack)", 3, "no stack folder stacks/demo", delete(DEPLOY), "apply --dir {clone} --stack demo"),

            // validate: what Datomic would make of the files (3)
            c("validate: cf.properties missing five required keys", 3, "required key 'aws-region' is missing or blank",
                    edit(CF, "aws-region=", "# aws-region=").and(edit(CF, "aws-instance-monitoring=", "# aws-instance-monitoring="))
                            .and(edit(CF, "aws-autoscaling-group-size=", "# aws-autoscaling-group-size="))
                            .and(edit(CF, "aws-security-group=", "# aws-security-group="))
                            .and(edit(CF, "datomic-deploy-s3-bucket=", "# datomic-deploy-s3-bucket=")), "validate {cf}"),
            c("validate: instance type m5.huge", 3, "'aws-instance-type' = 'm5.huge' is not an EC2 instance type",
                    edit(CF, "aws-instance-type=m5.large", "aws-instance-type=m5.huge"), "validate {cf}"),
            c("validate: heap above the instance's memory", 3, "java-xmx=16g (16384 MiB) is 200% of the memory of m5.large",
                    edit(CF, "java-xmx=\n", "java-xmx=16g\n"), "validate {stack}"),
            c("validate: object cache and memory index above the heap", 3, "= 1536 MiB does not fit in the heap, java-xmx=1g",
                    edit(CF, "java-xmx=\n", "java-xmx=1g\n"), "validate {tx}"),
            c("validate: empty secret from a broken credential binding", 3, "DATOMIC_MEMCACHED_PASSWORD, which is set but empty",
                    secret("${env:DATOMIC_MEMCACHED_PASSWORD}").and(then(w -> w.env.put("DATOMIC_MEMCACHED_PASSWORD", ""))), "validate {stack}"),
            c("validate: an error cannot be acknowledged", 3, "'aws-instance-type' = 'm5.huge'",
                    edit(CF, "aws-instance-type=m5.large", "aws-instance-type=m5.huge")
                            .and(edit(DEPLOY, "acknowledge=instance-type-not-in-datomic-map", "acknowledge=unknown-instance-type")), "validate {stack}"),

            // templates (3)
            c("template: cf.json is not JSON", 3, "cf.json", CorpusWorld.file("stacks/demo/cf.json", "{ not json"), "update-stack --stack-dir {stack}"),
            c("template: --template file missing", 3, "cannot read the template", none(), "update-stack --stack-dir {stack} --template {tmp}/nope.json"),
            c("template: create-cf-stack from a broken file", 3, "broken.json", then(w -> Files.writeString(w.tmp.resolve("broken.json"), "[1,")),
                    "create-cf-stack us-east-1 corpus-stack {tmp}/broken.json"),

            // git (4)
            c("git: repository does not exist", 4, "repository not found", none(), "checkout --repo {tmp}/no-such-repo.git --dir {tmp}/clone2"),
            c("git: branch does not exist", 4, "branch nope not found", none(), "checkout --repo {remote} --branch nope --dir {tmp}/clone2"),
            c("git: wrong token over HTTPS", 4, "git authentication failed", CorpusWorld.httpServer(), "checkout --repo {http} --token-env GIT_TOKEN_WRONG --dir {tmp}/clone2"),
            c("git: token variable not set", 4, "GIT_TOKEN_UNSET is not set", CorpusWorld.httpServer(), "checkout --repo {http} --token-env GIT_TOKEN_UNSET --dir {tmp}/clone2"),
            c("git: SSH key file missing", 4, "cannot be read", none(), "checkout --repo ssh://git@127.0.0.1:1/x --ssh-key {tmp}/no-key --dir {tmp}/clone2"),
            c("git: SSH host key unknown", 4, "host key", CorpusWorld.sshServer(false, null), "checkout --repo {ssh} --ssh-key {tmp}/id_ed25519 --known-hosts {tmp}/known_hosts --dir {tmp}/clone2"),
            c("git: SSH key the server does not accept", 4, "git authentication failed", CorpusWorld.sshServer(true, null).and(CorpusWorld.otherSshKey()),
                    "checkout --repo {ssh} --ssh-key {tmp}/other_ed25519 --known-hosts {tmp}/known_hosts --dir {tmp}/clone2"),
            c("git: SSH key passphrase variable not set", 4, "SSH passphrase variable SSH_PASSPHRASE_UNSET is not set", CorpusWorld.sshServer(true, CorpusWorld.PASSPHRASE),
                    "checkout --repo {ssh} --ssh-key {tmp}/id_ed25519 --ssh-passphrase-env SSH_PASSPHRASE_UNSET --known-hosts {tmp}/known_hosts --dir {tmp}/clone2"),
            c("git: encrypted SSH key without a passphrase", 4, "git authentication failed", CorpusWorld.sshServer(true, CorpusWorld.PASSPHRASE),
                    "checkout --repo {ssh} --ssh-key {tmp}/id_ed25519 --known-hosts {tmp}/known_hosts --dir {tmp}/clone2"),
            c("git: --dir holds other files", 4, "not a git clone", then(w -> w.write("busy/notes.txt", "mine")), "checkout --repo {remote} --dir {tmp}/busy"),
            c("git: clone has unpushed commits (non-fast-forward)", 4, "local commits that are not the tool's", CorpusWorld.localCommit(),
                    "checkout --repo {remote} --dir {clone}"),
            c("git: apply on a clone with unpushed commits", 4, "local commits that are not the tool's", CorpusWorld.localCommit(), "apply --dir {clone}"),
            c("git: clone of another remote", 4, "the clone's origin is", none(), "checkout --repo {tmp}/other.git --dir {clone}"),
            c("git: uncommitted edit in a stack folder", 4, "uncommitted changes in the stack folders", CorpusWorld.uncommittedEdit(), "apply --dir {clone}"),
            c("git: deploy from a repository that does not exist", 4, "repository not found", none(), "deploy --repo {tmp}/no-such-repo.git --dir {tmp}/clone2 --auto-approve"),
            c("git: a local commit forging the tool's Phase: trailer", 4, "local commits that are not the tool's", CorpusWorld.forgedLocalCommit(),
                    "apply --dir {clone}"),
            c("git: a forged Phase: commit after the approved plan", 8, "came in between", CorpusWorld.forgedCommitAfterTheApprovedPlan(),
                    "apply --dir {clone} --plan {tmp}/approved.plan.json"),
            c("git: checkout of a clone holding a commit the remote purged", 4, "no longer has", CorpusWorld.commitTheRemoteDropped(),
                    "checkout --repo {remote} --dir {clone}"),
            c("git: apply on a clone holding a commit the remote purged", 4, "no longer has", CorpusWorld.commitTheRemoteDropped(),
                    "apply --dir {clone}"),

            // AWS (5, 3, 64, 1, 6)
            c("aws: no credentials anywhere", 5, "no AWS credentials found", CorpusWorld.noCredentials(), "plan --dir {clone}"),
            c("aws: credentials profile does not exist", 5, "no AWS credentials found", then(w -> w.env.put("AWS_PROFILE", "corpus-no-such-profile")), "plan --dir {clone}"),
            c("aws: access key unknown to AWS (AWS's answer replayed)", 5, "rejected the credentials (InvalidClientTokenId)",
                    CorpusWorld.replayed("security-invalid-client-token"), "plan --dir {clone}"),
            c("aws: secret key wrong (AWS's answer replayed)", 5, "rejected the credentials (SignatureDoesNotMatch)",
                    CorpusWorld.replayed("security-signature-does-not-match"), "apply --dir {clone}"),
            c("aws: access denied on plan", 5, "allow iam:ListRoles", CorpusWorld.enforcedAsUserWithoutPolicy(), "plan --dir {clone}"),
            c("aws: access denied on apply", 5, "allow iam:ListRoles", CorpusWorld.enforcedAsUserWithoutPolicy(), "apply --dir {clone}"),
            c("aws: access denied on status", 5, "allow cloudformation:DescribeStacks", CorpusWorld.enforcedAsUserWithoutPolicy(), "status --dir {clone}"),
            c("aws: --region unknown", 64, "'xx-mars-9' is not an AWS region", none(), "plan --dir {clone} --region xx-mars-9"),
            c("aws: AWS_REGION unknown", 3, "AWS_REGION", then(w -> w.env.put("AWS_REGION", "us-esat-1")), "status --dir {clone}"),
            c("aws: create-cf-stack in an unknown region", 64, "REGION", CorpusWorld.template(), "create-cf-stack mars-1 corpus-stack {stack}/cf.json"),
            c("aws: replace-instances on a stack that does not exist", 1, "no such stack", none(), "replace-instances --stack-dir {stack} --plan"),
            c("aws: update-stack without a stack", 64, "no stack named", none(), "update-stack --template {tmp}/cf.json"),
            c("aws: stack in progress (update-stack)", 1, "another operation is running", CorpusWorld.template().and(CorpusWorld.stackInProgress()),
                    "update-stack --stack-dir {stack}"),
            c("aws: stack in progress (apply)", 1, "another operation is running", CorpusWorld.deployedNames().and(CorpusWorld.stackInProgress()),
                    "apply --dir {clone}"),
            c("aws: lock held by another deployment", 6, "is locked by bob", CorpusWorld.lockHeld(), "apply --dir {clone}", "DynamoDb:PutItem"),

            // outside the repo: links, paths, placeholders, programs (3, 64)
            c("inside: --stack a path out of stacks/", 64, "'../../x' is not the name of a folder under stacks/", none(), "plan --dir {clone} --stack ../../x"),
            c("inside: --stack an absolute path", 64, "is not the name of a folder under stacks/", none(), "apply --dir {clone} --stack {tmp}"),
            c("inside: transactor.properties a symbolic link", 3, "stacks/demo/transactor.properties: a symbolic link",
                    CorpusWorld.symlinked(TX, "outside/transactor.properties"), "apply --dir {clone}"),
            c("inside: cf.json a symbolic link", 3, "stacks/demo/cf.json: a symbolic link",
                    CorpusWorld.template().and(CorpusWorld.symlinked("stacks/demo/cf.json", "outside/cf.json")), "plan --dir {clone}"),
            c("inside: a stack folder a symbolic link", 3, "stacks/evil: a symbolic link",
                    CorpusWorld.symlinked("stacks/evil", "outside/evil"), "apply --dir {clone} --stack evil"),
            c("inside: a folder in place of deployment.json", 3, "stacks/demo/deployment.json: not a regular file",
                    CorpusWorld.file("stacks/demo/deployment.json/README", "not a record\n"), "plan --dir {clone}"),
            c("inside: datomic-home inside the clone", 3, "lies inside the config repo's clone",
                    CorpusWorld.pushedEdit(DEPLOY, "engine=native", "engine=datomic\ndatomic-home={clone}/stacks/demo"), "apply --dir {clone}"),
            c("secrets: the runner's AWS secret key as a placeholder", 3, "AWS_SECRET_ACCESS_KEY, which is not on the runner's secret allow-list",
                    secret("${env:AWS_SECRET_ACCESS_KEY}"), "plan --dir {clone}"),
            c("secrets: a variable not named with --secret-env", 3, "--secret-env DATOMIC_MEMCACHED_PASSWORD", secret("${env:DATOMIC_MEMCACHED_PASSWORD}"),
                    "apply --dir {clone} --secret-env DATOMIC_OTHER_KEY"),
            c("secrets: a file outside the secret directories", 3, "/proc/self/environ, which is not under a secret directory",
                    secret("${file:/proc/self/environ}"), "plan --dir {clone}"),
            c("secrets: a FIFO under the secret directory", 3, "which is not a regular file",
                    CorpusWorld.fifo("secrets/license").and(CorpusWorld.pushedEdit(TX, SECRET_BEFORE, secretLine("${file:{tmp}/secrets/license}"))),
                    "apply --dir {clone} --secret-dir {tmp}/secrets"),
            c("secrets: a file too big for a secret", 3, "more than a secret's 65536",
                    then(w -> w.write("secrets/license", "x".repeat(70_000))).and(
                            CorpusWorld.pushedEdit(TX, SECRET_BEFORE, secretLine("${file:{tmp}/secrets/license}"))),
                    "apply --dir {clone} --secret-dir {tmp}/secrets"),

            // one writer per stack (3)
            c("one writer: two folders name one stack", 3, "stacks/copy and stacks/demo both deploy the stack demo-datomic-transactor in us-east-1",
                    CorpusWorld.file("stacks/copy/deploy.properties", "stack-name=demo-datomic-transactor\naws-region=us-east-1\n"),
                    "plan --dir {clone} --stack demo"),
            c("one writer: two folders share one storage table", 3, "stacks/demo and stacks/other both deploy the DynamoDB table demo-datomic in us-east-1",
                    CorpusWorld.file("stacks/other/deploy.properties", "stack-name=other-datomic\naws-region=us-east-1\n")
                            .and(CorpusWorld.file("stacks/other/transactor.properties", "protocol=ddb\naws-dynamodb-table=demo-datomic\n")),
                    "apply --dir {clone}"),
            c("one writer: a lock lease of 0s", 3, "'lock-lease' = '0s' is not valid",
                    edit(DEPLOY, "engine=native", "engine=native\nlock-lease=0s"), "apply --dir {clone}"),

            c("aws: force-unlock with the wrong lock id", 6, "not locked with id corpus-wrong-id", CorpusWorld.lockHeld(),
                    "force-unlock demo --lock-id corpus-wrong-id --dir {clone}", "DynamoDb:DeleteItem")
    );

    @TempDir
    static Path root;
    static Sandbox sandbox;

    static AwsClients aws;

    @BeforeAll
    static void start(Sandbox s) {
        sandbox = s;
        aws = s.clients();
    }

    @AfterAll
    static void enforcementOff() {
        sandbox.resetAuth("inf");
        aws.close();
    }

    @TestFactory
    Stream<DynamicTest> corpus() {
        assertThat(CASES).as("the corpus holds at least 40 cases").hasSizeGreaterThanOrEqualTo(40);
        assertThat(CASES.stream().map(Case::name).distinct().count()).as("case names are unique").isEqualTo(CASES.size());
        return CASES.stream().map(c -> DynamicTest.dynamicTest(c.name() + " -> exit " + c.exit(), () -> run(c)));
    }

    private static final Set<Integer> DOCUMENTED = Arrays.stream(ExitCode.values()).map(e -> e.code).collect(Collectors.toSet());
    /** where: what (what to do) — or, for a usage error, what (see: ... --help). */
    private static final Pattern ONE_CLEAR_LINE = Pattern.compile("error: .+ \\(.+\\)");

    private void run(Case c) throws Exception {
        Path tmp = Files.createDirectories(root.resolve(c.name().replaceAll("[^A-Za-z0-9]+", "-")));
        try (CorpusWorld w = CorpusWorld.create(tmp, sandbox, c.setup())) {
            List<String> args = w.args(c.command());
            Map<String, String> cloneBefore = TreeDigest.ofClone(w.clone);
            Map<String, String> remoteBefore = TreeDigest.ofRemote(w.bare);
            Map<String, String> folderBefore = TreeDigest.ofCase(w.tmp);
            List<String> awsBefore = inventory();

            CliRun run;
            try {
                w.enforcementOn();
                run = w.subprocess ? Subprocess.run(w.env, w.tmp, args) : CliRun.run(w.env, args.toArray(String[]::new));
            } finally {
                w.enforcementOff();
            }
            String all = run.out() + run.err();

            assertThat(run.exitCode()).as("exit code of %s%n%s", args, all).isEqualTo(c.exit());
            assertThat(DOCUMENTED).as("a documented exit code").contains(run.exitCode());
            List<String> errors = run.err().lines().filter(l -> l.startsWith("error: ")).toList();
            assertThat(errors).as("one error line%n%s", all).hasSize(1);
            assertThat(errors.get(0)).as("what, where, what to do").matches(ONE_CLEAR_LINE).contains(c.fragment());
            assertThat(all).as("no stack trace without --debug").doesNotContain("\tat ").doesNotContain("Exception:");
            assertThat(all).as("no secret in the output").doesNotContain(CorpusWorld.LICENSE).doesNotContain(CorpusWorld.TOKEN);

            Path report = w.tmp.resolve("report.json");
            if (Files.exists(report)) {
                JsonNode json = Json.mapper().readTree(report.toFile());
                assertThat(json.path("exitCode").asInt()).isEqualTo(c.exit());
                JsonNode error = json.path("error");
                assertThat(error.path("message").asText()).as("report: what").isNotBlank();
                assertThat(error.path("where").asText()).as("report: where").isNotBlank();
                assertThat(error.path("todo").asText()).as("report: what to do").isNotBlank();
                JsonNode byOperation = json.path("awsCalls").path("byOperation");
                byOperation.fieldNames().forEachRemaining(op -> {
                    if (io.datomicgitops.aws.ApiCallCounter.isMutating(op)) {
                        assertThat(c.allowedMutations()).as("mutating AWS call %s on bad input", op).contains(op);
                    }
                });
                assertThat(Files.readString(report)).doesNotContain(CorpusWorld.LICENSE).doesNotContain(CorpusWorld.TOKEN);
            } else {
                assertThat(run.exitCode()).as("only a usage error ends before the report").isEqualTo(64);
            }
            assertThat(TreeDigest.ofClone(w.clone)).as("the clone is unchanged").isEqualTo(cloneBefore);
            assertThat(TreeDigest.ofRemote(w.bare)).as("the remote is unchanged").isEqualTo(remoteBefore);
            assertThat(TreeDigest.ofCase(w.tmp)).as("no file left behind (a half-made clone, a temp file)").isEqualTo(folderBefore);
            assertThat(inventory()).as("nothing changed in AWS").isEqualTo(awsBefore);
        }
    }

    private static List<String> inventory() {
        return AwsInventory.of(aws);
    }

    record Case(String name, int exit, String fragment, Setup setup, String command, Set<String> allowedMutations) {}

    private static Case c(String name, int exit, String fragment, Setup setup, String command, String... allowedMutations) {
        return new Case(name, exit, fragment, setup, command, Set.of(allowedMutations));
    }
}

package io.datomicgitops.security;

import io.datomicgitops.ExitCode;
import io.datomicgitops.ToolException;
import io.datomicgitops.aws.ApiCallCounter;
import io.datomicgitops.aws.AwsClients;
import io.datomicgitops.aws.AwsErrors;
import io.datomicgitops.cli.CliRun;
import io.datomicgitops.config.ValueType;
import io.datomicgitops.git.GitAuth;
import io.datomicgitops.testing.replay.ReplayServer;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The operator-facing error lines the bad-input corpus found wanting, each pinned where it is made: one line with
 * what, where and what to do, the documented exit code, and nothing asked of AWS before the arguments are checked.
 */
class OperatorErrorsTest {
    @TempDir
    Path tmp;

    /** The environment of a run whose AWS is a loopback server that answers nothing it was not told to. */
    private static Map<String, String> env(ReplayServer aws) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("AWS_ENDPOINT_URL", aws.endpoint().toString());
        env.put("AWS_REGION", "us-east-1");
        env.put("AWS_ACCESS_KEY_ID", "AKIAOPERATORERRORS01");
        env.put("AWS_SECRET_ACCESS_KEY", "operator-errors-test-secret");
        return env;
    }

    @Test
    void noCommandSaysWhatToDoAndListsTheCommandsOnTheRunsOwnStream() {
        CliRun run = CliRun.run();
        assertThat(run.exitCode()).isEqualTo(64);
        assertThat(run.err().lines().findFirst().orElseThrow())
                .isEqualTo("error: a command is required (one of the commands below; see: datomic-gitops COMMAND --help)");
        assertThat(run.err()).contains("Commands:").contains("checkout").contains("apply");
    }

    @Test
    void aLockWaitThatIsNoDurationIsAUsageErrorNamingTheOption() throws Exception {
        Git.init().setDirectory(tmp.resolve("clone").toFile()).call().close();
        try (ReplayServer aws = ReplayServer.start()) {
            CliRun run = CliRun.run(env(aws), "apply", "--dir", tmp.resolve("clone").toString(), "--lock-wait", "soon",
                    "--report", tmp.resolve("report.json").toString());
            assertThat(run.exitCode()).as(run.err()).isEqualTo(64);
            assertThat(run.err()).contains("error: --lock-wait: 'soon' is not a duration (write it like 90s, 30m or 2h)");
            assertThat(aws.calls()).isEmpty();
        }
    }

    @Test
    void replaceInstancesChecksTheStrategyBeforeLookingUpTheStack() throws Exception {
        Files.writeString(tmp.resolve("deploy.properties"), "stack-name=prod-transactor\naws-region=us-east-1\n");
        try (ReplayServer aws = ReplayServer.start()) {
            CliRun run = CliRun.run(env(aws), "replace-instances", "--stack-dir", tmp.toString(), "--strategy", "sideways",
                    "--report", tmp.resolve("report.json").toString());
            assertThat(run.exitCode()).as(run.err()).isEqualTo(64);
            assertThat(run.err()).contains("unknown replacement strategy 'sideways'").contains("use surge, terminate or instance-refresh");
            assertThat(aws.calls()).as("no AWS call before the options are checked").isEmpty();
        }
    }

    @Test
    void aBrokenTemplateFileIsNamedBeforeAnyAwsCall() throws Exception {
        Path broken = Files.writeString(tmp.resolve("broken.json"), "[1,");
        try (ReplayServer aws = ReplayServer.start()) {
            CliRun create = CliRun.run(env(aws), "create-cf-stack", "us-east-1", "prod-transactor", broken.toString(),
                    "--report", tmp.resolve("r1.json").toString());
            assertThat(create.exitCode()).as(create.err()).isEqualTo(3);
            assertThat(create.err()).startsWith("error: " + broken + ": the template is not valid JSON");
            CliRun update = CliRun.run(env(aws), "update-stack", "--stack-name", "prod-transactor", "--template", broken.toString(),
                    "--report", tmp.resolve("r2.json").toString());
            assertThat(update.exitCode()).as(update.err()).isEqualTo(3);
            assertThat(update.err()).startsWith("error: " + broken + ": the template is not valid JSON");
            assertThat(aws.calls()).isEmpty();
        }
    }

    @Test
    void regionsAreCheckedAgainstTheRegionsTheSdkKnows() throws Exception {
        assertThat(ValueType.REGION_NAME.check("us-east-1")).isEmpty();
        assertThat(ValueType.REGION_NAME.check("ap-southeast-5")).isEmpty();
        assertThat(ValueType.REGION_NAME.check("us-gov-west-1")).isEmpty();
        assertThat(ValueType.REGION_NAME.check("us-esat-1")).as("a typo of the right shape").isPresent();
        assertThat(ValueType.REGION_NAME.check("us-east1")).isPresent();
        assertThat(ValueType.REGION_NAME.check("aws-global")).as("IAM's signing region is no place for a stack").isPresent();

        Git.init().setDirectory(tmp.resolve("clone").toFile()).call().close();
        try (ReplayServer aws = ReplayServer.start()) {
            CliRun option = CliRun.run(env(aws), "plan", "--dir", tmp.resolve("clone").toString(), "--region", "xx-mars-9",
                    "--report", tmp.resolve("r1.json").toString(), "--plan-md", tmp.resolve("plan.md").toString());
            assertThat(option.exitCode()).as(option.err()).isEqualTo(64);
            assertThat(option.err()).contains("error: --region: 'xx-mars-9' is not an AWS region (use an AWS region such as us-east-1)");
            Map<String, String> env = env(aws);
            env.put("AWS_REGION", "us-esat-1");
            CliRun variable = CliRun.run(env, "plan", "--dir", tmp.resolve("clone").toString(),
                    "--report", tmp.resolve("r2.json").toString(), "--plan-md", tmp.resolve("plan.md").toString());
            assertThat(variable.exitCode()).as(variable.err()).isEqualTo(3);
            assertThat(variable.err()).contains("error: AWS_REGION: 'us-esat-1' is not an AWS region");
            assertThat(aws.calls()).isEmpty();
        }
    }

    @Test
    void anErrorOfSeveralLinesKeepsWhatToDoOnItsFirstLine() {
        ToolException e = new ToolException(ExitCode.INVALID_CONFIG, "'a' is wrong\n  cf.properties:9: 'b' is wrong (fix b)",
                "cf.properties:3", "fix a");
        assertThat(e.getMessage()).isEqualTo("cf.properties:3: 'a' is wrong (fix a)\n  cf.properties:9: 'b' is wrong (fix b)");
        assertThat(new ToolException(ExitCode.FAILED, "one line", null, "do this").getMessage()).isEqualTo("one line (do this)");
    }

    @Test
    void wrongOrExpiredCredentialsAreNotReportedAsAMissingPermission() {
        for (String code : new String[]{"InvalidClientTokenId", "SignatureDoesNotMatch", "UnrecognizedClientException",
                "ExpiredToken", "InvalidAccessKeyId", "AuthFailure"}) {
            ToolException e = AwsErrors.translate(serviceError(403, code), null);
            assertThat(e.exitCode()).isEqualTo(ExitCode.AWS_ACCESS);
            assertThat(e.getMessage()).as(code).contains("AWS rejected the credentials (" + code + ")").doesNotContain("allow ");
        }
        ToolException denied = AwsErrors.translate(serviceError(403, null), null);
        assertThat(denied.exitCode()).isEqualTo(ExitCode.AWS_ACCESS);
        assertThat(denied.getMessage()).contains("access denied");
    }

    @Test
    void theIamActionNamedIsOneAnOperatorCanPaste() {
        assertThat(AwsErrors.iamAction("CloudFormation:CreateChangeSet")).isEqualTo("cloudformation:CreateChangeSet");
        assertThat(AwsErrors.iamAction("AutoScaling:SetDesiredCapacity")).isEqualTo("autoscaling:SetDesiredCapacity");
        assertThat(AwsErrors.iamAction("DynamoDb:PutItem")).isEqualTo("dynamodb:PutItem");
        assertThat(AwsErrors.iamAction("Ec2:AuthorizeSecurityGroupIngress")).isEqualTo("ec2:AuthorizeSecurityGroupIngress");
        assertThat(AwsErrors.iamAction("CloudWatch:GetMetricStatistics")).isEqualTo("cloudwatch:GetMetricStatistics");
        assertThat(AwsErrors.iamAction("Iam:PassRole")).isEqualTo("iam:PassRole");
        assertThat(AwsErrors.iamAction("S3:HeadBucket")).isEqualTo("s3:ListBucket");
        assertThat(AwsErrors.iamAction("S3:ListBuckets")).isEqualTo("s3:ListAllMyBuckets");
        assertThat(AwsErrors.iamAction("S3:PutPublicAccessBlock")).isEqualTo("s3:PutBucketPublicAccessBlock");
    }

    @Test
    void aDeniedCallOnAnotherThreadIsStillNamed() throws Exception {
        ApiCallCounter counter = new ApiCallCounter();
        ExecutorService worker = Executors.newSingleThreadExecutor();
        try (ReplayServer server = ReplayServer.start(); AwsClients aws = server.clients(counter)) {
            // a plan's stacks are planned on worker threads; the error is translated on the command's thread
            Future<?> call = worker.submit(() -> aws.cloudFormation(null).describeStacks(r -> r.stackName("prod")));
            Throwable failure = assertThatThrownBy(call::get).extracting(Throwable::getCause).actual();
            assertThat(failure).isInstanceOf(SdkException.class);
            assertThat(counter.lastOperation()).as("this thread called nothing").isEqualTo("an AWS call");
            assertThat(counter.operationOf(failure)).isEqualTo("CloudFormation:DescribeStacks");
            assertThat(AwsErrors.translate((SdkException) failure, counter).getMessage()).contains("CloudFormation:DescribeStacks");
        } finally {
            worker.shutdownNow();
        }
    }

    @Test
    void aPassphraseVariableThatIsNotSetIsNamed() throws Exception {
        Path key = Files.writeString(tmp.resolve("id_ed25519"), "not read before the variable is checked\n");
        GitAuth auth = new GitAuth(Optional.empty(), "x-access-token", Optional.of(key), Optional.of("DEPLOY_KEY_PASSPHRASE"), false,
                Optional.empty());
        assertThatThrownBy(() -> auth.apply(Git.cloneRepository(), Map.of())).isInstanceOfSatisfying(ToolException.class, e -> {
            assertThat(e.exitCode()).isEqualTo(ExitCode.GIT);
            assertThat(e.getMessage()).isEqualTo("git: the SSH passphrase variable DEPLOY_KEY_PASSPHRASE is not set "
                    + "(export DEPLOY_KEY_PASSPHRASE (in Jenkins: the sshUserPrivateKey credential's passphraseVariable))");
        });
    }

    private static AwsServiceException serviceError(int status, String code) {
        AwsErrorDetails.Builder details = AwsErrorDetails.builder().errorMessage("denied or rejected").serviceName("Sts");
        if (code != null) details.errorCode(code);
        return AwsServiceException.builder().statusCode(status).awsErrorDetails(details.build()).message("HTTP " + status).build();
    }
}

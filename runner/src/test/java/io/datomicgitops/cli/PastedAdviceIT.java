package io.datomicgitops.cli;

import io.datomicgitops.aws.AwsClients;
import io.datomicgitops.testing.Pasted;
import io.datomicgitops.testing.Sandbox;
import io.datomicgitops.testing.SandboxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Advice of the single-step commands, run as printed against the sandbox: create-cf-stack's for a stack that exists
 * (the runner's own update-stack, in-process), and ensure-transactor's for a policy it keeps (the AWS CLI, which
 * honours AWS_ENDPOINT_URL but not AWS_REGION: the command carries its --region).
 */
@ExtendWith(SandboxExtension.class)
class PastedAdviceIT {
    @TempDir
    Path tmp;

    @Test
    void createCfStacksAdviceForAStackThatExistsUpdatesItWhenPasted(Sandbox sandbox) throws Exception {
        Path json = Files.createDirectories(tmp.resolve("cf templates")).resolve("cf.json");
        Files.writeString(json, UpdateStackCommandIT.fixture("no-parameters.json"));
        CliRun created = CliRun.run(sandbox.env(), "create-cf-stack", "us-east-1", "advice-datomic", json.toString());
        assertThat(created.exitCode()).as(created.err()).isZero();

        CliRun again = CliRun.run(sandbox.env(), "create-cf-stack", "us-east-1", "advice-datomic", json.toString());
        assertThat(again.exitCode()).isEqualTo(1);
        String update = Pasted.command(again.err(), "datomic-gitops");
        assertThat(update).isEqualTo("datomic-gitops update-stack --stack-name advice-datomic --template '" + json.toAbsolutePath()
                + "' --region us-east-1");
        CliRun pasted = CliRun.run(sandbox.env(), Pasted.arguments(update).toArray(String[]::new));
        assertThat(pasted.exitCode()).as(pasted.err()).isZero();
        assertThat(pasted.out()).contains("stack advice-datomic: no-changes");
    }

    @Test
    void aStalePolicysRemovalCommandRemovesItWhenPasted(Sandbox sandbox) throws Exception {
        assumeTrue(Pasted.awsCli(), "the AWS CLI runs the printed aws command");
        Path tx = Files.createDirectories(tmp.resolve("stacks/orders")).resolve("transactor.properties");
        Files.writeString(tx, EnsureCliIT.resource("transactor.properties"));
        CliRun ensured = CliRun.run(sandbox.env(), "ensure-transactor", tx.toString(), tx.toString());
        assertThat(ensured.exitCode()).as(ensured.err()).isZero();
        // a policy in Datomic's naming scheme that the file no longer asks for (the table it was for is gone): kept, reported
        try (AwsClients aws = sandbox.clients()) {
            aws.iam().putRolePolicy(r -> r.roleName("datomic-aws-transactor").policyName("orders-old-transactor").policyDocument(
                    "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"dynamodb:GetItem\",\"Resource\":\"*\"}]}"));
        }

        CliRun plan = CliRun.run(sandbox.env(), "ensure-transactor", "--plan", tx.toString(), tx.toString());
        assertThat(plan.out()).contains("orders-old-transactor");
        String command = Pasted.command(plan.out(), "aws");
        assertThat(command).isEqualTo("aws iam delete-role-policy --role-name datomic-aws-transactor --policy-name orders-old-transactor"
                + " --region us-east-1");
        Pasted.Shell removed = Pasted.run(command, sandbox.env());
        assertThat(removed.exitCode()).as(removed.output()).isZero();
        try (AwsClients aws = sandbox.clients()) {
            assertThat(aws.iam().listRolePolicies(r -> r.roleName("datomic-aws-transactor")).policyNames()).doesNotContain("orders-old-transactor");
        }
    }
}

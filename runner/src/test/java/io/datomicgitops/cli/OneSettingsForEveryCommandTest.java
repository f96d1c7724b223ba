package io.datomicgitops.cli;

import io.datomicgitops.ExitCode;
import io.datomicgitops.ToolException;
import io.datomicgitops.configrepo.StackFolder;
import io.datomicgitops.configrepo.StackInputs;
import io.datomicgitops.configrepo.StackSettings;
import io.datomicgitops.ensure.EnsureOptions;
import io.datomicgitops.instances.HealthEndpoint;
import io.datomicgitops.instances.ReplacementRequest;
import io.datomicgitops.instances.Strategy;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The single-step commands and the flow read a stack's settings through one resolver: for the same stack folder and
 * the same command line they send the same replacement request and run bin/datomic in the same environment. The
 * flow used to hand bin/datomic the raw environment, without the --profile every other phase used.
 */
class OneSettingsForEveryCommandTest {
    static final Map<String, String> ENV = Map.of("AWS_REGION", "us-east-1", "PATH", "/usr/bin");

    @TempDir
    Path repo;
    StackFolder folder;

    @BeforeEach
    void stackFolder() throws Exception {
        folder = new StackFolder("prod", repo);
        Files.createDirectories(folder.dir());
        Files.writeString(folder.file(StackFolder.DEPLOY), "stack-name=prod-transactor\naws-region=eu-west-1\n"
                + "replace-strategy=terminate\nreplace-timeout=25m\nhealth-timeout=7m\nengine=datomic\ndatomic-home=/opt/datomic-pro\n");
        Files.writeString(folder.file(StackFolder.TRANSACTOR), "protocol=ddb\nhost=0.0.0.0\nport=4334\naws-dynamodb-table=prod\n"
                + "aws-dynamodb-region=eu-west-1\nping-host=0.0.0.0\nping-port=9999\naws-cloudwatch-region=eu-west-1\n"
                + "aws-cloudwatch-dimension-value=prod\n");
        Files.writeString(folder.file(StackFolder.CF), "aws-region=eu-west-1\naws-instance-type=m5.large\naws-autoscaling-group-size=1\n");
    }

    /** A command parsed as the CLI parses it, ready to run (its options set, its parent command wired). */
    @SuppressWarnings("unchecked")
    static <T extends BaseCommand> T parse(String... args) {
        PrintStream sink = new PrintStream(new ByteArrayOutputStream());
        Main main = new Main(ENV, sink, sink, Clock.systemUTC());
        CommandLine.ParseResult parsed = Main.commandLine(main).parseArgs(args);
        T cmd = (T) parsed.subcommand().commandSpec().userObject();
        cmd.console = main.console();
        return cmd;
    }

    /** What the flow reads for this folder, with the command line of a flow command. */
    static StackInputs flow(BaseCommand cmd, StackFolder folder) {
        return StackInputs.read(folder, cmd.overrides(), cmd.aws.settings(cmd.env()), cmd.env());
    }

    @Test
    void binDatomicRunsWithTheProfileEndpointAndStackRegionOfEveryOtherPhase() {
        ApplyCommand apply = parse("apply", "--dir", repo.toString(), "--profile", "deployer", "--endpoint-url", "http://127.0.0.1:4566");
        EnsureOptions viaFlow = flow(apply, folder).ensureOptions(true, false, false);

        EnsureTransactorCommand single = parse("ensure-transactor", "--plan", "--profile", "deployer", "--endpoint-url", "http://127.0.0.1:4566",
                folder.file(StackFolder.TRANSACTOR).toString(), folder.file(StackFolder.TRANSACTOR).toString());
        EnsureOptions viaCommand = single.common.options(single.common.settings(single, folder.file(StackFolder.TRANSACTOR)), "prod-transactor",
                folder.file(StackFolder.TRANSACTOR));

        assertThat(viaFlow.engine()).isEqualTo(EnsureOptions.Engine.DATOMIC);
        assertThat(viaFlow.engineEnvironment())
                .containsEntry("AWS_PROFILE", "deployer")
                .containsEntry("AWS_ENDPOINT_URL", "http://127.0.0.1:4566")
                .as("the stack's region, not the runner's AWS_REGION").containsEntry("AWS_REGION", "eu-west-1")
                .containsEntry("PATH", "/usr/bin");
        assertThat(viaCommand.engineEnvironment()).isEqualTo(viaFlow.engineEnvironment());
        assertThat(viaCommand.stackRegion()).isEqualTo(viaFlow.stackRegion()).contains("eu-west-1");
        assertThat(viaCommand.datomicHome()).isEqualTo(viaFlow.datomicHome()).contains(Path.of("/opt/datomic-pro"));
    }

    @Test
    void replaceInstancesAndApplySendTheSameRequestForTheSameStack() {
        ReplaceInstancesCommand single = parse("replace-instances", "--stack-dir", folder.dir().toString());
        ReplacementRequest viaCommand = single.request("prod-group", StackDirectory.settings(single, folder.dir(), single.overrides()));

        ApplyCommand apply = parse("apply", "--dir", repo.toString());
        StackInputs in = flow(apply, folder);
        ReplacementRequest viaFlow = in.settings().replacementRequest("prod-group", Optional.of(in.tx()));

        assertThat(viaCommand).isEqualTo(viaFlow);
        assertThat(viaFlow.strategy()).isEqualTo(Strategy.TERMINATE);
        assertThat(viaFlow.timeout()).isEqualTo(Duration.ofMinutes(25));
        assertThat(viaFlow.healthTimeout()).isEqualTo(Duration.ofMinutes(7));
        assertThat(viaFlow.endpoint()).contains(new HealthEndpoint("0.0.0.0", 9999));
        assertThat(viaFlow.heartbeat()).isPresent();
    }

    @Test
    void aRegionOnTheCommandLineThatContradictsTheStacksFilesIsRefusedNotFollowed() {
        PlanCommand plan = parse("plan", "--dir", repo.toString(), "--region", "us-east-1");
        assertThatThrownBy(() -> flow(plan, folder))
                .isInstanceOfSatisfying(ToolException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE))
                .hasMessageContaining("--region us-east-1 contradicts the stack's region eu-west-1 (prod-transactor)")
                .hasMessageContaining("--override-region");
        assertThat(flow(parse("plan", "--dir", repo.toString(), "--region", "eu-west-1"), folder).region())
                .as("the same region is no contradiction").isEqualTo("eu-west-1");
    }

    @Test
    void theCommandLineComesFirstThenDeployPropertiesThenCfProperties() throws Exception {
        ReplaceInstancesCommand overridden = parse("replace-instances", "--stack-dir", folder.dir().toString(), "--region", "us-west-2",
                "--override-region", "--strategy", "surge", "--timeout", "3m");
        StackSettings settings = StackDirectory.settings(overridden, folder.dir(),
                overridden.overrides().withReplacement(overridden.strategy, overridden.timeout, null));
        assertThat(settings.region()).as("--override-region: the command line wins").contains("us-west-2");
        assertThat(settings.replaceStrategy()).isEqualTo(Strategy.SURGE);
        assertThat(settings.replaceTimeout()).contains(Duration.ofMinutes(3));
        assertThat(settings.healthTimeout()).as("not given: deploy.properties'").contains(Duration.ofMinutes(7));

        Files.writeString(folder.file(StackFolder.DEPLOY), "stack-name=prod-transactor\n");
        UpdateStackCommand update = parse("update-stack", "--stack-dir", folder.dir().toString());
        StackSettings fromCf = StackDirectory.settings(update, folder.dir(), update.overrides());
        assertThat(fromCf.region()).as("deploy.properties names none: cf.properties' aws-region, as in the flow").contains("eu-west-1");
        assertThat(flow(parse("plan", "--dir", repo.toString()), folder).region()).isEqualTo("eu-west-1");
    }
}

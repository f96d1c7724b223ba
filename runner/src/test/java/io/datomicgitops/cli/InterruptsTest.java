package io.datomicgitops.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.datomicgitops.ExitCode;
import io.datomicgitops.report.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A signal while a command runs, in-process: the halt the process would make is recorded instead. The lock release
 * and the child process are InterruptedApplyIT's.
 */
@Timeout(30)
class InterruptsTest {
    /** A command that says two steps, then waits until the test lets it go, then says it is done. */
    @Command(name = "block")
    static final class Blocking extends BaseCommand {
        final CountDownLatch waiting = new CountDownLatch(1);
        final CountDownLatch go = new CountDownLatch(1);

        @Override
        protected ExitCode execute() throws Exception {
            console.progress("step one");
            console.progress("waiting for something (0s so far)");
            waiting.countDown();
            go.await();
            console.println("done");
            return ExitCode.OK;
        }
    }

    @Test
    void aSignalWritesTheReportAsInterruptedPrintsOneLineAndExits130AndTheCommandsOwnEndIsDropped(@TempDir Path dir) throws Exception {
        List<Integer> halts = new CopyOnWriteArrayList<>();
        Interrupts interrupts = new Interrupts(halts::add);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Main main = new Main(Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                Clock.systemUTC(), interrupts);
        CommandLine cl = Main.commandLine(main);
        Blocking blocking = new Blocking();
        CommandLine block = new CommandLine(blocking);
        Converters.register(block); // as Main gives its own commands: the AWS options' durations
        cl.addSubcommand("block", block);
        Path report = dir.resolve("report.json");
        AtomicInteger exit = new AtomicInteger(-1);
        Thread command = new Thread(() -> exit.set(cl.execute("block", "--report", report.toString())), "command");
        command.start();
        assertThat(blocking.waiting.await(10, TimeUnit.SECONDS)).isTrue();

        interrupts.signal("SIGTERM");

        assertThat(halts).containsExactly(130);
        JsonNode json = Json.mapper().readTree(Files.readString(report));
        assertThat(json.path("status").asText()).isEqualTo("interrupted");
        assertThat(json.path("exitCode").asInt()).isEqualTo(130);
        assertThat(json.path("error").path("message").asText()).isEqualTo("interrupted by SIGTERM after: waiting for something (0s so far)");
        assertThat(json.path("error").path("where").asText()).isEqualTo("block");
        assertThat(json.path("error").path("todo").asText()).isEqualTo("run block again: it finishes from where it stopped");
        assertThat(json.path("error").path("exitCode").asInt()).isEqualTo(130);
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo(
                "error: block: interrupted by SIGTERM after: waiting for something (0s so far) (run block again: it finishes from where it stopped)\n");

        // the command's thread goes on until the exit, but no longer ends the run: no report of its own, no line
        blocking.go.countDown();
        command.join(10_000);
        assertThat(exit).hasValue(130);
        assertThat(out.toString(StandardCharsets.UTF_8)).doesNotContain("done");
        assertThat(Json.mapper().readTree(Files.readString(report)).path("status").asText()).isEqualTo("interrupted");
        assertThat(err.toString(StandardCharsets.UTF_8).lines()).hasSize(1);
    }

    @Test
    void aSecondSignalExitsAtOnceWhileTheFirstIsStillBeingHandled() throws Exception {
        List<Integer> halts = new CopyOnWriteArrayList<>();
        Interrupts interrupts = new Interrupts(halts::add);
        CountDownLatch handling = new CountDownLatch(1);
        CountDownLatch stuck = new CountDownLatch(1);
        interrupts.enter(signal -> {
            handling.countDown();
            try {
                stuck.await(); // e.g. DynamoDB does not answer the release
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Thread first = new Thread(() -> interrupts.signal("SIGTERM"), "first-signal");
        first.start();
        assertThat(handling.await(10, TimeUnit.SECONDS)).isTrue();

        interrupts.signal("SIGINT");

        assertThat(halts).as("the second signal halts at once, the first still waits").containsExactly(130);
        stuck.countDown();
        first.join(10_000);
        assertThat(halts).containsExactly(130, 130);
    }

    @Test
    void aSignalWithNoCommandRunningExitsAtOnceAndACommandThatEndedOnItsOwnKeepsItsEnd() {
        List<Integer> halts = new CopyOnWriteArrayList<>();
        Interrupts idle = new Interrupts(halts::add);
        idle.signal("SIGINT");
        assertThat(halts).containsExactly(130);

        Interrupts ended = new Interrupts(code -> { });
        ended.enter(signal -> { throw new AssertionError("not interrupted: it has ended"); });
        assertThat(ended.leave()).as("no signal came: the command ends the run").isTrue();

        Interrupts taken = new Interrupts(code -> { });
        taken.enter(signal -> { });
        taken.signal("SIGTERM");
        assertThat(taken.leave()).as("the signal has taken the end of the run over").isFalse();
    }
}

package io.datomicgitops.cli;

import io.datomicgitops.ExitCode;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * SIGINT and SIGTERM (Ctrl-C, a Jenkins abort) while a command runs. The first signal hands the end of the run to the
 * command's {@link Target} on the signal's own thread — it writes the report with status interrupted, releases the
 * stack locks this process holds and prints one line saying where it stopped and what to do — and the process then
 * exits with {@link ExitCode#INTERRUPTED} (130). The main thread is not stopped: it goes on until the exit, like a
 * run killed a moment later, and once the signal has taken over it no longer writes the report or prints. A second
 * signal exits at once.
 *
 * <p>The handling is bounded ({@link #BUDGET}): whatever it waits for, the process exits after it. Signals a process
 * started ignoring (SIGINT of a job a shell started in the background) stay ignored.
 */
final class Interrupts {
    /** The longest the handling of a signal may take before the process exits anyway. */
    static final Duration BUDGET = Duration.ofSeconds(5);

    /** What a signal does to the command that runs: called on the signal's thread, while the command's thread still runs. */
    @FunctionalInterface
    interface Target {
        void interrupted(String signal);
    }

    /** For runs in a process that does not take signals (tests, in-process runs): signals never come. */
    static final Interrupts NONE = new Interrupts(code -> { });

    private enum State { IDLE, RUNNING, FINISHING, INTERRUPTED }

    private final IntConsumer halt;
    private final AtomicInteger signals = new AtomicInteger();
    /** Counted down once the signal's thread has called halt (which returns only in tests). */
    private final CountDownLatch halted = new CountDownLatch(1);
    private State state = State.IDLE;
    private Target target;

    /** @param halt ends the process with the code at once (Runtime.halt; tests record it) */
    Interrupts(IntConsumer halt) {
        this.halt = halt;
    }

    /** Handles SIGINT and SIGTERM in this process from now on. */
    static Interrupts install() {
        Interrupts interrupts = new Interrupts(code -> Runtime.getRuntime().halt(code));
        for (String name : new String[]{"INT", "TERM"}) {
            try {
                sun.misc.Signal signal = new sun.misc.Signal(name);
                sun.misc.SignalHandler before = sun.misc.Signal.handle(signal, s -> interrupts.signal("SIG" + name));
                // ignored when the process started (a background job's SIGINT): it stays ignored
                if (before == sun.misc.SignalHandler.SIG_IGN) sun.misc.Signal.handle(signal, sun.misc.SignalHandler.SIG_IGN);
            } catch (IllegalArgumentException | UnsupportedOperationException e) {
                // the JVM keeps the signal (-Xrs): its default handling stays
            }
        }
        return interrupts;
    }

    /** A command starts: a signal from now on interrupts it. */
    synchronized void enter(Target t) {
        target = t;
        state = State.RUNNING;
    }

    /**
     * The command's own thread has ended it (done or failed): true when it goes on to finish the run (write its
     * report, print, exit); false when a signal has taken the end of the run over, and the process is about to exit.
     */
    synchronized boolean leave() {
        if (state == State.INTERRUPTED) return false;
        state = State.FINISHING;
        target = null;
        return true;
    }

    /** For the command's thread after {@link #leave()} said false: waits for the exit the signal's thread makes. */
    int awaitExit() {
        try {
            halted.await(BUDGET.multipliedBy(2).toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return ExitCode.INTERRUPTED.code;
    }

    /** A signal arrived; runs on a thread of its own. */
    void signal(String name) {
        if (signals.incrementAndGet() > 1) {
            halt.accept(ExitCode.INTERRUPTED.code); // the second signal: at once
            return;
        }
        Target t;
        State was;
        synchronized (this) {
            was = state;
            t = target;
            if (was == State.RUNNING) state = State.INTERRUPTED;
        }
        Thread watchdog = new Thread(() -> {
            try {
                Thread.sleep(BUDGET.toMillis());
            } catch (InterruptedException e) {
                return;
            }
            halt.accept(ExitCode.INTERRUPTED.code);
        }, "interrupt-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        try {
            if (was == State.RUNNING) {
                t.interrupted(name);
            } else if (was == State.FINISHING) {
                // the command has just ended on its own and is writing its report: it exits by itself in a moment
                Thread.sleep(BUDGET.toMillis() / 2);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            System.err.println("error: interrupted by " + name + "; handling it failed: "
                    + io.datomicgitops.config.Redactor.global().redact(String.valueOf(e)));
        } finally {
            watchdog.interrupt();
            halt.accept(ExitCode.INTERRUPTED.code);
            halted.countDown();
        }
    }
}

package io.datomicgitops.deploy;

import io.datomicgitops.ExitCode;
import io.datomicgitops.ToolException;
import io.datomicgitops.aws.ApiCallCounter;
import io.datomicgitops.aws.AwsErrors;
import software.amazon.awssdk.core.exception.SdkException;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Runs one stack plan's independent AWS reads side by side, on a small pool of its own. An AWS error is turned into
 * the operator's one line in the thread that met it (so it names the call that failed), and reaches the caller of
 * {@link #join} unchanged. Closing waits for the tasks still running (a preview deletes its change set on the way
 * out) instead of interrupting them.
 */
final class Parallel implements AutoCloseable {
    private static final AtomicInteger POOLS = new AtomicInteger();

    private final ExecutorService pool;
    private final ApiCallCounter counter;

    Parallel(int threads, ApiCallCounter counter) {
        int id = POOLS.incrementAndGet();
        AtomicInteger n = new AtomicInteger();
        ThreadFactory daemons = r -> {
            Thread t = new Thread(r, "plan-" + id + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        this.pool = Executors.newFixedThreadPool(threads, daemons);
        this.counter = counter;
    }

    <T> CompletableFuture<T> supply(Supplier<T> task) {
        return CompletableFuture.supplyAsync(translated(task), pool);
    }

    /** Runs {@code next} on the pool once {@code first} is done (not at all when it failed). */
    <A, T> CompletableFuture<T> then(CompletableFuture<A> first, Function<A, T> next) {
        return first.thenApplyAsync(a -> translated(() -> next.apply(a)).get(), pool);
    }

    private <T> Supplier<T> translated(Supplier<T> task) {
        return () -> {
            try {
                return task.get();
            } catch (SdkException e) {
                throw AwsErrors.translate(e, counter);
            }
        };
    }

    /** The task's result; its exception as it was thrown. */
    static <T> T join(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) throw re;
            if (cause instanceof Error err) throw err;
            throw new ToolException(ExitCode.FAILED, "unexpected error: " + cause, "plan", "re-run; if it persists, report it", cause);
        }
    }

    /** The task's result when it completed normally; null when it failed (for work done ahead on a guess). */
    static <T> T resultOrNull(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (CompletionException | java.util.concurrent.CancellationException e) {
            return null;
        }
    }

    @Override
    public void close() {
        pool.shutdown();
        try {
            if (!pool.awaitTermination(10, TimeUnit.MINUTES)) pool.shutdownNow();
        } catch (InterruptedException e) {
            pool.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}

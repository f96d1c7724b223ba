package io.datomicgitops.reliability;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs seeded runs a few at a time. Each run lives in its own sandbox account, clone and fault proxy, so runs share
 * nothing and a seed replays the same way alone or beside others; most of a run is waiting (backoff, polls), so a
 * few lanes finish far sooner on two cores.
 */
final class Lanes {
    /** Runs at once; -Dreliability.lanes=1 runs them one after the other. */
    static final int LANES = Integer.getInteger("reliability.lanes", 4);

    @FunctionalInterface
    interface SeededRun {
        void run(long seed) throws Exception;
    }

    private Lanes() {}

    /** Runs every seed; the first failure of a run (an exception, not a finding) is rethrown after all ended. */
    static void run(long firstSeed, int runs, SeededRun body) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, LANES), r -> {
            Thread t = new Thread(r, "reliability-lane");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (long seed = firstSeed; seed < firstSeed + runs; seed++) {
                long s = seed;
                futures.add(pool.submit(() -> {
                    body.run(s);
                    return null;
                }));
            }
            Exception first = null;
            for (Future<?> f : futures) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    if (first == null) first = e.getCause() instanceof Exception ex ? ex : new IllegalStateException(e.getCause());
                }
            }
            if (first != null) throw first;
        } finally {
            pool.shutdownNow();
        }
    }

    /** The sandbox account of a seeded run: a test's own range, so no two runs (or tests) share one. */
    static String account(long base, long seed) {
        return String.format("%012d", base + seed);
    }
}

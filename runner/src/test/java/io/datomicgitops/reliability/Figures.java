package io.datomicgitops.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The figures of one reliability test: runs, how each converged, faults injected by kind, and what the invariants
 * found. {@link #print()} writes one summary line to stdout and appends it to target/reliability-figures.txt, from
 * which docs/RELIABILITY.md's table is refreshed.
 */
final class Figures {
    private final String test;
    private final long started = System.nanoTime();
    private int runs;
    private int firstTry;
    private int afterRerun;
    private int duplicates;
    private int namesLost;
    private int secretsLeaked;
    private final Map<String, Long> faults = new TreeMap<>();
    /** Of the faults injected, those that reached the runner's own code (the SDK's retries did not absorb them). */
    private final Map<String, Long> reached = new TreeMap<>();
    private final Map<String, Object> extra = new LinkedHashMap<>();

    Figures(String test) {
        this.test = test;
    }

    synchronized void fault(String kind, long n) {
        if (n > 0) faults.merge(kind, n, Long::sum);
    }

    /** What a fault proxy injected and what of it reached the runner's own code, by kind. */
    synchronized void faults(io.datomicgitops.testing.FaultProxy proxy) {
        proxy.injected().forEach((k, v) -> fault(k.name(), v));
        proxy.reachedTool().forEach((k, v) -> reached.merge(k.name(), v, Long::sum));
    }

    /** Faults that reached the runner's own code by construction (a git server's, a file system's: no SDK between). */
    synchronized void reached(String kind, long n) {
        if (n > 0) reached.merge(kind, n, Long::sum);
    }

    synchronized Map<String, Long> reached() {
        return new TreeMap<>(reached);
    }

    synchronized void put(String name, Object value) {
        extra.put(name, value);
    }

    /** Adds n to a named count of the summary line (e.g. a sandbox gap the test stood in for). */
    synchronized void tally(String name, long n) {
        if (n > 0) extra.merge(name, n, (a, b) -> (Long) a + (Long) b);
    }

    synchronized void run() {
        runs++;
    }

    /** One apply converged: at once, or after a clean re-run. */
    synchronized void converged(boolean firstTry) {
        if (firstTry) this.firstTry++;
        else afterRerun++;
    }

    synchronized int runs() {
        return runs;
    }

    synchronized int converged() {
        return firstTry + afterRerun;
    }

    synchronized int afterRerun() {
        return afterRerun;
    }

    synchronized int bad() {
        return duplicates + namesLost + secretsLeaked;
    }

    synchronized void add(Invariants.Findings f) {
        duplicates += f.duplicates;
        namesLost += f.namesLost;
        secretsLeaked += f.secretsLeaked;
    }

    synchronized long faultTotal() {
        return faults.values().stream().mapToLong(Long::longValue).sum();
    }

    synchronized String line() {
        StringBuilder b = new StringBuilder("reliability-figures: ").append(test)
                .append(" runs=").append(runs)
                .append(" first-try=").append(firstTry)
                .append(" after-rerun=").append(afterRerun)
                .append(" faults=").append(faultTotal()).append(faults.isEmpty() ? "" : " " + faults.toString().replace(" ", ""))
                .append(" reached-tool=").append(reached.values().stream().mapToLong(Long::longValue).sum())
                .append(reached.isEmpty() ? "" : " " + reached.toString().replace(" ", ""))
                .append(" duplicates=").append(duplicates)
                .append(" names-lost=").append(namesLost)
                .append(" secrets-leaked=").append(secretsLeaked);
        extra.forEach((k, v) -> b.append(' ').append(k).append('=').append(String.valueOf(v).replace(" ", "")));
        b.append(" seconds=").append((System.nanoTime() - started) / 1_000_000_000L);
        return b.toString();
    }

    synchronized void print() {
        String line = line();
        System.out.println(line);
        try {
            Path file = Path.of("target", "reliability-figures.txt");
            Files.createDirectories(file.getParent());
            Files.writeString(file, line + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

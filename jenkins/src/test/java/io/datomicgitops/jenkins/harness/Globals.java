package io.datomicgitops.jenkins.harness;

/** The build whose program runs on this thread (what Jenkins calls the current CPS thread's execution). */
final class Globals {
    private static final ThreadLocal<Build> CURRENT = new ThreadLocal<>();

    private Globals() {}

    static Build current() {
        Build b = CURRENT.get();
        if (b == null) throw new IllegalStateException("no build is running on this thread");
        return b;
    }

    static void set(Build b) {
        if (b == null) CURRENT.remove();
        else CURRENT.set(b);
    }
}

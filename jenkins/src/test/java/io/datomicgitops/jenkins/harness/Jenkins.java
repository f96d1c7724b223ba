package io.datomicgitops.jenkins.harness;

import com.cloudbees.groovy.cps.Continuable;
import groovy.lang.Script;
import org.codehaus.groovy.runtime.InvokerHelper;
import org.jenkinsci.plugins.workflow.steps.FlowInterruptedException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The controller as the library sees it: jobs and their builds, a scheduler that runs builds' programs in turn
 * (a waiting build lets the others run), the credentials store, the agent's environment, the installed plugins
 * (which steps exist), lockable resources, and a clock that tests move to make timeouts fire.
 */
public final class Jenkins {
    /** Steps whose body the harness runs in CPS (harness/HarnessSteps.groovy), and the plugin that provides each. */
    static final Map<String, String> BODY_STEPS = Map.of(
            "node", "workflow-durable-task-step", "stage", "pipeline-stage-step", "timeout", "workflow-basic-steps",
            "lock", "lockable-resources", "withCredentials", "credentials-binding", "withEnv", "workflow-basic-steps",
            "dir", "workflow-durable-task-step", "script", "pipeline-model-definition",
            "withAWS", "pipeline-aws", "pipeline", "pipeline-model-definition");
    /** Describable symbols (credential bindings, job properties): values, not steps. */
    static final Map<String, String> SYMBOLS = Map.of(
            "sshUserPrivateKey", "credentials-binding", "usernamePassword", "credentials-binding",
            "string", "credentials-binding", "aws", "aws-credentials", "disableConcurrentBuilds", "workflow-job",
            "pipelineTriggers", "workflow-job", "cron", "jenkins-core");

    private final Path home;
    private Library library;
    private final Steps steps = new Steps();
    private final Credentials credentials = new Credentials();
    private final Map<String, String> agentEnv = new LinkedHashMap<>();
    private final Set<String> missingPlugins = new HashSet<>();
    private final Map<String, Job> jobs = new LinkedHashMap<>();
    private final List<Build> active = new ArrayList<>();
    private final Map<String, Locks.State> locks = new LinkedHashMap<>();
    private final Set<Path> workspacesInUse = new HashSet<>();
    private final List<Class> categories;
    private Instant now = Instant.parse("2026-11-28T12:00:00Z");

    public Jenkins(Path home, Path libraryRoot) {
        this.home = home;
        this.library = new Library(libraryRoot);
        List<Class> cats = new ArrayList<>(Continuable.categories);
        cats.add(SerializableIterators.class);
        this.categories = List.copyOf(cats);
        String path = System.getProperty("java.home") + "/bin:" + System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        agentEnv.put("PATH", path);
        agentEnv.put("HOME", home.resolve("agent-home").toString());
        agentEnv.put("LANG", "C.UTF-8");
    }

    // ---- configuration, by tests ----

    public Library library() { return library; }

    public Credentials credentials() { return credentials; }

    /** Environment variables every build's agent has (e.g. the AWS endpoint of the sandbox). */
    public Jenkins agentEnv(String name, String value) {
        agentEnv.put(name, value);
        return this;
    }

    /** Uninstalls a plugin: its steps and symbols then do not exist (NoSuchMethodError, as in Jenkins). */
    public Jenkins withoutPlugin(String plugin) {
        missingPlugins.add(plugin);
        return this;
    }

    /** True unless a test uninstalled PLUGIN ({@link #withoutPlugin}). */
    boolean hasPlugin(String plugin) {
        return !missingPlugins.contains(plugin);
    }

    public Job job(String name, String jenkinsfile, Map<String, String> env) {
        Job job = new Job(name, jenkinsfile, env);
        jobs.put(name, job);
        return job;
    }

    /** Queues a build and runs every build until each one ends or waits. */
    public Build build(Job job) {
        return build(job, Map.of());
    }

    public Build build(Job job, Map<String, Object> params) {
        return start(job, params, Build.BRANCH_EVENT);
    }

    /** A build started by the job's cron trigger (its cause: TimerTrigger$TimerTriggerCause). */
    public Build buildByTimer(Job job) {
        Symbol triggers = job.property("pipelineTriggers");
        boolean scheduled = triggers != null && triggers.args().get("triggers") instanceof java.util.Collection<?> c
                && c.stream().anyMatch(t -> t instanceof Symbol s && s.name().equals("cron") && !String.valueOf(s.args().get("spec")).isBlank());
        if (!scheduled) throw new IllegalStateException(job.name() + " has no cron trigger (its last build set: " + triggers + ")");
        return start(job, Map.of(), Build.TIMER);
    }

    private Build start(Job job, Map<String, Object> params, String cause) {
        Build b = job.newBuild(this, params, cause);
        active.add(b);
        runUntilQuiet();
        return b;
    }

    /** Moves the clock; builds waiting past a timeout's deadline are interrupted, as the timeout step does. */
    public void advance(Duration d) {
        now = now.plus(d);
        for (Build b : List.copyOf(active)) {
            if (b.state() != Build.State.WAITING) continue;
            boolean expired = b.frames().stream().anyMatch(f -> f instanceof Frame.Timeout t && !t.deadline().isAfter(now));
            if (expired) b.interrupt(new FlowInterruptedException("ABORTED", "Timeout has been exceeded"));
        }
        runUntilQuiet();
    }

    /**
     * Restarts the controller: every running or waiting build's program is written out and read back by a fresh
     * library class loader that compiled vars/, src/ and each Jenkinsfile again (Jenkins resuming program.dat after a
     * restart). State that only lived in the old classes' statics, or that does not serialize, is gone.
     */
    public void restart() throws IOException, ClassNotFoundException {
        library = new Library(library.root());
        for (Build b : List.copyOf(active)) {
            if (b.state() == Build.State.RUNNING || b.state() == Build.State.WAITING) b.resumeAfterRestart();
        }
    }

    public Path home() { return home; }

    public String url() { return "https://jenkins.example.com/"; }

    Instant now() { return now; }

    // ---- the scheduler ----

    void runUntilQuiet() {
        boolean progressed = true;
        while (progressed) {
            progressed = false;
            for (Build b : List.copyOf(active)) {
                if (b.state() == Build.State.QUEUED && mayStart(b)) {
                    start(b);
                    progressed = true;
                }
                if (b.runnable()) {
                    b.runSlice();
                    progressed = true;
                }
            }
            active.removeIf(b -> b.state() == Build.State.DONE);
        }
    }

    private boolean mayStart(Build b) {
        if (!b.job().concurrentBuildsDisabled()) return true;
        return b.job().builds().stream().noneMatch(o -> o != b && o.number() < b.number()
                && (o.state() == Build.State.RUNNING || o.state() == Build.State.WAITING));
    }

    private void start(Build b) {
        Script script = library.parse(b.job().script(), "Jenkinsfile");
        b.start(new Continuable(script));
    }

    void buildFinished(Build b) {
        // the queue is looked at again by runUntilQuiet
    }

    List<Class> categories() { return categories; }

    Steps steps() { return steps; }

    Map<String, String> agentEnv() { return agentEnv; }

    // ---- steps ----

    /** What a call of an unknown method resolves to: a body step, a symbol, a step, or Jenkins' NoSuchMethodError. */
    Object dispatchStep(Build build, String name, Object[] args) {
        if (BODY_STEPS.containsKey(name) && !missingPlugins.contains(BODY_STEPS.get(name))) {
            return InvokerHelper.invokeMethod(library.harnessSteps(), name, args);
        }
        if (SYMBOLS.containsKey(name) && !missingPlugins.contains(SYMBOLS.get(name))) {
            return Symbol.of(name, args);
        }
        String plugin = Steps.PLUGINS.get(name);
        if (plugin != null && !missingPlugins.contains(plugin)) {
            return Continuable.suspend(name, new StepCall(name, args));
        }
        throw new NoSuchMethodError("No such DSL method '" + name + "' found among steps " + stepNames());
    }

    private Set<String> stepNames() {
        Set<String> names = new TreeSet<>();
        Steps.PLUGINS.forEach((k, v) -> { if (!missingPlugins.contains(v)) names.add(k); });
        BODY_STEPS.forEach((k, v) -> { if (!missingPlugins.contains(v)) names.add(k); });
        return names;
    }

    // ---- workspaces ----

    Path allocateWorkspace(Job job) {
        Path base = home.resolve("workspace").resolve(job.name().replaceAll("[^A-Za-z0-9._-]", "_"));
        Path ws = base;
        for (int i = 2; workspacesInUse.contains(ws); i++) ws = base.resolveSibling(base.getFileName() + "@" + i);
        workspacesInUse.add(ws);
        try {
            Files.createDirectories(ws);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return ws;
    }

    void releaseWorkspace(Path ws) {
        workspacesInUse.remove(ws);
    }

    // ---- lockable resources ----

    /** True when BUILD holds RESOURCE now; else it waits in the queue. */
    boolean acquireLock(String resource, Build build, boolean inversePrecedence) {
        Locks.State s = locks.computeIfAbsent(resource, r -> new Locks.State());
        if (s.holder == null) {
            s.holder = build;
            return true;
        }
        s.waiting.add(new Locks.Waiter(build, inversePrecedence));
        return false;
    }

    void releaseLock(String resource, Build build) {
        Locks.State s = locks.get(resource);
        if (s == null || s.holder != build) return;
        s.holder = null;
        Locks.Waiter w = s.next();
        if (w != null) {
            s.holder = w.build();
            w.build().setWaitingForLock(null);
            w.build().frames().push(new Frame.Lock(resource));
            w.build().log("Lock acquired on [" + resource + "]");
            w.build().resumeWith(new com.cloudbees.groovy.cps.Outcome(null, null));
        }
    }

    void cancelLockWait(String resource, Build build) {
        Locks.State s = locks.get(resource);
        if (s != null) s.waiting.removeIf(w -> w.build() == build);
    }

    public Build lockHolder(String resource) {
        Locks.State s = locks.get(resource);
        return s == null ? null : s.holder;
    }
}

package io.datomicgitops.jenkins.harness;

import com.cloudbees.groovy.cps.Continuable;
import com.cloudbees.groovy.cps.ObjectInputStreamWithLoader;
import com.cloudbees.groovy.cps.Outcome;
import hudson.AbortException;
import org.jenkinsci.plugins.workflow.steps.FlowInterruptedException;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * One run of a job: its program (a {@link Continuable}), the step context around the program's current point, its
 * log, the steps it ran, and what it waits for. The program is serialized and read back before every step, as
 * Jenkins persists a running program, so state that would not survive a restart fails the build here too.
 */
public final class Build {
    public enum State { QUEUED, RUNNING, WAITING, DONE }

    /** The cause of a multibranch build started by a push, and of a timer build (their class names). */
    static final String BRANCH_EVENT = "jenkins.branch.BranchEventCause";
    static final String TIMER = "hudson.triggers.TimerTrigger$TimerTriggerCause";

    private final Jenkins jenkins;
    private final Job job;
    private final int number;
    private final Map<String, String> buildEnv = new LinkedHashMap<>();
    private final Map<String, Object> params;
    private final String cause;
    private final Deque<Frame> frames = new ArrayDeque<>();
    private final StringBuilder log = new StringBuilder();
    private final StringBuilder rawLog = new StringBuilder();
    private final List<StepRecord> steps = new ArrayList<>();
    private final List<String> mismatches = new ArrayList<>();
    private final Set<String> secrets = new TreeSet<>();
    private final List<GitScm.Change> changes = new ArrayList<>();
    private String builtCommit;

    private State state = State.QUEUED;
    private Continuable program;
    private Outcome next;
    private PendingInput input;
    private String waitingForLock;
    private String description;
    private String explicitResult;
    private String result;
    private Throwable failure;
    private Integer lastMilestone;
    private int roundTrips;

    Build(Jenkins jenkins, Job job, int number, Map<String, Object> params, String cause) {
        this.cause = cause;
        this.jenkins = jenkins;
        this.job = job;
        this.number = number;
        this.params = new LinkedHashMap<>(params);
    }

    // ---- what tests read ----

    public Jenkins jenkins() { return jenkins; }

    public Job job() { return job; }

    public int number() { return number; }

    public State state() { return state; }

    /** SUCCESS, FAILURE, ABORTED or UNSTABLE once done; null while running. */
    public String result() { return result; }

    public Throwable failure() { return failure; }

    public String description() { return description; }

    /** The build log as Jenkins shows it (credentials masked). */
    public String log() { return log.toString(); }

    /** The log before masking: what tests use to prove a secret was never printed at all. */
    public String unmaskedLog() { return rawLog.toString(); }

    public List<StepRecord> steps() { return List.copyOf(steps); }

    public List<StepRecord> steps(String name) {
        return steps.stream().filter(s -> s.name().equals(name)).toList();
    }

    public List<String> stepNames() { return steps.stream().map(StepRecord::name).toList(); }

    /** Calls that groovy-cps caught as CPS/non-CPS mismatches (Jenkins logs these as warnings). */
    public List<String> cpsMismatches() { return List.copyOf(mismatches); }

    public PendingInput pendingInput() { return input; }

    public String waitingForLock() { return waitingForLock; }

    public int serializationRoundTrips() { return roundTrips; }

    public Path artifactsDir() { return jenkins.home().resolve("jobs").resolve(job.name()).resolve("builds").resolve(String.valueOf(number)).resolve("archive"); }

    public Path artifact(String relative) { return artifactsDir().resolve(relative); }

    public String url() { return jenkins.url() + "job/" + job.name() + "/" + number + "/"; }

    public Map<String, Object> params() { return params; }

    // ---- answering an input, as a person on the build page ----

    /** Proceeds the pending input as USER (member of GROUPS); refused, as Jenkins does, when USER is not a submitter. */
    public void approve(String user, String... groups) {
        PendingInput in = requireInput();
        if (!in.allows(user, groups)) {
            throw new IllegalStateException(user + " may not approve: submitter is '" + in.submitter() + "'");
        }
        Object value = null;
        if (in.parameters().isEmpty()) {
            if (in.submitterParameter() != null) value = user;
        } else {
            Map<String, Object> map = new LinkedHashMap<>();
            if (in.submitterParameter() != null) map.put(in.submitterParameter(), user);
            value = map;
        }
        input = null;
        log("Approved by " + user);
        resumeWith(new Outcome(value, null));
        jenkins.runUntilQuiet();
    }

    /**
     * Proceeds the pending input as an administrator: Jenkins lets a user with Administer permission answer any
     * input, whatever its submitter says.
     */
    public void approveAsAdministrator(String user) {
        PendingInput in = requireInput();
        proceed(in.parameters().isEmpty() && in.submitterParameter() != null ? user : submitterMap(in, user), user);
    }

    /**
     * Proceeds the pending input the way its proceedEmpty route does (the inline Proceed button of some views, REST
     * clients posting to .../input/ID/proceedEmpty): the step returns null, the approver's name is not passed.
     */
    public void proceedEmpty(String user) {
        PendingInput in = requireInput();
        if (!in.allows(user)) throw new IllegalStateException(user + " may not approve: submitter is '" + in.submitter() + "'");
        proceed(null, user);
    }

    private static Map<String, Object> submitterMap(PendingInput in, String user) {
        Map<String, Object> map = new LinkedHashMap<>();
        if (in.submitterParameter() != null) map.put(in.submitterParameter(), user);
        return map;
    }

    private void proceed(Object value, String user) {
        input = null;
        log("Approved by " + user);
        resumeWith(new Outcome(value, null));
        jenkins.runUntilQuiet();
    }

    /** Aborts the pending input as USER (the Abort button). */
    public void abort(String user) {
        requireInput();
        input = null;
        log("Rejected by " + user);
        resumeWith(new Outcome(null, new FlowInterruptedException("ABORTED", "Rejected by " + user)));
        jenkins.runUntilQuiet();
    }

    private PendingInput requireInput() {
        if (input == null) throw new IllegalStateException("#" + number + " is not waiting for input (state " + state + ")");
        return input;
    }

    // ---- the program ----

    void start(Continuable program) {
        this.program = program;
        this.state = State.RUNNING;
        this.next = new Outcome(null, null);
        buildEnv.putAll(job.env());
        buildEnv.put("BUILD_NUMBER", String.valueOf(number));
        buildEnv.put("BUILD_ID", String.valueOf(number));
        buildEnv.put("BUILD_URL", url());
        buildEnv.put("JOB_NAME", job.name());
        buildEnv.put("JOB_URL", jenkins.url() + "job/" + job.name() + "/");
        buildEnv.put("JENKINS_URL", jenkins.url());
        log("Started");
    }

    boolean runnable() {
        return state == State.RUNNING && next != null;
    }

    /** Runs the program until it waits for something or ends. */
    void runSlice() {
        Globals.set(this);
        com.cloudbees.groovy.cps.impl.CpsCallableInvocation.registerMismatchHandler(
                (expectedReceiver, expectedMethod, actualReceiver, actualMethod) -> {
                    String m = "expected to call " + expectedMethod + " but wound up catching " + actualMethod;
                    mismatches.add(m);
                    log("Warning: " + m);
                });
        try {
            while (next != null && state == State.RUNNING) {
                Outcome in = next;
                next = null;
                Outcome out = program.run0(in, jenkins.categories());
                if (!program.isResumable()) {
                    finish(out);
                    return;
                }
                Object yielded = out.getNormal();
                if (!(yielded instanceof StepCall call)) {
                    finish(new Outcome(null, new IllegalStateException("program suspended with " + yielded)));
                    return;
                }
                try {
                    program = roundTrip(program);
                } catch (IOException | ClassNotFoundException e) {
                    finish(new Outcome(null, e));
                    return;
                }
                Object result;
                try {
                    result = jenkins.steps().execute(this, call);
                } catch (Throwable t) {
                    next = new Outcome(null, t);
                    continue;
                }
                if (result == Steps.WAIT) {
                    state = State.WAITING;
                } else {
                    next = new Outcome(result, null);
                }
            }
        } finally {
            com.cloudbees.groovy.cps.impl.CpsCallableInvocation.registerMismatchHandler(null);
            Globals.set(null);
        }
    }

    /** After a restart: the Jenkinsfile compiled again by the new library, and the program read back by it. */
    void resumeAfterRestart() throws IOException, ClassNotFoundException {
        jenkins.library().parse(job.script(), "Jenkinsfile");
        program = roundTrip(program);
        log("Resuming build after Jenkins restart");
    }

    /** Aborts the build wherever it waits (the build page's stop button), as USER. */
    public void abortBuild(String user) {
        interrupt(new FlowInterruptedException("ABORTED", "Aborted by " + user));
        jenkins.runUntilQuiet();
    }

    /** Writes the program out and reads it back with the library's class loader (Jenkins' program.dat). */
    private Continuable roundTrip(Continuable c) throws IOException, ClassNotFoundException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(c);
        }
        roundTrips++;
        try (ObjectInputStreamWithLoader in = new ObjectInputStreamWithLoader(
                new ByteArrayInputStream(bytes.toByteArray()), jenkins.library().classLoader())) {
            return (Continuable) in.readObject();
        }
    }

    private void finish(Outcome out) {
        Throwable t = out.getAbnormal();
        if (t == null) {
            result = explicitResult == null ? "SUCCESS" : explicitResult;
        } else if (t instanceof FlowInterruptedException fie) {
            result = fie.getResult();
            failure = t;
            log(String.join("\n", fie.getCauses()));
        } else if (t instanceof AbortException) {
            result = "FAILURE";
            failure = t;
            log("ERROR: " + t.getMessage());
        } else {
            result = "FAILURE";
            failure = t;
            StringWriter sw = new StringWriter();
            t.printStackTrace(new PrintWriter(sw));
            log(sw.toString());
        }
        log("Finished: " + result);
        state = State.DONE;
        input = null;
        next = null;
        while (!frames.isEmpty()) {
            Frame f = frames.pop();
            if (f instanceof Frame.Lock l) jenkins.releaseLock(l.resource(), this);
            if (f instanceof Frame.Node n) jenkins.releaseWorkspace(n.workspace());
        }
        jenkins.buildFinished(this);
    }

    void resumeWith(Outcome o) {
        if (state == State.DONE) return;
        next = o;
        state = State.RUNNING;
    }

    /** Interrupts the build wherever it waits (input, lock): the program sees the exception at that step. */
    void interrupt(FlowInterruptedException e) {
        if (state == State.DONE) return;
        if (waitingForLock != null) {
            jenkins.cancelLockWait(waitingForLock, this);
            waitingForLock = null;
        }
        if (state == State.QUEUED) {
            result = e.getResult();
            failure = e;
            state = State.DONE;
            jenkins.buildFinished(this);
            return;
        }
        input = null;
        log(String.join("\n", e.getCauses()));
        resumeWith(new Outcome(null, e));
    }

    // ---- what steps use ----

    void log(String line) {
        rawLog.append(line).append('\n');
        String masked = line;
        for (String s : secrets) if (!s.isEmpty()) masked = masked.replace(s, "****");
        log.append(masked).append('\n');
    }

    void record(StepCall call, Map<String, Object> args) {
        List<String> stages = new ArrayList<>();
        List<String> context = new ArrayList<>();
        for (Iterator<Frame> it = frames.descendingIterator(); it.hasNext(); ) {
            Frame f = it.next();
            context.add(f.kind());
            if (f instanceof Frame.Stage s) stages.add(s.name());
        }
        steps.add(new StepRecord(call.name(), args, stages, context));
        log("[Pipeline] " + call.name());
    }

    Deque<Frame> frames() { return frames; }

    void addSecrets(List<String> values) { secrets.addAll(values); }

    /** The class names of the build's causes. */
    List<String> causes() { return List.of(cause); }

    /** The commit the build's first checkout built (the git plugin's BuildData), or null before any checkout. */
    String builtCommit() { return builtCommit; }

    void setBuiltCommit(String commit) { builtCommit = commit; }

    /** What the latest earlier build of the job built: the git plugin's base for this build's change log. */
    String previousBuildsCommit() {
        String previous = null;
        for (Build o : job.builds()) if (o.number < number && o.builtCommit != null) previous = o.builtCommit;
        return previous;
    }

    void addChanges(List<GitScm.Change> entries) { changes.addAll(entries); }

    /** The change log the build's checkouts recorded (currentBuild.changeSets). */
    public List<GitScm.Change> changes() { return List.copyOf(changes); }

    void setInput(PendingInput in) { this.input = in; }

    void setWaitingForLock(String resource) { this.waitingForLock = resource; }

    Integer lastMilestone() { return lastMilestone; }

    void passedMilestone(int ordinal) { lastMilestone = ordinal; }

    void setDescription(String d) { description = d; }

    String explicitResult() { return explicitResult; }

    void setExplicitResult(String r) { explicitResult = r; }

    void setBuildEnv(String name, String value) {
        if (value == null) buildEnv.remove(name);
        else buildEnv.put(name, value);
    }

    /** The environment in effect: the agent's, the build's, then each enclosing withEnv/withCredentials. */
    Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>(jenkins.agentEnv());
        env.putAll(buildEnv);
        for (Iterator<Frame> it = frames.descendingIterator(); it.hasNext(); ) {
            Frame f = it.next();
            if (f instanceof Frame.Env e) env.putAll(e.vars());
            if (f instanceof Frame.Node n) {
                env.put("WORKSPACE", n.workspace().toString());
                env.put("NODE_NAME", "agent-1");
            }
        }
        return env;
    }

    /** The current directory: the innermost dir, else the node's workspace; outside node there is none. */
    Path cwd(String step) {
        for (Frame f : frames) {
            if (f instanceof Frame.Dir d) return d.path();
            if (f instanceof Frame.Node n) return n.workspace();
        }
        throw new MissingContextException(step);
    }

    boolean insideNode() {
        return frames.stream().anyMatch(f -> f instanceof Frame.Node);
    }

    Path workspace(String step) {
        for (Frame f : frames) if (f instanceof Frame.Node n) return n.workspace();
        throw new MissingContextException(step);
    }

    Path tmpDir() throws IOException {
        Path ws = workspace("tmp");
        Path tmp = ws.resolveSibling(ws.getFileName() + "@tmp");
        Files.createDirectories(tmp);
        return tmp;
    }

    /** Jenkins' MissingContextVariableException, in its words. */
    public static final class MissingContextException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        MissingContextException(String step) {
            super("Required context class hudson.FilePath is missing (step " + step
                    + "). Perhaps you forgot to surround the code with a step that provides this, such as: node");
        }
    }

    @Override
    public String toString() {
        return job.name() + " #" + number;
    }
}

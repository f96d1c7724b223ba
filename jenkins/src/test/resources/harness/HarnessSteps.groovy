import io.datomicgitops.jenkins.harness.Pause

/*
 * The body steps, compiled with the CPS transformation like the library: each asks the harness to begin the step
 * (allocate a workspace, take a lock, bind credentials, start a timer...), runs the body in CPS, and ends the step
 * in a finally block, so an exception (an aborted input, a timeout, a failure) leaves the contexts as Jenkins does.
 */
class HarnessSteps implements Serializable {
    private static final long serialVersionUID = 1L

    def node(Closure body) {
        return node(null, body)
    }

    def node(Object label, Closure body) {
        Pause.pause('node', [label: label])
        try {
            return body()
        } finally {
            Pause.pause('node-end', [:])
        }
    }

    def stage(Object name, Closure body) {
        Pause.pause('stage', [name: name])
        try {
            return body()
        } finally {
            Pause.pause('stage-end', [:])
        }
    }

    def dir(Object path, Closure body) {
        Pause.pause('dir', [path: path])
        try {
            return body()
        } finally {
            Pause.pause('dir-end', [:])
        }
    }

    def withEnv(List overrides, Closure body) {
        Pause.pause('withEnv', [overrides: overrides])
        try {
            return body()
        } finally {
            Pause.pause('withEnv-end', [:])
        }
    }

    def timeout(Object args, Closure body) {
        Map a = args instanceof Map ? args : [time: args, unit: 'MINUTES']
        Pause.pause('timeout', a)
        try {
            return body()
        } finally {
            Pause.pause('timeout-end', [:])
        }
    }

    def lock(Object args, Closure body) {
        Map a = args instanceof Map ? args : [resource: args]
        if (a.label != null || a.quantity != null || a.extra != null) {
            throw new IllegalArgumentException('the harness locks single resources only: ' + a)
        }
        Pause.pause('lock', a)
        try {
            return body()
        } finally {
            Pause.pause('lock-end', [:])
        }
    }

    def withCredentials(List bindings, Closure body) {
        Pause.pause('withCredentials', [bindings: bindings])
        try {
            return body()
        } finally {
            Pause.pause('withCredentials-end', [:])
        }
    }

    def withAWS(Map args, Closure body) {
        Pause.pause('withAWS', args)
        try {
            return body()
        } finally {
            Pause.pause('withAWS-end', [:])
        }
    }

    def script(Closure body) {
        return body()
    }

    def pipeline(Closure body) {
        return new Declarative(this).run(body)
    }
}

/*
 * Declarative Pipeline, the subset Jenkinsfile.example uses, interpreted as Jenkins' ModelInterpreter does:
 * options (disableConcurrentBuilds, timeout, buildDiscarder, skipDefaultCheckout), triggers (cron), agent (any,
 * none, label) with the automatic checkout scm on entering it (GIT_* in env from then on), stages with when (branch,
 * changeRequest, triggeredBy, expression, not, allOf, anyOf; evaluated after the stage's agent is allocated unless
 * beforeAgent true), steps, and post (always, success, failure, aborted, unsuccessful, cleanup) at pipeline and
 * stage level. Any other directive fails the build, so the harness never silently ignores one.
 */
class Declarative implements Serializable {
    private static final long serialVersionUID = 1L
    private final HarnessSteps steps
    private boolean skipCheckout

    Declarative(HarnessSteps steps) {
        this.steps = steps
    }

    def run(Closure body) {
        PipelineModel m = new PipelineModel()
        collect(body, m)
        if (m.stageList.isEmpty()) {
            throw new IllegalArgumentException('pipeline: no stages')
        }
        Pause.pause('declarative', [stages: m.stageList.collect { it.name }])
        List jobProperties = []
        if (m.options.disableConcurrentBuilds) {
            jobProperties.add(new io.datomicgitops.jenkins.harness.Symbol('disableConcurrentBuilds', [:]))
        }
        if (m.options.buildDiscarder != null) {
            jobProperties.add(new io.datomicgitops.jenkins.harness.Symbol('buildDiscarder', [strategy: m.options.buildDiscarder]))
        }
        if (!m.triggers.isEmpty()) {
            jobProperties.add(new io.datomicgitops.jenkins.harness.Symbol('pipelineTriggers', [triggers: m.triggers]))
        }
        if (!jobProperties.isEmpty()) {
            Pause.pause('properties', [properties: jobProperties])
        }
        skipCheckout = m.options.skipDefaultCheckout
        return withTimeout(m.options.timeout) {
            withAgent(m.agent) {
                runWithPost(m.post) {
                    for (StageModel s in m.stageList) {
                        runStage(s)
                    }
                }
            }
        }
    }

    void runStage(StageModel s) {
        steps.stage(s.name) {
            if (s.when != null && s.when.beforeAgent && !evaluate(s.when)) {
                Pause.pause('echo', "Stage \"${s.name}\" skipped due to when conditional".toString())
                return
            }
            withAgent(s.agent) {
                // without beforeAgent, Declarative allocates the stage's agent (and checks out) before its when
                if (s.when != null && !s.when.beforeAgent && !evaluate(s.when)) {
                    Pause.pause('echo', "Stage \"${s.name}\" skipped due to when conditional".toString())
                    return
                }
                withTimeout(s.options.timeout) {
                    runWithPost(s.post) {
                        Closure body = s.stepsBody
                        body()
                    }
                }
            }
        }
    }

    def runWithPost(PostModel post, Closure body) {
        String outcome = 'SUCCESS'
        try {
            def r = body()
            return r
        } catch (org.jenkinsci.plugins.workflow.steps.FlowInterruptedException e) {
            outcome = e.result
            throw e
        } catch (Throwable e) {
            outcome = 'FAILURE'
            throw e
        } finally {
            if (post != null) {
                runPost(post, outcome)
            }
        }
    }

    void runPost(PostModel post, String outcome) {
        if (post.conditions.always != null) {
            post.conditions.always()
        }
        if (outcome == 'ABORTED' || outcome == 'NOT_BUILT') {
            if (post.conditions.aborted != null) {
                post.conditions.aborted()
            }
        }
        if (outcome == 'FAILURE' && post.conditions.failure != null) {
            post.conditions.failure()
        }
        if (outcome == 'SUCCESS' && post.conditions.success != null) {
            post.conditions.success()
        }
        if (outcome != 'SUCCESS' && post.conditions.unsuccessful != null) {
            post.conditions.unsuccessful()
        }
        if (post.conditions.cleanup != null) {
            post.conditions.cleanup()
        }
    }

    def withAgent(Object agent, Closure body) {
        if (agent == null || agent == 'none') {
            return body()
        }
        return steps.node(agent == 'any' ? null : agent) {
            if (!skipCheckout) {
                // Declarative's automatic checkout scm: the GIT_* variables are in env from here on
                Pause.pause('declarative-checkout', [:])
            }
            body()
        }
    }

    def withTimeout(Map timeout, Closure body) {
        if (timeout == null) {
            return body()
        }
        return steps.timeout(timeout, body)
    }

    boolean evaluate(WhenModel w) {
        for (Object c in w.conditions) {
            if (!condition(c)) {
                return false
            }
        }
        return true
    }

    boolean condition(Object c) {
        List cond = (List) c
        String kind = cond[0]
        if (kind == 'branch') {
            String name = Pause.pause('env', 'BRANCH_NAME')
            return name == cond[1]
        }
        if (kind == 'changeRequest') {
            return Pause.pause('env', 'CHANGE_ID') != null
        }
        if (kind == 'triggeredBy') {
            return Pause.pause('triggered-by', cond[1]) as boolean
        }
        if (kind == 'expression') {
            Closure e = (Closure) cond[1]
            return e() as boolean
        }
        if (kind == 'not') {
            return !evaluate((WhenModel) cond[1])
        }
        if (kind == 'allOf') {
            return evaluate((WhenModel) cond[1])
        }
        if (kind == 'anyOf') {
            for (Object inner in ((WhenModel) cond[1]).conditions) {
                if (condition(inner)) {
                    return true
                }
            }
            return false
        }
        throw new IllegalArgumentException('when: unknown condition ' + kind)
    }

    /** Runs a section with its model as the only delegate, then lets the section's closures see the script again. */
    static void collect(Closure body, Object model) {
        body.resolveStrategy = Closure.DELEGATE_ONLY
        body.delegate = model
        try {
            body()
        } finally {
            body.resolveStrategy = Closure.OWNER_FIRST
            body.delegate = body.owner
        }
    }
}

class PipelineModel implements Serializable {
    private static final long serialVersionUID = 1L
    final String any = 'any'
    final String none = 'none'
    Object agent
    OptionsModel options = new OptionsModel()
    List<StageModel> stageList = []
    List triggers = []
    PostModel post

    void triggers(Closure c) {
        TriggersModel m = new TriggersModel()
        Declarative.collect(c, m)
        triggers = m.triggers
    }

    void agent(Object a) {
        agent = a
    }

    void agent(Closure c) {
        AgentModel m = new AgentModel()
        Declarative.collect(c, m)
        agent = m.label
    }

    void options(Closure c) {
        Declarative.collect(c, options)
    }

    void stages(Closure c) {
        StagesModel m = new StagesModel()
        Declarative.collect(c, m)
        stageList = m.stageList
    }

    void post(Closure c) {
        post = new PostModel()
        Declarative.collect(c, post)
    }
}

class AgentModel implements Serializable {
    private static final long serialVersionUID = 1L
    String label

    void label(String l) {
        label = l
    }
}

class TriggersModel implements Serializable {
    private static final long serialVersionUID = 1L
    List triggers = []

    /** env, as a triggers block may read it (cron(env.BRANCH_NAME == 'main' ? ... : '')) */
    Object getEnv() {
        return new io.datomicgitops.jenkins.harness.EnvGlobal()
    }

    void cron(String spec) {
        triggers.add(new io.datomicgitops.jenkins.harness.Symbol('cron', [spec: spec]))
    }
}

class OptionsModel implements Serializable {
    private static final long serialVersionUID = 1L
    boolean disableConcurrentBuilds
    boolean skipDefaultCheckout
    Object buildDiscarder
    Map timeout

    void skipDefaultCheckout() {
        skipDefaultCheckout = true
    }

    void buildDiscarder(Object strategy) {
        buildDiscarder = strategy
    }

    Object logRotator(Map args) {
        return new io.datomicgitops.jenkins.harness.Symbol('logRotator', args)
    }

    void disableConcurrentBuilds() {
        disableConcurrentBuilds = true
    }

    void timeout(Map t) {
        timeout = t
    }
}

class StagesModel implements Serializable {
    private static final long serialVersionUID = 1L
    List<StageModel> stageList = []

    void stage(String name, Closure c) {
        StageModel m = new StageModel(name)
        Declarative.collect(c, m)
        stageList.add(m)
    }
}

class StageModel implements Serializable {
    private static final long serialVersionUID = 1L
    final String any = 'any'
    final String none = 'none'
    final String name
    Object agent
    OptionsModel options = new OptionsModel()
    WhenModel when
    Closure stepsBody
    PostModel post

    StageModel(String name) {
        this.name = name
    }

    void agent(Object a) {
        agent = a
    }

    void agent(Closure c) {
        AgentModel m = new AgentModel()
        Declarative.collect(c, m)
        agent = m.label
    }

    void options(Closure c) {
        Declarative.collect(c, options)
    }

    void when(Closure c) {
        when = new WhenModel()
        Declarative.collect(c, when)
    }

    void steps(Closure c) {
        stepsBody = c
    }

    void post(Closure c) {
        post = new PostModel()
        Declarative.collect(c, post)
    }
}

class WhenModel implements Serializable {
    private static final long serialVersionUID = 1L
    List conditions = []
    boolean beforeAgent

    void beforeAgent(boolean b) {
        beforeAgent = b
    }

    void triggeredBy(String cause) {
        conditions.add(['triggeredBy', cause])
    }

    void branch(String pattern) {
        conditions.add(['branch', pattern])
    }

    void changeRequest() {
        conditions.add(['changeRequest'])
    }

    void expression(Closure c) {
        conditions.add(['expression', c])
    }

    void not(Closure c) {
        WhenModel inner = new WhenModel()
        Declarative.collect(c, inner)
        conditions.add(['not', inner])
    }

    void allOf(Closure c) {
        WhenModel inner = new WhenModel()
        Declarative.collect(c, inner)
        conditions.add(['allOf', inner])
    }

    void anyOf(Closure c) {
        WhenModel inner = new WhenModel()
        Declarative.collect(c, inner)
        conditions.add(['anyOf', inner])
    }
}

class PostModel implements Serializable {
    private static final long serialVersionUID = 1L
    Map<String, Closure> conditions = [:]

    void always(Closure c) { conditions.always = c }

    void success(Closure c) { conditions.success = c }

    void failure(Closure c) { conditions.failure = c }

    void aborted(Closure c) { conditions.aborted = c }

    void unsuccessful(Closure c) { conditions.unsuccessful = c }

    void cleanup(Closure c) { conditions.cleanup = c }
}

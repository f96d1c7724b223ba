package io.datomicgitops.jenkins.harness;

import groovy.json.JsonSlurperClassic;
import hudson.AbortException;
import org.jenkinsci.plugins.workflow.steps.FlowInterruptedException;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The steps, as the harness serves them. Each takes the arguments a Jenkinsfile passes (named, or one positional
 * value) and behaves as the Jenkins step does in the ways the library depends on; {@code sh} runs a real process.
 * The body steps' begin/end halves (node, timeout, lock, ...) are called by harness/HarnessSteps.groovy.
 */
final class Steps {
    /** Returned by a step that makes the build wait (input, a held lock). */
    static final Object WAIT = new Object();

    /** The steps a program may call, and the plugin each comes from. */
    static final Map<String, String> PLUGINS = Map.ofEntries(
            Map.entry("echo", "workflow-basic-steps"), Map.entry("error", "workflow-basic-steps"),
            Map.entry("sh", "workflow-durable-task-step"), Map.entry("writeFile", "workflow-basic-steps"),
            Map.entry("readFile", "workflow-basic-steps"), Map.entry("fileExists", "workflow-basic-steps"),
            Map.entry("deleteDir", "workflow-basic-steps"), Map.entry("isUnix", "workflow-basic-steps"),
            Map.entry("archiveArtifacts", "workflow-basic-steps"), Map.entry("libraryResource", "pipeline-groovy-lib"),
            Map.entry("readJSON", "pipeline-utility-steps"), Map.entry("input", "pipeline-input-step"),
            Map.entry("milestone", "pipeline-milestone-step"), Map.entry("properties", "workflow-multibranch"),
            Map.entry("sleep", "workflow-basic-steps"), Map.entry("stash", "workflow-basic-steps"),
            Map.entry("unstash", "workflow-basic-steps"), Map.entry("checkout", "workflow-scm-step"),
            Map.entry("unstable", "workflow-basic-steps"), Map.entry("publishChecks", "checks-api"));

    private static final Duration SH_LIMIT = Duration.ofMinutes(10);

    Object execute(Build b, StepCall call) throws Exception {
        Object[] argv = call.args();
        return switch (call.name()) {
            case "pause" -> throw new IllegalStateException("pause is internal");
            // the body steps' halves (argument: a map built by HarnessSteps.groovy)
            case "node", "stage", "timeout", "lock", "withCredentials", "withEnv", "dir", "withAWS" ->
                    enter(b, call, map(argv[0]));
            case "node-end", "stage-end", "timeout-end", "lock-end", "withCredentials-end", "withEnv-end", "dir-end",
                 "withAWS-end" -> exit(b, call.name().replace("-end", ""));
            case "declarative" -> { b.record(call, map(argv[0])); yield null; }
            case "env" -> b.environment().get(String.valueOf(argv[0]));
            case "declarative-checkout" -> { declarativeCheckout(b, call); yield null; }
            case "triggered-by" -> b.causes().stream().anyMatch(c -> c.contains(String.valueOf(argv[0])));
            default -> simple(b, call);
        };
    }

    private Object simple(Build b, StepCall call) throws Exception {
        Map<String, Object> a = named(call.args(), positional(call.name()));
        StepSignatures.check(call.name(), a);
        b.record(call, a);
        return switch (call.name()) {
            case "echo" -> { b.log(str(a, "message")); yield null; }
            case "error" -> throw new AbortException(str(a, "message"));
            case "sh" -> sh(b, a);
            case "writeFile" -> {
                Path f = b.cwd("writeFile").resolve(required(a, "file"));
                Files.createDirectories(f.getParent());
                Files.writeString(f, required(a, "text"), StandardCharsets.UTF_8);
                yield null;
            }
            case "readFile" -> {
                Path f = b.cwd("readFile").resolve(required(a, "file"));
                if (!Files.exists(f)) throw new java.nio.file.NoSuchFileException(f.toString());
                yield Files.readString(f, StandardCharsets.UTF_8);
            }
            case "fileExists" -> Files.exists(b.cwd("fileExists").resolve(required(a, "file")));
            case "deleteDir" -> { deleteTree(b.cwd("deleteDir")); yield null; }
            case "isUnix" -> true;
            case "sleep" -> null;
            case "archiveArtifacts" -> { archive(b, a); yield null; }
            case "stash" -> { stash(b, a); yield null; }
            case "unstash" -> { unstash(b, a); yield null; }
            case "libraryResource" -> libraryResource(b, required(a, "resource"));
            case "readJSON" -> readJson(b, a);
            case "input" -> input(b, a);
            case "milestone" -> { milestone(b, a); yield null; }
            case "checkout" -> checkout(b, a);
            case "publishChecks" -> { b.log("Published check " + a.get("name") + ": " + a.get("title")); yield null; }
            case "properties" -> { properties(b, a); yield null; }
            case "unstable" -> {
                b.log("WARNING: " + str(a, "message"));
                if (b.explicitResult() == null || b.explicitResult().equals("SUCCESS")) b.setExplicitResult("UNSTABLE");
                yield null;
            }
            default -> throw new NoSuchMethodError("No such DSL method '" + call.name() + "'");
        };
    }

    private static String positional(String step) {
        return switch (step) {
            case "echo", "error" -> "message";
            case "sh" -> "script";
            case "readFile", "fileExists" -> "file";
            case "archiveArtifacts" -> "artifacts";
            case "stash", "unstash" -> "name";
            case "libraryResource" -> "resource";
            case "input" -> "message";
            case "milestone" -> "ordinal";
            case "properties" -> "properties";
            case "sleep" -> "time";
            case "checkout" -> "scm";
            case "unstable" -> "message";
            default -> "value";
        };
    }

    // ---- sh: a real process, as durable-task runs it (sh -xe script) ----

    private Object sh(Build b, Map<String, Object> a) throws Exception {
        String script = required(a, "script");
        boolean returnStatus = Boolean.TRUE.equals(a.get("returnStatus"));
        boolean returnStdout = Boolean.TRUE.equals(a.get("returnStdout"));
        Path cwd = b.cwd("sh");
        Files.createDirectories(cwd);
        Path dir = b.tmpDir().resolve("durable-" + UUID.randomUUID().toString().substring(0, 8));
        Files.createDirectories(dir);
        Path file = dir.resolve("script.sh");
        Files.writeString(file, script, StandardCharsets.UTF_8);
        ProcessBuilder pb = new ProcessBuilder("sh", "-xe", file.toString()).directory(cwd.toFile());
        pb.environment().clear();
        pb.environment().putAll(b.environment());
        if (!returnStdout) pb.redirectErrorStream(true);
        Process p = pb.start();
        p.getOutputStream().close();
        CompletableFuture<String> stdout = CompletableFuture.supplyAsync(() -> drain(p.getInputStream(), returnStdout ? null : b));
        CompletableFuture<String> stderr = returnStdout
                ? CompletableFuture.supplyAsync(() -> drain(p.getErrorStream(), b)) : CompletableFuture.completedFuture("");
        if (!p.waitFor(SH_LIMIT.toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AbortException("sh ran longer than the harness allows (" + SH_LIMIT + ")");
        }
        String out = stdout.get();
        stderr.get();
        deleteTree(dir);
        int code = p.exitValue();
        if (code != 0 && !returnStatus) throw new AbortException("script returned exit code " + code);
        if (returnStatus) return code;
        return returnStdout ? out : null;
    }

    private static String drain(InputStream in, Build logTo) {
        StringBuilder all = new StringBuilder();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (logTo != null) {
                    synchronized (logTo) { logTo.log(line); }
                } else {
                    all.append(line).append('\n');
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return all.toString();
    }

    // ---- artifacts, resources, JSON ----

    private void archive(Build b, Map<String, Object> a) throws IOException {
        Path ws = b.cwd("archiveArtifacts");
        List<Path> matched = new ArrayList<>();
        for (String pattern : required(a, "artifacts").split(",")) {
            PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + pattern.trim().replace("**/", "{**/,}"));
            try (Stream<Path> files = Files.walk(ws)) {
                files.filter(Files::isRegularFile).filter(f -> m.matches(ws.relativize(f))).forEach(matched::add);
            }
        }
        if (matched.isEmpty()) {
            if (Boolean.TRUE.equals(a.get("allowEmptyArchive"))) {
                b.log("No artifacts found that match the file pattern \"" + a.get("artifacts") + "\"");
                return;
            }
            throw new AbortException("No artifacts found that match the file pattern \"" + a.get("artifacts")
                    + "\". Configuration error?");
        }
        for (Path f : matched) {
            Path to = b.artifactsDir().resolve(ws.relativize(f).toString());
            Files.createDirectories(to.getParent());
            Files.copy(f, to, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * stash: the files of the workspace matching {@code includes} (comma-separated globs), kept with the build under a
     * name, as Jenkins keeps them on the controller for another node of the same build; none matched is an error, as
     * there (unless allowEmpty).
     */
    private void stash(Build b, Map<String, Object> a) throws IOException {
        String name = required(a, "name");
        Path ws = b.cwd("stash");
        Path into = b.artifactsDir().resolveSibling("stashes").resolve(name);
        deleteTree(into);
        List<Path> matched = new ArrayList<>();
        for (String pattern : String.valueOf(a.getOrDefault("includes", "**")).split(",")) {
            PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + pattern.trim().replace("**/", "{**/,}"));
            try (Stream<Path> files = Files.walk(ws)) {
                files.filter(Files::isRegularFile).filter(f -> m.matches(ws.relativize(f))).forEach(matched::add);
            }
        }
        if (matched.isEmpty() && !Boolean.TRUE.equals(a.get("allowEmpty"))) throw new AbortException("No files included in stash ‘" + name + "’");
        for (Path f : matched) {
            Path to = into.resolve(ws.relativize(f).toString());
            Files.createDirectories(to.getParent());
            Files.copy(f, to, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        b.log("Stashed " + matched.size() + " file(s)");
    }

    private void unstash(Build b, Map<String, Object> a) throws IOException {
        String name = required(a, "name");
        Path from = b.artifactsDir().resolveSibling("stashes").resolve(name);
        if (!Files.isDirectory(from)) throw new AbortException("No such saved stash ‘" + name + "’");
        Path ws = b.cwd("unstash");
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Path to = ws.resolve(from.relativize(f).toString());
                Files.createDirectories(to.getParent());
                Files.copy(f, to, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    private Object libraryResource(Build b, String resource) throws IOException {
        Path f = b.jenkins().library().root().resolve("resources").resolve(resource).normalize();
        if (!f.startsWith(b.jenkins().library().root().resolve("resources")) || !Files.isRegularFile(f)) {
            throw new AbortException("No such library resource " + resource + " could be found.");
        }
        return Files.readString(f, StandardCharsets.UTF_8);
    }

    private Object readJson(Build b, Map<String, Object> a) throws IOException {
        String text = a.containsKey("text") ? str(a, "text")
                : Files.readString(b.cwd("readJSON").resolve(required(a, "file")), StandardCharsets.UTF_8);
        return new JsonSlurperClassic().parseText(text);
    }

    // ---- checkout ----

    /**
     * Declarative's automatic checkout on entering an agent: checkout scm, and its variables (GIT_URL, GIT_COMMIT,
     * ...) put in the build's environment. A job without SCM (an inline script) has none.
     */
    private void declarativeCheckout(Build b, StepCall call) throws Exception {
        GitScm scm = b.job().scm();
        if (scm == null) return;
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("scm", scm);
        b.record(new StepCall("checkout", new Object[]{a}), a);
        scm.checkout(b.cwd("checkout"), b).forEach(b::setBuildEnv);
    }

    /** checkout scm: the job's GitScm into the current directory; returns the GIT_* variables (scripted). */
    private Object checkout(Build b, Map<String, Object> a) throws Exception {
        if (!(a.get("scm") instanceof GitScm scm)) {
            throw new IllegalArgumentException("the harness checks out the job's scm only, not " + a.get("scm"));
        }
        return scm.checkout(b.cwd("checkout"), b);
    }

    // ---- input, milestone, properties ----

    private Object input(Build b, Map<String, Object> a) {
        List<Object> parameters = a.get("parameters") instanceof Collection<?> c ? new ArrayList<>(c) : List.of();
        String id = a.containsKey("id") ? str(a, "id") : "Input-" + b.steps("input").size();
        b.setInput(new PendingInput(id, str(a, "message"), str(a, "ok"), str(a, "submitter"),
                str(a, "submitterParameter"), parameters, a));
        b.log("Input requested: " + a.get("message"));
        return WAIT;
    }

    /**
     * The milestone plugin's rules: an older build may not pass a milestone a newer build passed (it is aborted);
     * a build passing a milestone aborts the older builds that passed the previous milestone but not this one.
     */
    private void milestone(Build b, Map<String, Object> a) throws FlowInterruptedException {
        Integer previous = b.lastMilestone();
        int ordinal = a.get("ordinal") instanceof Number n ? n.intValue() : previous == null ? 0 : previous + 1;
        if (previous != null && ordinal <= previous) {
            throw new IllegalArgumentException("Invalid ordinal " + ordinal + ", as the previous one was " + previous);
        }
        Map<Integer, Integer> passed = b.job().milestones();
        Integer newest = passed.get(ordinal);
        if (newest != null && newest > b.number()) {
            throw new FlowInterruptedException("NOT_BUILT", "Superseded by " + b.job().name() + " #" + newest);
        }
        passed.put(ordinal, b.number());
        b.passedMilestone(ordinal);
        for (Build older : b.job().builds()) {
            if (older.number() >= b.number() || older.state() == Build.State.DONE) continue;
            Integer o = older.lastMilestone();
            boolean passedPrevious = previous == null || (o != null && o >= previous);
            if (passedPrevious && (o == null || o < ordinal)) {
                older.interrupt(new FlowInterruptedException("NOT_BUILT", "Superseded by " + b.job().name() + " #" + b.number()));
            }
        }
    }

    /** A symbol and the symbols nested in its arguments (buildDiscarder(logRotator(...)), pipelineTriggers([cron(...)])). */
    private static void checkSymbol(Symbol s) {
        StepSignatures.check(s.name(), s.args());
        for (Object v : s.args().values()) {
            if (v instanceof Symbol inner) checkSymbol(inner);
            if (v instanceof Collection<?> list) for (Object o : list) if (o instanceof Symbol inner) checkSymbol(inner);
        }
    }

    private void properties(Build b, Map<String, Object> a) {
        Object list = a.get("properties");
        if (list instanceof Collection<?> c) {
            for (Object o : c) {
                if (o instanceof Symbol s) checkSymbol(s);
                if (o instanceof Symbol s && s.name().equals("disableConcurrentBuilds")) b.job().disableConcurrentBuilds();
                if (o instanceof Symbol s && !s.name().equals("disableConcurrentBuilds")) b.job().setProperty(s);
            }
        }
    }

    // ---- body steps: begin and end ----

    private Object enter(Build b, StepCall call, Map<String, Object> a) throws Exception {
        String step = call.name();
        Map<String, Object> given = new LinkedHashMap<>(a);
        given.values().removeIf(java.util.Objects::isNull);
        StepSignatures.check(step, given);
        b.record(call, a);
        switch (step) {
            case "node" -> b.frames().push(new Frame.Node(b.jenkins().allocateWorkspace(b.job())));
            case "stage" -> b.frames().push(new Frame.Stage(str(a, "name")));
            case "dir" -> {
                Path d = b.cwd("dir").resolve(required(a, "path")).normalize();
                Files.createDirectories(d);
                b.frames().push(new Frame.Dir(d));
            }
            case "withEnv" -> {
                Map<String, String> vars = new LinkedHashMap<>();
                for (Object o : (Collection<?>) a.get("overrides")) {
                    String[] kv = o.toString().split("=", 2);
                    vars.put(kv[0], kv.length > 1 ? kv[1] : "");
                }
                b.frames().push(new Frame.Env("withEnv", vars, List.of(), List.of()));
            }
            case "timeout" -> {
                long time = ((Number) a.get("time")).longValue();
                TimeUnit unit = TimeUnit.valueOf(a.getOrDefault("unit", "MINUTES").toString());
                b.frames().push(new Frame.Timeout(b.jenkins().now().plus(Duration.ofMillis(unit.toMillis(time)))));
            }
            case "lock" -> {
                String resource = required(a, "resource");
                boolean inverse = Boolean.TRUE.equals(a.get("inversePrecedence"));
                b.log("Trying to acquire lock on [" + resource + "]");
                if (!b.jenkins().acquireLock(resource, b, inverse)) {
                    b.setWaitingForLock(resource);
                    b.log("[" + resource + "] is locked by " + b.jenkins().lockHolder(resource) + ", waiting...");
                    return WAIT;
                }
                b.log("Lock acquired on [" + resource + "]");
                b.frames().push(new Frame.Lock(resource));
            }
            case "withCredentials" -> b.frames().push(bindCredentials(b, (Collection<?>) a.get("bindings")));
            case "withAWS" -> b.frames().push(withAws(b, a));
            default -> throw new IllegalStateException(step);
        }
        return null;
    }

    private Object exit(Build b, String step) throws IOException {
        Frame top = b.frames().peek();
        if (top == null || !top.kind().equals(step)) {
            throw new IllegalStateException("harness: ending " + step + " but the innermost context is " + top);
        }
        b.frames().pop();
        if (top instanceof Frame.Node n) b.jenkins().releaseWorkspace(n.workspace());
        if (top instanceof Frame.Lock l) {
            b.log("Lock released on resource [" + l.resource() + "]");
            b.jenkins().releaseLock(l.resource(), b);
        }
        if (top instanceof Frame.Env e) for (Path f : e.files()) deleteTree(f);
        return null;
    }

    private Frame.Env bindCredentials(Build b, Collection<?> bindings) throws IOException {
        Map<String, String> vars = new LinkedHashMap<>();
        List<String> secrets = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        for (Object binding : bindings) {
            Object o = binding;
            if (o instanceof Map<?, ?> m && "AmazonWebServicesCredentialsBinding".equals(m.get("$class"))) {
                Map<String, Object> named = new LinkedHashMap<>();
                m.forEach((k, v) -> { if (!"$class".equals(k)) named.put(String.valueOf(k), v); });
                o = new Symbol("aws", named);
                StepSignatures.check("aws", named);
            }
            if (!(o instanceof Symbol s)) throw new IllegalArgumentException("not a credentials binding: " + o);
            String id = s.string("credentialsId");
            Credentials.Credential c = credential(b, id);
            switch (s.name()) {
                case "string" -> {
                    if (!(c instanceof Credentials.SecretText t)) throw wrongType(id, "Secret text", c);
                    vars.put(s.string("variable"), t.secret());
                    secrets.add(t.secret());
                }
                case "usernamePassword" -> {
                    if (!(c instanceof Credentials.UsernamePassword u)) throw wrongType(id, "Username with password", c);
                    if (s.string("usernameVariable") != null) vars.put(s.string("usernameVariable"), u.username());
                    vars.put(s.string("passwordVariable"), u.password());
                    secrets.add(u.password());
                }
                case "sshUserPrivateKey" -> {
                    if (!(c instanceof Credentials.SshKey k)) throw wrongType(id, "SSH Username with private key", c);
                    Path dir = b.tmpDir().resolve("secretFiles").resolve(UUID.randomUUID().toString());
                    Files.createDirectories(dir);
                    Path key = dir.resolve("ssh-key-" + s.string("keyFileVariable"));
                    Files.writeString(key, k.privateKey());
                    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
                    files.add(dir);
                    vars.put(s.string("keyFileVariable"), key.toString());
                    if (s.string("passphraseVariable") != null && k.passphrase() != null) {
                        vars.put(s.string("passphraseVariable"), k.passphrase());
                        secrets.add(k.passphrase());
                    }
                    if (s.string("usernameVariable") != null) vars.put(s.string("usernameVariable"), k.username());
                }
                case "aws" -> {
                    if (!(c instanceof Credentials.AwsKeys k)) throw wrongType(id, "AWS Credentials", c);
                    vars.put(s.args().getOrDefault("accessKeyVariable", "AWS_ACCESS_KEY_ID").toString(), k.accessKeyId());
                    vars.put(s.args().getOrDefault("secretKeyVariable", "AWS_SECRET_ACCESS_KEY").toString(), k.secretAccessKey());
                    secrets.add(k.accessKeyId());
                    secrets.add(k.secretAccessKey());
                }
                default -> throw new IllegalArgumentException("the harness has no binding " + s.name());
            }
        }
        b.addSecrets(secrets);
        return new Frame.Env("withCredentials", vars, secrets, files);
    }

    private Frame.Env withAws(Build b, Map<String, Object> a) throws AbortException {
        Map<String, String> vars = new LinkedHashMap<>();
        List<String> secrets = new ArrayList<>();
        if (a.get("credentials") != null) {
            String id = str(a, "credentials");
            if (!(credential(b, id) instanceof Credentials.AwsKeys k)) throw wrongType(id, "AWS Credentials", null);
            vars.put("AWS_ACCESS_KEY_ID", k.accessKeyId());
            vars.put("AWS_SECRET_ACCESS_KEY", k.secretAccessKey());
            secrets.add(k.accessKeyId());
            secrets.add(k.secretAccessKey());
        }
        if (a.get("region") != null) {
            vars.put("AWS_REGION", str(a, "region"));
            vars.put("AWS_DEFAULT_REGION", str(a, "region"));
        }
        if (a.get("profile") != null) vars.put("AWS_PROFILE", str(a, "profile"));
        if (a.get("endpointUrl") != null) vars.put("AWS_ENDPOINT_URL", str(a, "endpointUrl"));
        for (String unsupported : List.of("role", "roleAccount", "iamMfaToken", "federatedUserId")) {
            if (a.get(unsupported) != null) throw new IllegalArgumentException("the harness' withAWS has no " + unsupported);
        }
        b.addSecrets(secrets);
        return new Frame.Env("withAWS", vars, secrets, List.of());
    }

    private static Credentials.Credential credential(Build b, String id) throws AbortException {
        try {
            return b.jenkins().credentials().get(id, null);
        } catch (IllegalArgumentException e) {
            throw new AbortException(e.getMessage());
        }
    }

    private static AbortException wrongType(String id, String expected, Object actual) {
        return new AbortException("Credentials '" + id + "' is of type '" + (actual == null ? "?" : actual.getClass().getSimpleName())
                + "' where '" + expected + "' was expected");
    }

    // ---- arguments ----

    static Map<String, Object> named(Object[] argv, String positionalKey) {
        Map<String, Object> a = new LinkedHashMap<>();
        if (argv.length == 1 && argv[0] instanceof Map<?, ?> m) {
            m.forEach((k, v) -> a.put(String.valueOf(k), v));
        } else if (argv.length == 1) {
            a.put(positionalKey, argv[0] instanceof CharSequence cs ? cs.toString() : argv[0]);
        } else if (argv.length > 1) {
            throw new IllegalArgumentException("expected named arguments, got " + argv.length + " values");
        }
        return a;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        Map<String, Object> a = new LinkedHashMap<>();
        ((Map<Object, Object>) o).forEach((k, v) -> a.put(String.valueOf(k), v));
        return a;
    }

    private static String str(Map<String, Object> a, String key) {
        Object v = a.get(key);
        return v == null ? null : v.toString();
    }

    private static String required(Map<String, Object> a, String key) {
        String v = str(a, key);
        if (v == null) throw new IllegalArgumentException("missing required parameter " + key);
        return v;
    }

    static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) return;
        try (Stream<Path> s = Files.walk(p)) {
            for (Path f : s.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(f);
        }
    }
}

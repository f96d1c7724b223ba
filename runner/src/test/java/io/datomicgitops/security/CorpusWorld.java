package io.datomicgitops.security;

import io.datomicgitops.aws.AwsClients;
import io.datomicgitops.cli.CliRun;
import io.datomicgitops.testing.ConfigRepoFixture;
import io.datomicgitops.testing.GitHttpServer;
import io.datomicgitops.testing.GitSshServer;
import io.datomicgitops.testing.Sandbox;
import io.datomicgitops.testing.TestRepos;
import io.datomicgitops.testing.replay.ReplayServer;
import org.eclipse.jgit.api.Git;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One corpus case's world: the example config repo (with the case's edits) in a bare repository, the runner's clone
 * of it, the environment of the run, and whatever else the case sets up (git servers, a stack in progress, a held
 * lock, IAM enforcement as a given user). Closing it stops what it started.
 */
final class CorpusWorld implements AutoCloseable {
    static final String TX = "stacks/demo/transactor.properties";
    static final String CF = "stacks/demo/cf.properties";
    static final String DEPLOY = "stacks/demo/deploy.properties";
    static final String STACK = "demo-datomic-transactor";
    static final String LICENSE = ConfigRepoFixture.LICENSE;
    /** The token the HTTPS server accepts; the cases send a wrong one, and neither may be printed. */
    static final String TOKEN = "glpat-corpus-right-token-0042";
    static final String WRONG_TOKEN = "glpat-corpus-wrong-token-0666";
    static final String PASSPHRASE = "corpus-ssh-passphrase-7781";
    private static final Set<String> COMMANDS = Set.of("checkout", "plan", "apply", "deploy", "status", "ensure-transactor",
            "ensure-cf", "create-cf-template", "create-cf-stack", "update-stack", "replace-instances", "validate", "force-unlock");
    private static final AtomicInteger USERS = new AtomicInteger();

    final Path tmp;
    final Path bare;
    final Path clone;
    final Sandbox sandbox;
    final Map<String, String> env = new LinkedHashMap<>();
    final Map<String, String> vars = new LinkedHashMap<>();
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private boolean enforced;
    /** Run the command as a process of its own, with exactly {@link #env} (for what the JVM's own environment would mask). */
    boolean subprocess;

    private CorpusWorld(Path tmp, Path bare, Sandbox sandbox) {
        this.tmp = tmp;
        this.bare = bare;
        this.clone = tmp.resolve("clone");
        this.sandbox = sandbox;
    }

    static CorpusWorld create(Path tmp, Sandbox sandbox, Setup setup) throws Exception {
        Map<String, String> files = new LinkedHashMap<>(ConfigRepoFixture.exampleFiles());
        setup.edit(files);
        Path bare = TestRepos.bareWith(tmp.resolve("srv"), "main", files);
        CorpusWorld w = new CorpusWorld(tmp, sandbox, bare);
        w.env.putAll(sandbox.env());
        w.env.put("DATOMIC_LICENSE_KEY", LICENSE);
        w.env.put("GIT_TOKEN_WRONG", WRONG_TOKEN);
        CliRun checkout = CliRun.run(w.env, "checkout", "--repo", bare.toUri().toString(), "--dir", w.clone.toString(),
                "--report", tmp.resolve("setup-checkout.json").toString());
        if (checkout.exitCode() != 0) throw new IllegalStateException("setup checkout failed: " + checkout.err());
        w.vars.put("clone", w.clone.toString());
        w.vars.put("stack", w.clone.resolve("stacks/demo").toString());
        w.vars.put("tx", w.clone.resolve(TX).toString());
        w.vars.put("cf", w.clone.resolve(CF).toString());
        w.vars.put("deploy", w.clone.resolve(DEPLOY).toString());
        w.vars.put("remote", bare.toUri().toString());
        w.vars.put("tmp", tmp.toString());
        setup.after(w);
        return w;
    }

    private CorpusWorld(Path tmp, Sandbox sandbox, Path bare) {
        this(tmp, bare, sandbox);
    }

    /** The command line with its placeholders filled in, and the report (and plan) pointed into the case's folder. */
    List<String> args(String command) {
        String line = command;
        for (var v : vars.entrySet()) line = line.replace("{" + v.getKey() + "}", v.getValue());
        List<String> args = new ArrayList<>(line.isBlank() ? List.of() : List.of(line.trim().split("\\s+")));
        if (!args.isEmpty() && COMMANDS.contains(args.get(0))) {
            args.add("--report");
            args.add(tmp.resolve("report.json").toString());
            if (args.get(0).equals("plan") || args.get(0).equals("deploy")) {
                args.add("--plan-md");
                args.add(tmp.resolve("plan.md").toString());
            }
        }
        return args;
    }

    void write(String relative, String content) throws IOException {
        Path p = tmp.resolve(relative);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content);
    }

    /** Turns IAM enforcement on when the case asked for it; the harness calls it right before the command. */
    void enforcementOn() {
        if (enforced) sandbox.resetAuth("0");
    }

    /** Turns IAM enforcement off again; the harness calls it right after the command. */
    void enforcementOff() {
        if (enforced) sandbox.resetAuth("inf");
        enforced = false;
    }

    @Override
    public void close() throws Exception {
        enforcementOff();
        for (AutoCloseable c : closeables) c.close();
    }

    // ---- setups: one per kind of bad input; each is a function of the repo's files and/or the world

    interface Setup {
        default void edit(Map<String, String> files) {}

        default void after(CorpusWorld w) throws Exception {}

        default Setup and(Setup next) {
            return CorpusWorld.and(this, next);
        }
    }

    interface Action {
        void run(CorpusWorld w) throws Exception;
    }

    static Setup none() {
        return new Setup() {};
    }

    /** Replaces text in one of the example repo's files (the edit must apply). */
    static Setup edit(String path, String from, String to) {
        return new Setup() {
            @Override
            public void edit(Map<String, String> files) {
                String text = files.get(path);
                if (text == null || !text.contains(from)) throw new IllegalStateException(path + " has no '" + from + "'");
                files.put(path, text.replace(from, to));
            }
        };
    }

    static Setup delete(String path) {
        return new Setup() {
            @Override
            public void edit(Map<String, String> files) {
                if (files.remove(path) == null) throw new IllegalStateException("no " + path);
            }
        };
    }

    static Setup file(String path, String content) {
        return new Setup() {
            @Override
            public void edit(Map<String, String> files) {
                files.put(path, content);
            }
        };
    }

    static Setup then(Action action) {
        return new Setup() {
            @Override
            public void after(CorpusWorld w) throws Exception {
                action.run(w);
            }
        };
    }

    static Setup and(Setup... setups) {
        return new Setup() {
            @Override
            public void edit(Map<String, String> files) {
                for (Setup s : setups) s.edit(files);
            }

            @Override
            public void after(CorpusWorld w) throws Exception {
                for (Setup s : setups) s.after(w);
            }
        };
    }

    interface WorkTreeChange {
        void change(CorpusWorld w, Path workTree) throws Exception;
    }

    /**
     * A change someone pushed from a working tree of their own (symbolic links included: git keeps them as links), then
     * taken by the runner's own checkout: the clone holds it committed, as a pull request merged would leave it.
     */
    static Setup pushed(WorkTreeChange change) {
        return then(w -> {
            Path work = w.tmp.resolve("srv/operator");
            try (Git git = Git.cloneRepository().setURI(w.bare.toUri().toString()).setDirectory(work.toFile()).call()) {
                change.change(w, work);
                git.add().addFilepattern(".").call();
                git.add().setUpdate(true).addFilepattern(".").call();
                git.commit().setMessage("a change of the corpus").setAuthor(TestRepos.OPERATOR).setCommitter(TestRepos.OPERATOR)
                        .setSign(false).call();
                git.push().call();
            }
            CliRun checkout = CliRun.run(w.env, "checkout", "--repo", w.bare.toUri().toString(), "--dir", w.clone.toString(),
                    "--report", w.tmp.resolve("srv/checkout.json").toString());
            if (checkout.exitCode() != 0) throw new IllegalStateException("checkout of the pushed change failed: " + checkout.err());
        });
    }

    /**
     * The example as it is, deployed by a real apply in the sandbox (its names pushed, the stack running the example's
     * datomic-version); the sandbox forgets it all again after the case, so no later case meets its stack.
     */
    static Setup deployed() {
        return then(w -> {
            CliRun apply = CliRun.run(w.env, "apply", "--dir", w.clone.toString(), "--report", w.tmp.resolve("srv/apply.json").toString());
            if (apply.exitCode() != 0) throw new IllegalStateException("setup apply failed: " + apply.err());
            w.closeables.add(w.sandbox::reset);
        });
    }

    /** A committed symbolic link at {@code path} in place of the file or folder there, to {target} under the case's folder. */
    static Setup symlinked(String path, String target) {
        return pushed((w, work) -> {
            Path link = work.resolve(path);
            Path outside = w.tmp.resolve(target);
            if (Files.isDirectory(link)) {
                copyTree(link, outside);
                deleteTree(link);
            } else if (Files.exists(link)) {
                Files.createDirectories(outside.getParent());
                Files.copy(link, outside);
                Files.delete(link);
            } else {
                copyTree(work.resolve("stacks/demo"), outside);
            }
            Files.createSymbolicLink(link, outside);
        });
    }

    /** A line of a file replaced in a pushed change, with {tmp} and {clone} filled in. */
    static Setup pushedEdit(String path, String from, String to) {
        return pushed((w, work) -> {
            Path p = work.resolve(path);
            String text = Files.readString(p);
            if (!text.contains(from)) throw new IllegalStateException(path + " has no '" + from + "'");
            String filled = to.replace("{tmp}", w.tmp.toString()).replace("{clone}", w.clone.toString());
            Files.writeString(p, text.replace(from, filled));
        });
    }

    /** A FIFO at {tmp}/relative: reading it would block until someone writes to it. */
    static Setup fifo(String relative) {
        return then(w -> {
            Path p = w.tmp.resolve(relative);
            Files.createDirectories(p.getParent());
            if (new ProcessBuilder("mkfifo", p.toString()).start().waitFor() != 0) throw new IllegalStateException("mkfifo failed");
        });
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (var walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(target);
                else Files.copy(p, target);
            }
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }

    /** A saved plan ({tmp}/old.plan.json) approved at a commit the clone does not have. */
    static Setup savedPlanOfAnotherCommit() {
        return then(w -> w.write("old.plan.json", "{\"schemaVersion\": 1, \"head\": \"" + "0123456789".repeat(4)
                + "\", \"stacks\": {}}\n"));
    }

    /** A committed cf.json (a small template of the project's tests) for update-stack. */
    static Setup template() {
        return file("stacks/demo/cf.json", resource("/stack/transactor-group.json"));
    }

    /** The generated names in transactor.properties, as a first apply leaves them. */
    static Setup deployedNames() {
        return edit(TX, "# aws-transactor-role=\n", "# aws-transactor-role=\naws-transactor-role=datomic-aws-transactor\n")
                .and(edit(TX, "# aws-peer-role=\n", "# aws-peer-role=\naws-peer-role=datomic-aws-peer\n"));
    }

    /** The stack exists and an operation is running on it (the sandbox keeps a stack whose creation errored in CREATE_IN_PROGRESS). */
    static Setup stackInProgress() {
        return then(w -> {
            String broken = "{\"Resources\": {\"G\": {\"Type\": \"AWS::AutoScaling::AutoScalingGroup\", \"Properties\": "
                    + "{\"AvailabilityZones\": [\"us-east-1a\"], \"LaunchConfigurationName\": \"does-not-exist\", \"MinSize\": \"1\", \"MaxSize\": \"1\"}}}}";
            try (AwsClients aws = w.sandbox.clients()) {
                if (aws.cloudFormation(null).listStacks().stackSummaries().stream().noneMatch(s -> s.stackName().equals(STACK)
                        && s.stackStatusAsString().equals("CREATE_IN_PROGRESS"))) {
                    try {
                        aws.cloudFormation(null).createStack(r -> r.stackName(STACK).templateBody(broken));
                    } catch (SdkException expected) {
                        // the sandbox answers 500 and keeps the stack
                    }
                }
                String status = aws.cloudFormation(null).describeStacks(r -> r.stackName(STACK)).stacks().get(0).stackStatusAsString();
                if (!status.equals("CREATE_IN_PROGRESS")) throw new IllegalStateException("stack is " + status);
            }
            w.closeables.add(() -> {
                try (AwsClients aws = w.sandbox.clients()) {
                    aws.cloudFormation(null).deleteStack(r -> r.stackName(STACK));
                }
            });
        });
    }

    /** Another deployment, on another machine, holds the stack's lock (lease valid for an hour). */
    static Setup lockHeld() {
        return then(w -> {
            try (AwsClients aws = w.sandbox.clients()) {
                var ddb = aws.dynamoDb(null);
                if (!ddb.listTables().tableNames().contains("datomic-gitops-locks")) {
                    ddb.createTable(r -> r.tableName("datomic-gitops-locks").billingMode(BillingMode.PAY_PER_REQUEST)
                            .keySchema(k -> k.attributeName("LockID").keyType("HASH"))
                            .attributeDefinitions(a -> a.attributeName("LockID").attributeType("S")));
                }
                long now = Instant.now().getEpochSecond();
                ddb.putItem(r -> r.tableName("datomic-gitops-locks").item(Map.of(
                        "LockID", s(STACK), "LockOwner", s("corpus-lock-0001"), "Who", s("bob"),
                        "Where", s("https://ci.example/job/9/"), "Host", s("build-agent-7"), "Pid", n(4242),
                        "Acquired", n(now), "Expires", n(now + 3600))));
            }
            w.closeables.add(() -> {
                try (AwsClients aws = w.sandbox.clients()) {
                    aws.dynamoDb(null).deleteTable(r -> r.tableName("datomic-gitops-locks"));
                }
            });
        });
    }

    /** The HTTPS git server (accepting {@link #TOKEN} only) serving the bare repo as {http}. */
    static Setup httpServer() {
        return then(w -> {
            GitHttpServer server = GitHttpServer.start(w.bare.getParent(), TOKEN);
            w.closeables.add(server);
            w.vars.put("http", server.url(w.bare));
        });
    }

    /**
     * The SSH git server serving the bare repo as {ssh}, authorizing the key {tmp}/id_ed25519 (with the passphrase
     * when one is given); known_hosts in {tmp} trusts the server or is empty.
     */
    static Setup sshServer(boolean trusted, String passphrase) {
        return then(w -> {
            Path key = w.tmp.resolve("id_ed25519");
            GitSshServer.keygen(key, passphrase);
            GitSshServer server = GitSshServer.start(w.bare.getParent(), Path.of(key + ".pub"), w.tmp.resolve("host-key"));
            w.closeables.add(server);
            String line = server.knownHostsLine(); // also writes the host key file now, not during the case
            w.write("known_hosts", trusted ? line + "\n" : "");
            w.vars.put("ssh", server.url(w.bare));
        });
    }

    /** A second key pair, {tmp}/other_ed25519, that the server does not authorize. */
    static Setup otherSshKey() {
        return then(w -> GitSshServer.keygen(w.tmp.resolve("other_ed25519"), null));
    }

    /** A commit in the clone that the remote does not have. */
    static Setup localCommit() {
        return then(w -> {
            try (Git git = Git.open(w.clone.toFile())) {
                TestRepos.commitFiles(git, Map.of("README.md", "local notes\n"), "local work, not pushed");
            }
        });
    }

    /** The tool's committer: anyone may write it into a commit, as anyone may write a Phase: trailer. */
    static final org.eclipse.jgit.lib.PersonIdent TOOL = new org.eclipse.jgit.lib.PersonIdent("datomic-gitops", "datomic-gitops@localhost");
    /** A person's change to transactor.properties dressed up as the tool's: its committer, its subject, its trailers. */
    static final String FORGED = "ensure-transactor(demo): write aws-transactor-role\n\nPhase: ensure-transactor\nStack: demo\n";

    /** Commits a bigger memory index in the clone at {@code dir}, as {@link #FORGED}. */
    private static void forgedCommit(Path dir) throws Exception {
        try (Git git = Git.open(dir.toFile())) {
            Path tx = dir.resolve(TX);
            Files.writeString(tx, Files.readString(tx).replace("memory-index-max=512m", "memory-index-max=4g"));
            git.add().addFilepattern(TX).call();
            git.commit().setMessage(FORGED).setAuthor(TOOL).setCommitter(TOOL).setSign(false).call();
        }
    }

    /** The commit {@link #FORGED} in the clone, not pushed: a recovery would push it as a killed run's. */
    static Setup forgedLocalCommit() {
        return then(w -> forgedCommit(w.clone));
    }

    /**
     * A plan approved and saved ({tmp}/approved.plan.json); then someone pushes {@link #FORGED}, and the clone is
     * checked out at it: to the saved plan's check, the commits since the approved one look like the tool's.
     */
    static Setup forgedCommitAfterTheApprovedPlan() {
        return then(w -> {
            CliRun plan = CliRun.run(w.env, "plan", "--dir", w.clone.toString(), "--out", w.tmp.resolve("approved.plan.json").toString(),
                    "--report", w.tmp.resolve("setup-plan.json").toString(), "--plan-md", w.tmp.resolve("setup-plan.md").toString());
            if (plan.exitCode() != 2) throw new IllegalStateException("setup plan failed: " + plan.err());
            Path forger = w.tmp.resolve("forger");
            try (Git git = Git.cloneRepository().setURI(w.bare.toUri().toString()).setDirectory(forger.toFile()).call()) {
                forgedCommit(forger);
                git.push().call();
            }
            CliRun checkout = CliRun.run(w.env, "checkout", "--repo", w.bare.toUri().toString(), "--dir", w.clone.toString(),
                    "--report", w.tmp.resolve("setup-checkout-2.json").toString());
            if (checkout.exitCode() != 0) throw new IllegalStateException("setup checkout failed: " + checkout.err());
        });
    }

    /**
     * The team purged a pushed commit (a plain-text key) from main with a force-push; the clone still holds it, and
     * its remote-tracking branch remembers that the remote had it.
     */
    static Setup commitTheRemoteDropped() {
        return then(w -> {
            try (Git git = Git.open(w.clone.toFile())) {
                var before = git.getRepository().resolve("HEAD");
                TestRepos.commitFiles(git, Map.of("README.md", "license-key=corpus-plain-text-key\n"), "notes (with a key, by mistake)");
                git.push().call();
                try (Git remote = Git.open(w.bare.toFile())) {
                    var purge = remote.getRepository().updateRef("refs/heads/main");
                    purge.setNewObjectId(before);
                    purge.setForceUpdate(true);
                    purge.update();
                }
            }
        });
    }

    /** An edit in a stack folder, not committed. */
    static Setup uncommittedEdit() {
        return then(w -> {
            Path cf = w.clone.resolve(CF);
            Files.writeString(cf, Files.readString(cf).replace("m5.large", "m5.xlarge"));
        });
    }

    /**
     * No credentials anywhere: no keys, no profile, no ~/.aws, no instance role. The SDK's default chain reads the
     * process environment, so this case runs the runner as a process of its own with exactly this environment.
     */
    static Setup noCredentials() {
        return then(w -> {
            w.env.remove("AWS_ACCESS_KEY_ID");
            w.env.remove("AWS_SECRET_ACCESS_KEY");
            w.env.put("HOME", Files.createDirectories(w.tmp.resolve("home")).toString());
            w.env.put("AWS_EC2_METADATA_DISABLED", "true");
            w.subprocess = true;
        });
    }

    /** AWS answered by recorded responses replayed on loopback (what the sandbox cannot answer as AWS does). */
    static Setup replayed(String recording) {
        return then(w -> {
            ReplayServer server = ReplayServer.start().load(recording);
            w.closeables.add(server);
            w.env.put("AWS_ENDPOINT_URL", server.endpoint().toString());
        });
    }

    /** IAM enforcement on, the runner a real IAM user of the account that holds no policy. */
    static Setup enforcedAsUserWithoutPolicy() {
        return then(w -> {
            var key = w.newUser();
            w.enforceAs(key.accessKeyId(), key.secretAccessKey());
        });
    }

    private software.amazon.awssdk.services.iam.model.AccessKey newUser() {
        String name = "corpus-user-" + USERS.incrementAndGet();
        try (AwsClients aws = sandbox.clients()) {
            aws.iam().createUser(r -> r.userName(name));
            return aws.iam().createAccessKey(r -> r.userName(name)).accessKey();
        }
    }

    private void enforceAs(String accessKeyId, String secret) {
        env.put("AWS_ACCESS_KEY_ID", accessKeyId);
        env.put("AWS_SECRET_ACCESS_KEY", secret);
        enforced = true;
    }

    private static AttributeValue s(String v) {
        return AttributeValue.builder().s(v).build();
    }

    private static AttributeValue n(long v) {
        return AttributeValue.builder().n(Long.toString(v)).build();
    }

    static String resource(String name) {
        try (InputStream in = CorpusWorld.class.getResourceAsStream(name)) {
            if (in == null) throw new IllegalStateException("no resource " + name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}

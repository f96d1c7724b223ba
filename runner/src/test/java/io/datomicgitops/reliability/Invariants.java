package io.datomicgitops.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import io.datomicgitops.aws.AwsClients;
import io.datomicgitops.config.PropertiesFile;
import io.datomicgitops.lock.StackLock;
import io.datomicgitops.report.Json;
import io.datomicgitops.report.Log;
import io.datomicgitops.testing.ConfigRepoFixture;
import io.datomicgitops.testing.Sandbox;
import io.datomicgitops.testing.SandboxAccount;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.ObjectWalk;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevObject;
import org.eclipse.jgit.revwalk.RevTag;
import org.eclipse.jgit.revwalk.RevWalk;
import software.amazon.awssdk.services.cloudformation.model.StackStatus;
import software.amazon.awssdk.services.iam.model.Tag;
import software.amazon.awssdk.services.s3.model.S3Exception;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * What must hold after any faulted or killed apply followed by one clean re-run, read from the sandbox account and
 * the remote repo: exactly one of each resource (counted by the tool's tags), the remote files naming exactly those
 * resources, the stack settled in a *_COMPLETE state, the lock released, a linear remote history that still holds
 * every earlier commit and tag, property files whole, and the license key nowhere: not in any output, report, commit,
 * tag or file of the history.
 */
final class Invariants {
    static final String TX = "stacks/demo/transactor.properties";
    static final String CF = "stacks/demo/cf.properties";
    static final String DEPLOY = "stacks/demo/deploy.properties";
    static final String TEMPLATE = "stacks/demo/cf.json";
    static final String RECORD = "stacks/demo/deployment.json";
    static final String STACK = "demo-datomic-transactor";
    private static final String TOOL = "datomic-gitops:tool";
    private static final String SYSTEM = "datomic-gitops:system";
    private static final String KEY = "datomic-gitops:key";

    /** What one check found; the counts are the figures of the report table. */
    static final class Findings {
        final List<String> violations = new ArrayList<>();
        int duplicates;
        int namesLost;
        int secretsLeaked;

        void duplicate(String what) {
            duplicates++;
            violations.add("duplicate: " + what);
        }

        void lost(String what) {
            namesLost++;
            violations.add("name lost: " + what);
        }

        void leaked(String where) {
            secretsLeaked++;
            violations.add("license key leaked: " + where);
        }

        void violation(String what) {
            violations.add(what);
        }

        boolean ok() {
            return violations.isEmpty();
        }

        @Override
        public String toString() {
            return String.join("\n", violations);
        }
    }

    /** The remote's commits and tags at one moment: a later state must still contain them all. */
    record History(Set<String> commits, Map<String, String> tags) {
        static History of(Path bare) {
            try (Git git = Git.open(bare.toFile())) {
                Repository repo = git.getRepository();
                Set<String> commits = new LinkedHashSet<>();
                ObjectId main = repo.resolve("refs/heads/main");
                if (main != null) git.log().add(main).call().forEach(c -> commits.add(c.name()));
                Map<String, String> tags = new TreeMap<>();
                for (Ref r : repo.getRefDatabase().getRefsByPrefix(Constants.R_TAGS)) tags.put(r.getName(), r.getObjectId().name());
                return new History(commits, tags);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** The keys each file must declare: the example's own plus those the apply generates. */
    record Expected(Set<String> txKeys, Set<String> cfKeys, boolean logBucket) {
        static Expected of(String txText, String cfText) {
            Set<String> tx = new LinkedHashSet<>(PropertiesFile.parse("transactor.properties", txText).keys());
            tx.add("aws-transactor-role");
            tx.add("aws-peer-role");
            Set<String> cf = new LinkedHashSet<>(PropertiesFile.parse("cf.properties", cfText).keys());
            cf.add("java-xmx");
            cf.add("java-opts");
            return new Expected(tx, cf, tx.contains("aws-s3-log-bucket-id"));
        }
    }

    private final SandboxAccount account;
    private final ConfigRepoFixture repo;

    Invariants(SandboxAccount account, ConfigRepoFixture repo) {
        this.account = account;
        this.repo = repo;
    }

    /**
     * Checks everything. {@code outputs}: the stdout/stderr of every run; {@code reports}: their report files;
     * {@code before}: the remote history before the runs.
     */
    Findings check(Expected expected, History before, List<String> outputs, List<Path> reports) {
        Findings f = new Findings();
        PropertiesFile tx = remoteProperties(TX, expected.txKeys(), f);
        PropertiesFile cf = remoteProperties(CF, expected.cfKeys(), f);
        try (AwsClients aws = account.clients()) {
            checkResources(aws, tx, cf, expected, f);
            checkStack(aws, f);
            checkInstances(aws, cf, f);
            StackLock lock = new StackLock(aws, Sandbox.REGION, "datomic-gitops-locks", Log.NONE, Clock.systemUTC());
            lock.holder(STACK).ifPresent(h -> f.violation("the lock on " + STACK + " is still held by " + h.who() + " (lock id " + h.lockId() + ")"));
        }
        checkHistory(before, f);
        checkSecrets(outputs, reports, f);
        return f;
    }

    private PropertiesFile remoteProperties(String path, Set<String> keys, Findings f) {
        String text = repo.remoteFile(path);
        if (text == null) {
            f.violation(path + " is missing from the remote");
            return PropertiesFile.parse(path, "");
        }
        PropertiesFile file = PropertiesFile.parse(path, text);
        if (!new LinkedHashSet<>(file.keys()).equals(keys)) {
            f.violation(path + " declares " + file.keys() + ", expected " + keys + " (truncated or mangled?)");
        }
        if (!text.endsWith("\n")) f.violation(path + " does not end with a newline (truncated?)");
        return file;
    }

    private void checkResources(AwsClients aws, PropertiesFile tx, PropertiesFile cf, Expected expected, Findings f) {
        // roles, by tag; any other role is one too many (the sandbox is reset before each run)
        Map<String, List<String>> roles = new TreeMap<>();
        for (var role : aws.iam().listRolesPaginator().roles()) {
            Map<String, String> tags = new LinkedHashMap<>();
            for (Tag t : aws.iam().listRoleTagsPaginator(r -> r.roleName(role.roleName())).tags()) tags.put(t.key(), t.value());
            roles.computeIfAbsent(ours(tags) ? tags.get(KEY) : "(untagged)", k -> new ArrayList<>()).add(role.roleName());
        }
        expectOne(f, "IAM role", "aws-transactor-role", roles, tx);
        expectOne(f, "IAM role", "aws-peer-role", roles, tx);
        extra(f, "IAM role", roles, Set.of("aws-transactor-role", "aws-peer-role"));

        // an instance profile per role, of the role's name, holding it
        Map<String, List<String>> profiles = new TreeMap<>();
        for (var p : aws.iam().listInstanceProfilesPaginator().instanceProfiles()) {
            profiles.put(p.instanceProfileName(), p.roles().stream().map(r -> r.roleName()).toList());
        }
        for (String key : List.of("aws-transactor-role", "aws-peer-role")) {
            tx.get(key).ifPresent(role -> {
                List<String> held = profiles.remove(role);
                if (held == null) f.violation("no instance profile " + role);
                else if (!held.equals(List.of(role))) f.violation("instance profile " + role + " holds " + held);
            });
        }
        profiles.keySet().forEach(p -> f.duplicate("instance profile " + p));

        Map<String, List<String>> tables = new TreeMap<>();
        for (String t : aws.dynamoDb(null).listTablesPaginator().tableNames()) {
            if (t.equals("datomic-gitops-locks")) continue;
            String arn = aws.dynamoDb(null).describeTable(r -> r.tableName(t)).table().tableArn();
            Map<String, String> tags = new LinkedHashMap<>();
            aws.dynamoDb(null).listTagsOfResource(r -> r.resourceArn(arn)).tags().forEach(tag -> tags.put(tag.key(), tag.value()));
            tables.computeIfAbsent(ours(tags) ? tags.get(KEY) : "(untagged)", k -> new ArrayList<>()).add(t);
        }
        expectOne(f, "DynamoDB table", "aws-dynamodb-table", tables, tx);
        extra(f, "DynamoDB table", tables, Set.of("aws-dynamodb-table"));

        Map<String, List<String>> groups = new TreeMap<>();
        for (var g : aws.ec2(null).describeSecurityGroupsPaginator().securityGroups()) {
            if (g.groupName().equals("default")) continue;
            Map<String, String> tags = new LinkedHashMap<>();
            g.tags().forEach(t -> tags.put(t.key(), t.value()));
            groups.computeIfAbsent(ours(tags) ? tags.get(KEY) : "(untagged)", k -> new ArrayList<>()).add(g.groupName());
        }
        expectOne(f, "security group", "aws-security-group", groups, cf);
        extra(f, "security group", groups, Set.of("aws-security-group"));

        Map<String, List<String>> buckets = new TreeMap<>();
        for (var b : aws.s3(null).listBuckets().buckets()) {
            Map<String, String> tags = new LinkedHashMap<>();
            try {
                aws.s3(null).getBucketTagging(r -> r.bucket(b.name())).tagSet().forEach(t -> tags.put(t.key(), t.value()));
            } catch (S3Exception e) {
                // no tags
            }
            if (!ours(tags) && !b.name().startsWith("datomic-logs-")) continue; // the templates bucket and the like
            buckets.computeIfAbsent(ours(tags) ? tags.get(KEY) : "(untagged)", k -> new ArrayList<>()).add(b.name());
        }
        if (expected.logBucket()) expectOne(f, "S3 bucket", "aws-s3-log-bucket-id", buckets, tx);
        extra(f, "S3 bucket", buckets, expected.logBucket() ? Set.of("aws-s3-log-bucket-id") : Set.of());
    }

    private static boolean ours(Map<String, String> tags) {
        return "datomic-gitops".equals(tags.get(TOOL)) && STACK.equals(tags.get(SYSTEM)) && tags.get(KEY) != null;
    }

    /** Exactly one resource tagged for the key, and the file names it. */
    private static void expectOne(Findings f, String kind, String key, Map<String, List<String>> byKey, PropertiesFile file) {
        List<String> found = byKey.getOrDefault(key, List.of());
        if (found.size() > 1) found.subList(1, found.size()).forEach(n -> f.duplicate(kind + " " + n + " (also tagged " + key + ": " + found + ")"));
        if (found.isEmpty()) f.violation("no " + kind + " tagged " + key);
        String named = file.get(key).orElse(null);
        if (!found.isEmpty() && !found.contains(named)) f.lost(kind + " " + found + " tagged " + key + ", but " + file.name() + " says " + named);
    }

    private static void extra(Findings f, String kind, Map<String, List<String>> byKey, Set<String> allowed) {
        byKey.forEach((k, names) -> {
            if (!allowed.contains(k)) names.forEach(n -> f.duplicate(kind + " " + n + " (" + k + ")"));
        });
    }

    private void checkStack(AwsClients aws, Findings f) {
        var stacks = aws.cloudFormation(null).listStacks().stackSummaries().stream()
                .filter(s -> s.stackStatus() != StackStatus.DELETE_COMPLETE).toList();
        if (stacks.size() != 1) f.violation("stacks: " + stacks.stream().map(s -> s.stackName() + " " + s.stackStatusAsString()).toList());
        for (var s : stacks) {
            String status = s.stackStatusAsString();
            if (!status.endsWith("_COMPLETE") || status.contains("ROLLBACK")) f.violation("stack " + s.stackName() + " is " + status);
        }
        String record = repo.remoteFile(RECORD);
        if (record == null) {
            f.violation("no deployment record in the remote");
        } else {
            try {
                JsonNode r = Json.mapper().readTree(record);
                if (!r.path("status").asText().endsWith("_COMPLETE")) f.violation("deployment record status " + r.path("status"));
            } catch (IOException e) {
                f.violation("deployment.json does not parse: " + e.getMessage());
            }
        }
        String template = repo.remoteFile(TEMPLATE);
        try {
            if (template == null || !Json.mapper().readTree(template).has("Resources")) f.violation("cf.json has no Resources");
        } catch (IOException e) {
            f.violation("cf.json does not parse: " + e.getMessage());
        }
    }

    /** What AWS runs is what git says: every running instance is of the file's instance type (replaced after a change). */
    private static void checkInstances(AwsClients aws, PropertiesFile cf, Findings f) {
        String type = cf.get("aws-instance-type").orElse(null);
        if (type == null) return;
        int running = 0;
        for (var r : aws.ec2(null).describeInstancesPaginator(b -> b.filters(x -> x.name("instance-state-name").values("pending", "running")))
                .reservations()) {
            for (var i : r.instances()) {
                running++;
                if (!type.equals(i.instanceTypeAsString())) {
                    f.violation("instance " + i.instanceId() + " runs " + i.instanceTypeAsString() + ", but " + CF + " says " + type + " (not replaced?)");
                }
            }
        }
        if (running == 0) f.violation("no transactor instance runs");
    }

    private void checkHistory(History before, Findings f) {
        try (Git git = Git.open(repo.bare.toFile()); RevWalk walk = new RevWalk(git.getRepository())) {
            Repository r = git.getRepository();
            RevCommit main = walk.parseCommit(r.resolve("refs/heads/main"));
            for (String id : before.commits()) {
                if (!walk.isMergedInto(walk.parseCommit(ObjectId.fromString(id)), main)) f.violation("commit " + id + " is no longer in main (force push?)");
            }
            for (RevCommit c : git.log().add(main).call()) {
                if (c.getParentCount() > 1) f.violation("merge commit " + c.name() + " in main: history is not linear");
            }
            History now = History.of(repo.bare);
            before.tags().forEach((tag, id) -> {
                if (!id.equals(now.tags().get(tag))) f.violation("tag " + tag + " moved or vanished");
            });
        } catch (Exception e) {
            f.violation("cannot read the remote history: " + e);
        }
    }

    private void checkSecrets(List<String> outputs, List<Path> reports, Findings f) {
        String license = DemoRepo.SECRET;
        for (int i = 0; i < outputs.size(); i++) if (outputs.get(i).contains(license)) f.leaked("output of run " + (i + 1));
        for (Path p : reports) {
            try {
                if (Files.exists(p) && Files.readString(p).contains(license)) f.leaked("report " + p.getFileName());
            } catch (IOException e) {
                f.violation("cannot read report " + p + ": " + e.getMessage());
            }
        }
        leaksInRepository(repo.bare, "remote", f);
        if (Files.isDirectory(repo.clone.resolve(".git"))) {
            leaksInRepository(repo.clone, "clone", f);
            try (Stream<Path> files = Files.walk(repo.clone)) {
                for (Path p : files.filter(Files::isRegularFile).toList()) {
                    if (Files.readString(p, StandardCharsets.ISO_8859_1).contains(license)) f.leaked("clone file " + repo.clone.relativize(p));
                }
            } catch (IOException e) {
                f.violation("cannot scan the clone: " + e.getMessage());
            }
        }
    }

    /** Every object reachable from any ref (commits with their messages, annotated tags, trees, file contents). */
    static void leaksInRepository(Path dir, String label, Findings f) {
        String license = DemoRepo.SECRET;
        try (Git git = Git.open(dir.toFile()); ObjectWalk walk = new ObjectWalk(git.getRepository())) {
            Repository r = git.getRepository();
            walk.setRetainBody(true);
            for (Ref ref : r.getRefDatabase().getRefs()) {
                RevObject o = walk.parseAny(ref.getObjectId());
                while (o instanceof RevTag tag) {
                    walk.parseBody(tag);
                    if (tag.getFullMessage().contains(license)) f.leaked(label + " tag " + tag.getTagName());
                    o = walk.peel(tag);
                }
                walk.markStart(o);
            }
            RevCommit c;
            while ((c = walk.next()) != null) {
                if (c.getFullMessage().contains(license)) f.leaked(label + " commit message " + c.name());
            }
            RevObject o;
            while ((o = walk.nextObject()) != null) {
                if (o.getType() != Constants.OBJ_BLOB) continue;
                byte[] bytes = r.open(o).getCachedBytes(Integer.MAX_VALUE);
                if (new String(bytes, StandardCharsets.ISO_8859_1).contains(license)) f.leaked(label + " file " + walk.getPathString() + " in " + o.name());
            }
        } catch (IOException e) {
            f.violation("cannot scan " + label + " repository: " + e.getMessage());
        }
    }
}

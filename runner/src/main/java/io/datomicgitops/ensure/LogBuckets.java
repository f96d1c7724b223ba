package io.datomicgitops.ensure;

import io.datomicgitops.ExitCode;
import io.datomicgitops.ToolException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Bucket;
import software.amazon.awssdk.services.s3.model.BucketAlreadyExistsException;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.Tag;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The transactor's S3 log bucket, only when the file declares {@code aws-s3-log-bucket-id} (a blank value asks for
 * a generated name, {@code datomic-logs-<uuid>}). Created in the transactor's region (with the location constraint
 * Datomic forgets outside us-east-1) and tagged; an existing bucket is left alone, except for the protections asked
 * for that it lacks ({@link BucketProtections}).
 */
final class LogBuckets {
    static final String KEY = "aws-s3-log-bucket-id";
    static final String PREFIX = "datomic-logs-";

    private final EnsureContext ctx;
    private final BucketProtections protections;

    LogBuckets(EnsureContext ctx) {
        this.ctx = ctx;
        this.protections = new BucketProtections(ctx);
    }

    /**
     * Datomic's form of a generated name, {@code datomic-logs-<uuid>}, with the UUID derived from the account, region and
     * system instead of drawn at random: every plan of the same change shows the name apply will create, and a saved
     * plan can hold apply to it. S3 names are global; the account in the hash keeps two accounts' systems apart.
     */
    static String generate(String account, String region, String system) {
        return PREFIX + UUID.nameUUIDFromBytes((account + "/" + region + "/" + system).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    enum State { MISSING, OURS_OR_OWNED, FOREIGN }

    /** HeadBucket: 404 missing; 403 someone else's; 301 ours in another region. */
    State state(String region, String bucket) {
        try {
            ctx.aws.s3(region).headBucket(r -> r.bucket(bucket));
            return State.OURS_OR_OWNED;
        } catch (NoSuchBucketException e) {
            return State.MISSING;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) return State.MISSING;
            if (e.statusCode() == 301) return State.OURS_OR_OWNED;
            if (e.statusCode() == 403) return State.FOREIGN;
            throw e;
        }
    }

    Step ensure(String region, Name name, String where) {
        String bucket = name.value();
        State state = state(region, bucket);
        if (state == State.FOREIGN) {
            // AWS answers 403, not 404, both for another account's bucket and to a caller without s3:ListBucket
            throw new ToolException(ExitCode.AWS_ACCESS, "S3 HeadBucket answered 403 for " + bucket + ": the bucket is another "
                    + "account's (bucket names are global), or this runner may not list it", where,
                    "allow s3:ListBucket in the runner's IAM policy (see resources/iam-policy.json) on arn:aws:s3:::" + bucket
                            + "; if the bucket is another account's, choose another aws-s3-log-bucket-id or leave it blank to have a name generated");
        }
        if (state == State.OURS_OR_OWNED) {
            PendingProtections missing = protections.missing(region, bucket);
            if (isGenerated(bucket) && tagsOnce(region, bucket).isEmpty()) {
                // a name this tool generated and committed before creating the bucket: a run died before tagging it
                // (and before protecting it)
                List<String> calls = new ArrayList<>(List.of("S3:PutBucketTagging"));
                calls.addAll(missing.calls);
                return Step.of(ResourceChange.of(ResourceChange.Kind.S3_BUCKET, bucket, ResourceChange.Action.UPDATE, KEY,
                        calls, "tag it: the run that created it stopped before tagging it").withDifferences(missing.differences), () -> {
                    tag(region, bucket);
                    missing.run();
                });
            }
            if (missing.isEmpty()) {
                return Step.report(ResourceChange.of(ResourceChange.Kind.S3_BUCKET, bucket, name.existingAction(), KEY, List.of(),
                        name.note())).writes(name);
            }
            ResourceChange.Action action = name.found() ? ResourceChange.Action.RECOVERED : ResourceChange.Action.UPDATE;
            String note = (name.note() == null ? "" : name.note() + "; ") + "turn on its protections";
            return Step.of(ResourceChange.of(ResourceChange.Kind.S3_BUCKET, bucket, action, KEY, missing.calls, note)
                    .withDifferences(missing.differences), missing::run).writes(name);
        }
        PendingProtections after = protections.afterCreate(region, bucket);
        List<String> calls = new ArrayList<>(List.of("S3:CreateBucket", "S3:PutBucketTagging"));
        calls.addAll(after.calls);
        ResourceChange change = ResourceChange.of(ResourceChange.Kind.S3_BUCKET, bucket, ResourceChange.Action.CREATE, KEY, calls,
                "in " + region + (name.source() == Name.Source.GENERATED ? "; generated name (the same at apply)" : ""))
                .withDifferences(after.differences);
        // S3 tags a bucket in a second call: the generated name is committed first, so a bucket left untagged by a
        // run that died between the two calls is still named in git, and tagged (and protected) by the next run
        Step step = Step.of(change, () -> {
            create(region, bucket);
            after.run();
        });
        return name.source() == Name.Source.GENERATED ? step.writesFirst(name) : step.writes(name);
    }

    /** A name of the form this tool generates ({@code datomic-logs-<uuid>}): no one else picks it. */
    static boolean isGenerated(String bucket) {
        return bucket.matches(java.util.regex.Pattern.quote(PREFIX) + "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    }

    private void create(String region, String bucket) {
        S3Client s3 = ctx.aws.s3(region);
        try {
            s3.createBucket(r -> {
                r.bucket(bucket);
                if (!"us-east-1".equals(region)) r.createBucketConfiguration(c -> c.locationConstraint(region));
            });
        } catch (BucketAlreadyOwnedByYouException e) {
            // our own retried call, or a bucket of this account: only an untagged or our own bucket may go on
            Map<String, String> tags = tags(region, bucket);
            if (!tags.isEmpty() && !Tags.matches(tags, ctx.system(), KEY)) {
                throw new ToolException(ExitCode.FAILED, "S3 bucket " + bucket + " appeared after the plan (" + Tags.describe(tags) + ")",
                        "S3", "re-run to see it in the plan", e);
            }
        } catch (BucketAlreadyExistsException e) {
            throw new ToolException(ExitCode.FAILED, "S3 bucket name " + bucket + " is taken by another account", "S3",
                    "choose another aws-s3-log-bucket-id, or leave it blank to have a name generated", e);
        }
        tag(region, bucket);
    }

    private void tag(String region, String bucket) {
        ctx.aws.s3(region).putBucketTagging(r -> r.bucket(bucket).tagging(t -> t.tagSet(
                Tags.as(ctx.system(), KEY, (k, v) -> Tag.builder().key(k).value(v).build()))));
    }

    /** A bucket's tags; while planning, read once per run (every stack's plan may ask). */
    private Map<String, String> tagsOnce(String region, String bucket) {
        return ctx.options.plan() ? ctx.aws.once("s3:bucket-tags:" + bucket, () -> tags(region, bucket)) : tags(region, bucket);
    }

    Map<String, String> tags(String region, String bucket) {
        try {
            Map<String, String> out = new LinkedHashMap<>();
            ctx.aws.s3(region).getBucketTagging(r -> r.bucket(bucket)).tagSet().forEach(t -> out.put(t.key(), t.value()));
            return out;
        } catch (S3Exception e) {
            if ("NoSuchTagSet".equals(AwsCodes.code(e)) || e.statusCode() == 404) return Map.of();
            throw e;
        }
    }

    /**
     * Buckets with a generated name tagged for this system (recovery of a lost name). A plan asks each stack, so while
     * planning the bucket list and each bucket's tags are read once per run; a bucket's region never changes.
     */
    List<String> findTagged(String anyRegion) {
        List<String> found = new ArrayList<>();
        S3Client s3 = ctx.aws.s3(anyRegion);
        List<String> names = ctx.options.plan()
                ? ctx.aws.once("s3:generated-buckets", () -> generatedBuckets(s3))
                : generatedBuckets(s3);
        for (String bucket : names) {
            String region;
            try {
                region = ctx.aws.once("s3:bucket-region:" + bucket, () -> regionOf(s3, bucket));
            } catch (NoSuchBucketException e) {
                continue;
            }
            Map<String, String> tags = tagsOnce(region, bucket);
            if (Tags.matches(tags, ctx.system(), KEY)) found.add(bucket);
        }
        return found;
    }

    private static List<String> generatedBuckets(S3Client s3) {
        return s3.listBucketsPaginator().buckets().stream().map(Bucket::name).filter(n -> n.startsWith(PREFIX)).toList();
    }

    private static String regionOf(S3Client s3, String bucket) {
        String location = s3.getBucketLocation(r -> r.bucket(bucket)).locationConstraintAsString();
        return location == null || location.isEmpty() ? "us-east-1" : "EU".equals(location) ? "eu-west-1" : location;
    }
}

package io.datomicgitops.ensure;

import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.PublicAccessBlockConfiguration;
import software.amazon.awssdk.services.s3.model.S3Exception;

import java.util.ArrayList;
import java.util.List;

/**
 * The log bucket's protections: S3 Block Public Access, all four settings (the transactor's logs name the system's
 * hosts and errors: never public), and versioning when asked for. Turned on when asked for and off; never turned off.
 */
final class BucketProtections {
    static final String BLOCK_PUBLIC_ACCESS = "block-public-access";
    static final String VERSIONING = "versioning";
    private static final String ALL_BLOCKED = "all four settings on";

    private final EnsureContext ctx;

    BucketProtections(EnsureContext ctx) {
        this.ctx = ctx;
    }

    private Protections wanted() {
        return ctx.options.protections();
    }

    /** What an existing bucket lacks, read-only (each read only when its protection is asked for). */
    PendingProtections missing(String region, String bucket) {
        PendingProtections p = new PendingProtections();
        if (wanted().logBucketBlockPublicAccess()) {
            String now = publicAccessBlock(region, bucket);
            if (!ALL_BLOCKED.equals(now)) {
                p.add(BLOCK_PUBLIC_ACCESS, now, ALL_BLOCKED, "S3:PutPublicAccessBlock", () -> blockPublicAccess(region, bucket));
            }
        }
        if (wanted().logBucketVersioning()) {
            String now = versioning(region, bucket);
            if (!"enabled".equals(now)) p.add(VERSIONING, now, "enabled", "S3:PutBucketVersioning", () -> enableVersioning(region, bucket));
        }
        return p;
    }

    /** What a bucket created now needs, all of it asked for. */
    PendingProtections afterCreate(String region, String bucket) {
        PendingProtections p = new PendingProtections();
        if (wanted().logBucketBlockPublicAccess()) {
            p.add(BLOCK_PUBLIC_ACCESS, PendingProtections.NEW, ALL_BLOCKED, "S3:PutPublicAccessBlock", () -> blockPublicAccess(region, bucket));
        }
        if (wanted().logBucketVersioning()) {
            p.add(VERSIONING, PendingProtections.NEW, "enabled", "S3:PutBucketVersioning", () -> enableVersioning(region, bucket));
        }
        return p;
    }

    /** "all four settings on", "none" (no configuration), or the settings that are on. */
    String publicAccessBlock(String region, String bucket) {
        PublicAccessBlockConfiguration c;
        try {
            c = ctx.aws.s3(region).getPublicAccessBlock(r -> r.bucket(bucket)).publicAccessBlockConfiguration();
        } catch (S3Exception e) {
            if ("NoSuchPublicAccessBlockConfiguration".equals(AwsCodes.code(e))) return "none";
            throw e;
        }
        List<String> on = new ArrayList<>();
        if (Boolean.TRUE.equals(c.blockPublicAcls())) on.add("BlockPublicAcls");
        if (Boolean.TRUE.equals(c.ignorePublicAcls())) on.add("IgnorePublicAcls");
        if (Boolean.TRUE.equals(c.blockPublicPolicy())) on.add("BlockPublicPolicy");
        if (Boolean.TRUE.equals(c.restrictPublicBuckets())) on.add("RestrictPublicBuckets");
        return on.size() == 4 ? ALL_BLOCKED : on.isEmpty() ? "none" : "only " + String.join(", ", on);
    }

    /** "enabled", "suspended" or "never enabled". */
    String versioning(String region, String bucket) {
        BucketVersioningStatus s = ctx.aws.s3(region).getBucketVersioning(r -> r.bucket(bucket)).status();
        return s == BucketVersioningStatus.ENABLED ? "enabled" : s == BucketVersioningStatus.SUSPENDED ? "suspended" : "never enabled";
    }

    private void blockPublicAccess(String region, String bucket) {
        ctx.aws.s3(region).putPublicAccessBlock(r -> r.bucket(bucket).publicAccessBlockConfiguration(c -> c
                .blockPublicAcls(true).ignorePublicAcls(true).blockPublicPolicy(true).restrictPublicBuckets(true)));
    }

    private void enableVersioning(String region, String bucket) {
        ctx.aws.s3(region).putBucketVersioning(r -> r.bucket(bucket).versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));
    }
}

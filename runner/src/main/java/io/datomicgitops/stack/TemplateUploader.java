package io.datomicgitops.stack;

import io.datomicgitops.ExitCode;
import io.datomicgitops.ToolException;
import io.datomicgitops.aws.AwsClients;
import io.datomicgitops.report.Log;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.BucketLocationConstraint;
import software.amazon.awssdk.services.s3.model.S3Exception;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Puts a template that is over CloudFormation's inline limit into S3 and gives the URL to pass as TemplateURL.
 * The bucket is the configured one (deploy.properties template-bucket, or --template-bucket), else the runner's own
 * {@code datomic-gitops-templates-<account>-<region>}, created on first use by an apply (private, all public access
 * blocked; a plan never creates it). Keys are content-addressed, so uploading the same template twice is harmless.
 */
final class TemplateUploader {
    private final AwsClients aws;
    private final String region;
    private final Log log;

    TemplateUploader(AwsClients aws, String region, Log log) {
        this.aws = aws;
        this.region = region;
        this.log = log;
    }

    String upload(StackTemplate template, String stackName, Optional<String> configured, boolean mayCreateBucket) {
        String regionName = aws.s3(region).serviceClientConfiguration().region().id();
        Optional<String> account = Optional.empty();
        String bucket;
        if (configured.isPresent()) {
            bucket = configured.get();
            if (!exists(bucket)) {
                throw new ToolException(ExitCode.INVALID_CONFIG, "the template bucket " + bucket + " does not exist",
                        "template-bucket", "create it in " + regionName + ", or remove template-bucket to use the runner's own bucket");
            }
        } else {
            account = Optional.of(aws.accountId(region));
            bucket = defaultBucket(account.get(), regionName);
            if (!exists(bucket)) {
                if (!mayCreateBucket) {
                    throw new ToolException(ExitCode.FAILED, "the template is " + template.bytes() + " bytes, over CloudFormation's "
                            + StackTemplate.INLINE_LIMIT_BYTES + "-byte inline limit, and the bucket " + bucket + " does not exist yet",
                            "stack " + stackName, "a plan does not create buckets: run the apply once (it creates " + bucket
                            + "), or set template-bucket in deploy.properties to an existing bucket");
                }
                create(bucket, regionName);
            }
        }
        String key = "datomic-gitops/" + stackName + "/" + sha256(template.body()).substring(0, 16) + ".json";
        Optional<String> owner = account;
        aws.s3(region).putObject(r -> {
            r.bucket(bucket).key(key).contentType("application/json");
            owner.ifPresent(r::expectedBucketOwner); // never write into a same-named bucket someone else owns
        }, RequestBody.fromString(template.body(), StandardCharsets.UTF_8));
        String url = templateUrl(bucket, regionName, key);
        log.progress("template is " + template.bytes() + " bytes (over " + StackTemplate.INLINE_LIMIT_BYTES
                + "): uploaded to s3://" + bucket + "/" + key);
        return url;
    }

    static String defaultBucket(String account, String region) {
        return "datomic-gitops-templates-" + account + "-" + region;
    }

    /**
     * The URL CloudFormation fetches the template from: always the AWS form (never an endpoint override), virtual-host
     * style, or path style when the bucket name has dots (which break the virtual host's TLS certificate).
     */
    static String templateUrl(String bucket, String region, String key) {
        String domain = region.startsWith("cn-") ? "amazonaws.com.cn" : "amazonaws.com";
        return bucket.contains(".")
                ? "https://s3." + region + "." + domain + "/" + bucket + "/" + key
                : "https://" + bucket + ".s3." + region + "." + domain + "/" + key;
    }

    private boolean exists(String bucket) {
        S3Client s3 = aws.s3(region);
        try {
            s3.headBucket(r -> r.bucket(bucket));
            return true;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) return false;
            if (e.statusCode() == 403) {
                // AWS answers 403, not 404, both for another account's bucket and to a caller without s3:ListBucket
                throw new ToolException(ExitCode.AWS_ACCESS, "S3 HeadBucket answered 403 for the template bucket " + bucket
                        + ": it is another account's (bucket names are global), or this runner may not list it", "template bucket",
                        "allow s3:ListBucket in the runner's IAM policy (see resources/iam-policy.json) on arn:aws:s3:::" + bucket
                                + "; if the bucket is another account's, set template-bucket to a bucket of this account");
            }
            throw e;
        }
    }

    private void create(String bucket, String regionName) {
        S3Client s3 = aws.s3(region);
        try {
            s3.createBucket(r -> {
                r.bucket(bucket);
                if (!regionName.equals("us-east-1")) {
                    r.createBucketConfiguration(c -> c.locationConstraint(BucketLocationConstraint.fromValue(regionName)));
                }
            });
        } catch (BucketAlreadyOwnedByYouException e) {
            return;
        }
        s3.putPublicAccessBlock(r -> r.bucket(bucket).publicAccessBlockConfiguration(c -> c
                .blockPublicAcls(true).ignorePublicAcls(true).blockPublicPolicy(true).restrictPublicBuckets(true)));
        log.progress("created the template bucket " + bucket + " (private)");
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

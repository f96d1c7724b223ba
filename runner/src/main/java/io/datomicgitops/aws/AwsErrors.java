package io.datomicgitops.aws;

import io.datomicgitops.ExitCode;
import io.datomicgitops.ToolException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

import java.net.UnknownHostException;
import java.util.Map;
import java.util.Set;

/** Turns SDK exceptions into one line an operator can act on. */
public final class AwsErrors {
    private AwsErrors() {}

    public static boolean isAccessDenied(AwsServiceException e) {
        String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
        // some sandboxed services answer a denied call with a bare 403 and no error code
        return e.statusCode() == 403 || (code != null && (code.startsWith("AccessDenied") || code.equals("UnauthorizedOperation")));
    }

    /** Error codes that mean "these credentials are wrong or expired", not "this principal may not do that". */
    private static final Set<String> BAD_CREDENTIALS = Set.of("ExpiredToken", "ExpiredTokenException", "InvalidClientTokenId",
            "UnrecognizedClientException", "SignatureDoesNotMatch", "InvalidSignatureException", "InvalidAccessKeyId",
            "AuthFailure", "IncompleteSignature", "MissingAuthenticationToken", "RequestExpired");

    /** SDK operations whose IAM action has another name (the rest are "service:Operation" as called). */
    private static final Map<String, String> ACTIONS = Map.of(
            "S3:HeadBucket", "s3:ListBucket",
            "S3:ListBuckets", "s3:ListAllMyBuckets",
            "S3:HeadObject", "s3:GetObject",
            "S3:PutPublicAccessBlock", "s3:PutBucketPublicAccessBlock",
            "S3:GetPublicAccessBlock", "s3:GetBucketPublicAccessBlock",
            "S3:DeleteObjects", "s3:DeleteObject");

    public static ToolException translate(SdkException e, ApiCallCounter counter) {
        String operation = counter == null ? "an AWS call" : counter.operationOf(e);
        if (e instanceof AwsServiceException se) {
            String code = se.awsErrorDetails() == null || se.awsErrorDetails().errorCode() == null ? "" : se.awsErrorDetails().errorCode();
            if (BAD_CREDENTIALS.contains(code)) {
                return new ToolException(ExitCode.AWS_ACCESS, "AWS rejected the credentials (" + code + ") on " + operation,
                        "AWS", "check or refresh the credentials (AWS_PROFILE, AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, --role-arn, withAWS in Jenkins)", e);
            }
            if (isAccessDenied(se)) {
                String action = operation.contains(":") ? iamAction(operation) : operation;
                return new ToolException(ExitCode.AWS_ACCESS, "access denied to " + operation
                        + " (HTTP " + se.statusCode() + ")", "AWS",
                        "allow " + action + " in the runner's IAM policy (see resources/iam-policy.json)", e);
            }
            return new ToolException(ExitCode.FAILED, operation + " failed: " + message(se), "AWS",
                    "see the message above; re-run once it is fixed (the run converges from where it stopped)", e);
        }
        if (e instanceof SdkClientException && e.getMessage() != null && e.getMessage().contains("credentials")) {
            return new ToolException(ExitCode.AWS_ACCESS, "no AWS credentials found", "AWS",
                    "configure credentials: AWS_PROFILE, AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, an instance role, or withAWS in Jenkins", e);
        }
        if (rootCause(e) instanceof UnknownHostException uh) {
            return new ToolException(ExitCode.FAILED, "cannot reach AWS: unknown host " + uh.getMessage() + " on " + operation,
                    "AWS", "check the region name and the network (or --endpoint-url)", e);
        }
        return new ToolException(ExitCode.FAILED, operation + " failed: " + e.getMessage(), "AWS",
                "check the network and the endpoint; re-run once it is fixed", e);
    }

    /**
     * The IAM action an operator can paste into a policy: "CloudFormation:CreateChangeSet" becomes
     * "cloudformation:CreateChangeSet" (the SDK's service names, lower-cased, are the IAM prefixes of the services the
     * runner calls: autoscaling, cloudformation, cloudwatch, dynamodb, ec2, iam, s3, sts), "S3:HeadBucket" becomes
     * "s3:ListBucket".
     */
    public static String iamAction(String serviceOperation) {
        String mapped = ACTIONS.get(serviceOperation);
        if (mapped != null) return mapped;
        int i = serviceOperation.indexOf(':');
        return serviceOperation.substring(0, i).toLowerCase(java.util.Locale.ROOT) + ":" + serviceOperation.substring(i + 1);
    }

    private static String message(AwsServiceException e) {
        if (e.awsErrorDetails() != null && e.awsErrorDetails().errorMessage() != null) {
            String code = e.awsErrorDetails().errorCode();
            return (code == null ? "" : code + ": ") + e.awsErrorDetails().errorMessage();
        }
        return "HTTP " + e.statusCode();
    }

    private static Throwable rootCause(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) c = c.getCause();
        return c;
    }
}

package io.datomicgitops.aws;

import io.datomicgitops.ExitCode;
import io.datomicgitops.ToolException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

import java.net.UnknownHostException;

/** Turns SDK exceptions into one line an operator can act on. */
public final class AwsErrors {
    private AwsErrors() {}

    public static boolean isAccessDenied(AwsServiceException e) {
        String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
        // some sandboxed services answer a denied call with a bare 403 and no error code
        return e.statusCode() == 403 || (code != null && (code.startsWith("AccessDenied") || code.equals("UnauthorizedOperation")));
    }

    public static ToolException translate(SdkException e, ApiCallCounter counter) {
        String operation = counter == null ? "an AWS call" : counter.lastOperation();
        if (e instanceof AwsServiceException se) {
            if (isAccessDenied(se)) {
                String action = operation.contains(":") ? iamAction(operation) : operation;
                return new ToolException(ExitCode.AWS_ACCESS, "access denied to " + operation
                        + " (HTTP " + se.statusCode() + ")", "AWS",
                        "allow " + action + " in the runner's IAM policy (see resources/iam-policy.json)", e);
            }
            String code = se.awsErrorDetails() == null ? "" : se.awsErrorDetails().errorCode();
            if ("ExpiredToken".equals(code) || "InvalidClientTokenId".equals(code) || "UnrecognizedClientException".equals(code)) {
                return new ToolException(ExitCode.AWS_ACCESS, "AWS rejected the credentials (" + code + ") on " + operation,
                        "AWS", "refresh the credentials (AWS_PROFILE, AWS_ACCESS_KEY_ID, withAWS in Jenkins)", e);
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

    /** "CloudFormation:CreateChangeSet" becomes "cloudformation:CreateChangeSet". */
    static String iamAction(String serviceOperation) {
        int i = serviceOperation.indexOf(':');
        return serviceOperation.substring(0, i).toLowerCase() + ":" + serviceOperation.substring(i + 1);
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

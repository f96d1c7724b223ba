package io.datomicgitops.aws;

import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Says each retry of an AWS call as it happens: the SDK retries inside the client, with backoff, up to the attempts
 * allowed, which would otherwise be many silent seconds before an answer or an error. Before each attempt after the
 * first, a progress line names the call, what the attempt before it got (an HTTP status and the error code, or no
 * answer at all: the connection failed or timed out) and the attempt's number, e.g. "aws: CloudFormation DescribeStacks
 * answered HTTP 500 (InternalFailure); retrying (attempt 2 of 10)".
 *
 * <p>The interceptor hooks from beforeTransmission on run once per attempt; the error code is read from a copy of an
 * error answer's body (small, and handed on to the SDK unchanged).
 */
final class RetryLog implements ExecutionInterceptor {
    /** What one call's attempts got so far. */
    private static final class Attempts {
        int count;
        String lastAnswer;
    }

    private static final ExecutionAttribute<Attempts> ATTEMPTS = new ExecutionAttribute<>("datomic-gitops.retry-log.attempts");
    /** Query/XML protocols (CloudFormation, Auto Scaling, EC2, IAM, STS, S3). */
    private static final Pattern XML_CODE = Pattern.compile("<Code>\\s*([A-Za-z0-9._:-]{1,100})\\s*</Code>");
    /** JSON protocols (DynamoDB): "__type": "com.amazonaws.dynamodb.v20120810#ThrottlingException". */
    private static final Pattern JSON_CODE = Pattern.compile("\"(?:__type|code)\"\\s*:\\s*\"(?:[^\"#]*#)?([A-Za-z0-9._:-]{1,100})\"");
    /** Error bodies are a few hundred bytes; only the start of a larger one is looked into. */
    private static final int MAX_ERROR_BODY = 64 * 1024;

    private final Consumer<String> log;
    private final int maxAttempts;

    /** @param log where the lines go (the console's progress lines; this package does not depend on report.Log) */
    RetryLog(Consumer<String> log, int maxAttempts) {
        this.log = log;
        this.maxAttempts = maxAttempts;
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        attributes.putAttribute(ATTEMPTS, new Attempts());
    }

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        Attempts a = attributes.getAttribute(ATTEMPTS);
        if (a == null) return;
        a.count++;
        if (a.count > 1) {
            log.accept("aws: " + attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME) + " "
                    + attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME) + " "
                    + (a.lastAnswer == null ? "got no answer (the connection failed or timed out)" : a.lastAnswer)
                    + "; retrying (attempt " + a.count + " of " + maxAttempts + ")");
        }
        a.lastAnswer = null;
    }

    @Override
    public void afterTransmission(Context.AfterTransmission context, ExecutionAttributes attributes) {
        Attempts a = attributes.getAttribute(ATTEMPTS);
        if (a != null) a.lastAnswer = "answered HTTP " + context.httpResponse().statusCode();
    }

    @Override
    public Optional<InputStream> modifyHttpResponseContent(Context.ModifyHttpResponse context, ExecutionAttributes attributes) {
        Optional<InputStream> body = context.responseBody();
        Attempts a = attributes.getAttribute(ATTEMPTS);
        if (a == null || context.httpResponse().isSuccessful() || body.isEmpty()) return body;
        byte[] bytes;
        try (InputStream in = body.get()) {
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        errorCode(new String(bytes, 0, Math.min(bytes.length, MAX_ERROR_BODY), StandardCharsets.UTF_8)).ifPresent(code -> {
            if (a.lastAnswer != null) a.lastAnswer += " (" + code + ")";
        });
        return Optional.of(new ByteArrayInputStream(bytes));
    }

    /** The error code of an error answer's body, when it names one. */
    static Optional<String> errorCode(String body) {
        Matcher xml = XML_CODE.matcher(body);
        if (xml.find()) return Optional.of(xml.group(1));
        Matcher json = JSON_CODE.matcher(body);
        if (json.find()) return Optional.of(json.group(1));
        return Optional.empty();
    }
}

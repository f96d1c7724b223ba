package io.datomicgitops.aws;

import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Checks that run before every mutating AWS call of one {@link AwsClients}: a check that throws stops the call before
 * it is sent (a run that lost its stack's lock changes nothing more). Read-only calls pass unchecked.
 */
public final class MutationGate implements ExecutionInterceptor {
    /** A check before a mutating call, "Service:Operation", with its request. Throws to stop the call. */
    public interface Check {
        void beforeMutating(String serviceOperation, SdkRequest request);
    }

    private final Set<Check> checks = ConcurrentHashMap.newKeySet();

    public void add(Check check) {
        checks.add(check);
    }

    public void remove(Check check) {
        checks.remove(check);
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        String call = attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME) + ":"
                + attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        if (!ApiCallCounter.isMutating(call)) return;
        for (Check c : checks) c.beforeMutating(call, context.request());
    }
}

package io.datomicgitops.aws;

import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts every AWS API call the runner makes, by "Service:Operation", and tells read-only calls from mutating
 * ones. Reports carry the counts, so "plan makes no mutating call" is checked by the runner itself.
 */
public final class ApiCallCounter implements ExecutionInterceptor {
    private static final Set<String> READ_PREFIXES = Set.of("Describe", "Get", "List", "Head", "Validate", "Estimate", "Query", "Scan", "Simulate", "Detect", "BatchGet");
    /** A plan previews a stack update with a change set of its own, which it deletes: not a change to AWS. */
    private static final Set<String> PREVIEW = Set.of("CloudFormation:CreateChangeSet", "CloudFormation:DeleteChangeSet");

    private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();
    private final ThreadLocal<String> last = new ThreadLocal<>();
    /** The call each failure came from: an error translated on another thread (a plan's worker) still names it. */
    private final Map<Throwable, String> failed = java.util.Collections.synchronizedMap(new java.util.WeakHashMap<>());

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        String service = attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME);
        String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        String key = service + ":" + operation;
        last.set(key);
        counts.computeIfAbsent(key, k -> new AtomicLong()).incrementAndGet();
    }

    @Override
    public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
        failed.put(context.exception(), attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME) + ":"
                + attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME));
    }

    /** The "Service:Operation" this thread called last: names the call an error came from. */
    public String lastOperation() {
        String l = last.get();
        return l == null ? "an AWS call" : l;
    }

    /** The "Service:Operation" that failed with this exception (or one of its causes); else this thread's last call. */
    public String operationOf(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String op = failed.get(t);
            if (op != null) return op;
        }
        return lastOperation();
    }

    public static boolean isMutating(String serviceOperation) {
        if (PREVIEW.contains(serviceOperation)) return false;
        String op = serviceOperation.substring(serviceOperation.indexOf(':') + 1);
        return READ_PREFIXES.stream().noneMatch(op::startsWith);
    }

    /** Calls per "Service:Operation", sorted. */
    public Map<String, Long> snapshot() {
        Map<String, Long> out = new TreeMap<>();
        counts.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }

    public Map<String, Long> mutating() {
        Map<String, Long> out = new TreeMap<>();
        snapshot().forEach((k, v) -> { if (isMutating(k)) out.put(k, v); });
        return out;
    }

    public long total() {
        return counts.values().stream().mapToLong(AtomicLong::get).sum();
    }

    public long mutatingTotal() {
        return mutating().values().stream().mapToLong(Long::longValue).sum();
    }
}

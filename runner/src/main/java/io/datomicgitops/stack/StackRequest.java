package io.datomicgitops.stack;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What to deploy: the stack, its template body, parameter values (the rest take the template's defaults), which
 * parameters are secret, stack tags, how long to wait, where an oversize template goes, extra capabilities,
 * whether the stack should carry termination protection (turned on when asked, never turned off), and the alarms that
 * roll its update back (CloudFormation's rollback triggers).
 */
public record StackRequest(
        String stackName,
        String templateBody,
        Map<String, String> parameters,
        Set<String> noEchoParameters,
        Map<String, String> tags,
        Duration timeout,
        Optional<String> templateBucket,
        Set<String> capabilities,
        boolean terminationProtection,
        RollbackTriggers rollbackTriggers) {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(30);

    public StackRequest {
        Objects.requireNonNull(stackName, "stackName");
        Objects.requireNonNull(templateBody, "templateBody");
        parameters = Map.copyOf(parameters);
        noEchoParameters = Set.copyOf(noEchoParameters);
        tags = Map.copyOf(tags);
        timeout = timeout == null ? DEFAULT_TIMEOUT : timeout;
        templateBucket = templateBucket == null ? Optional.empty() : templateBucket.filter(b -> !b.isBlank());
        capabilities = Set.copyOf(capabilities);
        rollbackTriggers = rollbackTriggers == null ? RollbackTriggers.NONE : rollbackTriggers;
    }

    /** The same request, carrying the alarms that roll its stack update back. */
    public StackRequest withRollbackTriggers(RollbackTriggers triggers) {
        return new StackRequest(stackName, templateBody, parameters, noEchoParameters, tags, timeout, templateBucket, capabilities,
                terminationProtection, triggers);
    }

    /** Parameters in the form AWS wants them: every value of a NoEcho parameter stays out of toString. */
    @Override
    public String toString() {
        return "StackRequest[" + stackName + ", " + templateBody.length() + " chars, parameters " + parameters.keySet()
                + ", tags " + tags + ", timeout " + timeout + "]";
    }

    public static Builder builder(String stackName, String templateBody) {
        return new Builder(stackName, templateBody);
    }

    public static final class Builder {
        private final String stackName;
        private final String templateBody;
        private final Map<String, String> parameters = new LinkedHashMap<>();
        private final Set<String> noEcho = new LinkedHashSet<>();
        private final Map<String, String> tags = new LinkedHashMap<>();
        private final Set<String> capabilities = new LinkedHashSet<>();
        private Duration timeout = DEFAULT_TIMEOUT;
        private Optional<String> templateBucket = Optional.empty();
        private boolean terminationProtection;

        private Builder(String stackName, String templateBody) {
            this.stackName = stackName;
            this.templateBody = templateBody;
        }

        public Builder parameter(String key, String value) { parameters.put(key, value); return this; }
        public Builder parameters(Map<String, String> values) { parameters.putAll(values); return this; }
        public Builder secretParameter(String key, String value) { parameters.put(key, value); noEcho.add(key); return this; }
        public Builder noEcho(Set<String> keys) { noEcho.addAll(keys); return this; }
        public Builder tag(String key, String value) { tags.put(key, value); return this; }
        public Builder tags(Map<String, String> values) { tags.putAll(values); return this; }
        public Builder capability(String capability) { capabilities.add(capability); return this; }
        public Builder timeout(Duration t) { timeout = t; return this; }
        public Builder templateBucket(String bucket) { templateBucket = Optional.ofNullable(bucket); return this; }
        public Builder terminationProtection(boolean on) { terminationProtection = on; return this; }

        public StackRequest build() {
            return new StackRequest(stackName, templateBody, parameters, noEcho, tags, timeout, templateBucket, capabilities,
                    terminationProtection, RollbackTriggers.NONE);
        }
    }
}

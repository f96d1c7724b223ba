package io.datomicgitops.stack;

import java.time.Duration;
import java.util.List;

/**
 * CloudFormation's rollback triggers for a stack update: the CloudWatch alarms (ARNs) that roll the update back when
 * one goes to ALARM while it runs, and the monitoring time after it during which they still do (0 to 180 minutes).
 */
public record RollbackTriggers(List<String> alarmArns, Duration monitoring) {
    public static final RollbackTriggers NONE = new RollbackTriggers(List.of(), Duration.ZERO);
    /** The CloudWatch alarm type, the only one CloudFormation takes as a trigger. */
    public static final String ALARM_TYPE = "AWS::CloudWatch::Alarm";

    public RollbackTriggers {
        alarmArns = List.copyOf(alarmArns);
        monitoring = monitoring == null ? Duration.ZERO : monitoring;
    }

    public boolean none() {
        return alarmArns.isEmpty();
    }
}

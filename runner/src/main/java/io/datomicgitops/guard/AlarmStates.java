package io.datomicgitops.guard;

import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.AlarmType;
import software.amazon.awssdk.services.cloudwatch.model.DescribeAlarmsResponse;
import software.amazon.awssdk.services.cloudwatch.model.MetricAlarm;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads alarms by name (DescribeAlarms, metric and composite alike): their ARN, state and the reason for it. */
final class AlarmStates {
    static final String ALARM = "ALARM";

    /** One alarm as DescribeAlarms shows it: {@code since} when it entered its state (null if not said); {@code metric} null for a composite alarm. */
    record State(String name, String arn, String value, String reason, Instant since, MetricAlarm metric) {
        boolean alarm() {
            return ALARM.equals(value);
        }
    }

    private AlarmStates() {}

    /** The alarms of these names that exist, by name. */
    static Map<String, State> read(CloudWatchClient cw, List<String> names) {
        Map<String, State> out = new LinkedHashMap<>();
        // DescribeAlarms takes at most 100 names a call; a guard has at most 5
        for (DescribeAlarmsResponse page : cw.describeAlarmsPaginator(r -> r.alarmNames(names)
                .alarmTypes(AlarmType.METRIC_ALARM, AlarmType.COMPOSITE_ALARM))) {
            page.metricAlarms().forEach(a -> out.put(a.alarmName(),
                    new State(a.alarmName(), a.alarmArn(), a.stateValueAsString(), a.stateReason(), a.stateUpdatedTimestamp(), a)));
            page.compositeAlarms().forEach(a -> out.put(a.alarmName(),
                    new State(a.alarmName(), a.alarmArn(), a.stateValueAsString(), a.stateReason(), a.stateUpdatedTimestamp(), null)));
        }
        return out;
    }
}

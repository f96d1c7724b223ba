package io.datomicgitops.guard;

import io.datomicgitops.ensure.Tags;
import io.datomicgitops.instances.HeartbeatMetric;
import io.datomicgitops.report.Log;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.ComparisonOperator;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.MetricAlarm;
import software.amazon.awssdk.services.cloudwatch.model.PutMetricAlarmRequest;
import software.amazon.awssdk.services.cloudwatch.model.Statistic;
import software.amazon.awssdk.services.cloudwatch.model.Tag;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The two alarms every Datomic system deserves, from Datomic's monitoring docs: the transactor's {@code Alarm} metric
 * above 0 (Datomic publishes it when something needs an operator), and the active transactor's {@code HeartbeatMsec}
 * missing (no active transactor; missing data is breaching). Both watch namespace {@code Datomic} with the dimension
 * the transactor publishes under ({@code Transactor} = aws-cloudwatch-dimension-value). Their names follow from the
 * stack's name, so nothing generated needs committing; they carry the tool's tags.
 */
final class StandardAlarms {
    static final int COUNT = 2;
    /** The dimension name a transactor publishes its metrics under (a peer uses another). */
    static final String DIMENSION = "Transactor";
    static final String ALARM_METRIC = "Alarm";
    static final String HEARTBEAT_METRIC = "HeartbeatMsec";
    /** Datomic publishes once a minute: three empty minutes mean no active transactor, not one late report. */
    static final int HEARTBEAT_MINUTES = 3;
    private static final String TAG_KEY = "guard-standard-alarms";

    private StandardAlarms() {}

    static List<String> names(String stackName) {
        return List.of(alarmName(stackName), heartbeatName(stackName));
    }

    static String alarmName(String stackName) {
        return stackName + "-datomic-alarm";
    }

    static String heartbeatName(String stackName) {
        return stackName + "-datomic-heartbeat-missing";
    }

    /** The alarms' definitions for this stack, as PutMetricAlarm takes them. */
    static List<PutMetricAlarmRequest> definitions(String stackName, String dimension) {
        List<Tag> tags = Tags.of(stackName, TAG_KEY).entrySet().stream().map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build()).toList();
        Dimension d = Dimension.builder().name(DIMENSION).value(dimension).build();
        return List.of(
                PutMetricAlarmRequest.builder().alarmName(alarmName(stackName))
                        .alarmDescription("datomic-gitops: the transactor of " + stackName + " reports Datomic's Alarm metric")
                        .namespace(HeartbeatMetric.NAMESPACE).metricName(ALARM_METRIC).dimensions(d)
                        .statistic(Statistic.MAXIMUM).period(60).evaluationPeriods(1)
                        .threshold(0.0).comparisonOperator(ComparisonOperator.GREATER_THAN_THRESHOLD)
                        .treatMissingData("notBreaching").tags(tags).build(),
                PutMetricAlarmRequest.builder().alarmName(heartbeatName(stackName))
                        .alarmDescription("datomic-gitops: no active transactor of " + stackName + " reports HeartbeatMsec")
                        .namespace(HeartbeatMetric.NAMESPACE).metricName(HEARTBEAT_METRIC).dimensions(d)
                        .statistic(Statistic.SAMPLE_COUNT).period(60).evaluationPeriods(HEARTBEAT_MINUTES)
                        .threshold(1.0).comparisonOperator(ComparisonOperator.LESS_THAN_THRESHOLD)
                        .treatMissingData("breaching").tags(tags).build());
    }

    /**
     * Creates each standard alarm that is missing or defined otherwise (PutMetricAlarm leaves an alarm's state as it
     * is); true when it wrote one.
     */
    static boolean ensure(CloudWatchClient cw, String stackName, String dimension, Map<String, MetricAlarm> existing, Log log) {
        boolean wrote = false;
        for (PutMetricAlarmRequest want : definitions(stackName, dimension)) {
            MetricAlarm have = existing.get(want.alarmName());
            if (have != null && same(have, want)) continue;
            cw.putMetricAlarm(want);
            wrote = true;
            log.progress("guard: " + (have == null ? "created" : "updated") + " alarm " + want.alarmName());
        }
        return wrote;
    }

    private static boolean same(MetricAlarm have, PutMetricAlarmRequest want) {
        return Objects.equals(have.namespace(), want.namespace()) && Objects.equals(have.metricName(), want.metricName())
                && Objects.equals(have.dimensions(), want.dimensions()) && Objects.equals(have.statisticAsString(), want.statisticAsString())
                && Objects.equals(have.period(), want.period()) && Objects.equals(have.evaluationPeriods(), want.evaluationPeriods())
                && Objects.equals(have.threshold(), want.threshold())
                && Objects.equals(have.comparisonOperatorAsString(), want.comparisonOperatorAsString())
                && Objects.equals(have.treatMissingData(), want.treatMissingData());
    }
}

package io.datomicgitops.instances;

import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.Datapoint;
import software.amazon.awssdk.services.cloudwatch.model.Metric;
import software.amazon.awssdk.services.cloudwatch.model.Statistic;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * Tells whether a standby transactor has reported its heartbeat (HeartMonitorMsec) since a given time. Datomic sends
 * its metrics once a minute, so this turns true a minute or two after the new transactor has joined as standby.
 */
final class HeartbeatWatch {
    private final CloudWatchClient cw;
    private final HeartbeatMetric metric;
    private final Clock clock;

    HeartbeatWatch(CloudWatchClient cw, HeartbeatMetric metric, Clock clock) {
        this.cw = cw;
        this.metric = metric;
        this.clock = clock;
    }

    boolean reportedSince(Instant since) {
        Instant from = since.truncatedTo(ChronoUnit.MINUTES);
        Instant to = clock.instant().plus(Duration.ofMinutes(1));
        for (Metric m : metrics()) {
            List<Datapoint> points = cw.getMetricStatistics(r -> r.namespace(m.namespace()).metricName(m.metricName())
                    .dimensions(m.dimensions()).startTime(from).endTime(to).period(60).statistics(Statistic.SAMPLE_COUNT)).datapoints();
            if (points.stream().anyMatch(p -> !p.timestamp().isBefore(from) && p.sampleCount() != null && p.sampleCount() > 0)) {
                return true;
            }
        }
        return false;
    }

    /** The HeartMonitorMsec series of this system: any dimension carrying aws-cloudwatch-dimension-value, when set. */
    private List<Metric> metrics() {
        return cw.listMetricsPaginator(r -> r.namespace(HeartbeatMetric.NAMESPACE).metricName(HeartbeatMetric.METRIC)).metrics()
                .stream()
                .filter(m -> metric.dimensionValue().isEmpty()
                        || m.dimensions().stream().anyMatch(d -> metric.dimensionValue().get().equals(d.value())))
                .toList();
    }
}

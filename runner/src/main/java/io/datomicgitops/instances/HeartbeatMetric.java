package io.datomicgitops.instances;

import java.util.Optional;

/**
 * Where a standby transactor reports its heartbeat: the CloudWatch metric HeartMonitorMsec (namespace Datomic) in
 * aws-cloudwatch-region, under aws-cloudwatch-dimension-value when set. Only a standby publishes it.
 */
public record HeartbeatMetric(String region, Optional<String> dimensionValue) {
    public static final String NAMESPACE = "Datomic";
    public static final String METRIC = "HeartMonitorMsec";
}

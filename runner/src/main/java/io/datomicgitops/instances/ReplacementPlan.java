package io.datomicgitops.instances;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.util.List;

/** The group as it is, and which of its instances a replacement would replace (in order), with the reason for each. */
@JsonPropertyOrder({"groupName", "capacity", "launchSource", "instances", "toReplace"})
public record ReplacementPlan(String groupName, Capacity capacity, String launchSource, List<InstanceState> instances,
                              List<String> toReplace) {

    public boolean nothingToReplace() {
        return toReplace.isEmpty();
    }

    /** One instance of the group; instanceType and launchTime come from EC2 (null when EC2 does not show the instance yet). */
    @JsonPropertyOrder({"instanceId", "instanceType", "lifecycleState", "health", "launchedFrom", "launchTime", "privateIp", "old", "reason"})
    public record InstanceState(String instanceId, String instanceType, String lifecycleState, String health, String launchedFrom,
                                String launchTime, String privateIp, boolean old, String reason) {}
}

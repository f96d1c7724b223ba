package io.datomicgitops.record;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.datomicgitops.report.Json;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The last deployment of a stack, committed in its folder ({@code deployment.json}) and tagged: which config was
 * deployed (commit and a hash of the stack's files), to which stack and change set, with what result, who
 * approved it and which build ran it, and what the group launches from afterwards.
 */
@JsonPropertyOrder({"stack", "stackName", "stackId", "region", "deployedCommit", "configSha256", "changeSetId", "status",
        "strategy", "launchSource", "instancesReplaced", "instancesLaunched", "downtimeSeconds", "approvedBy", "buildUrl", "startedAt", "finishedAt"})
public record DeploymentRecord(
        String stack,
        String stackName,
        String stackId,
        String region,
        String deployedCommit,
        String configSha256,
        String changeSetId,
        String status,
        String strategy,
        String launchSource,
        List<String> instancesReplaced,
        List<String> instancesLaunched,
        Double downtimeSeconds,
        String approvedBy,
        String buildUrl,
        String startedAt,
        String finishedAt) {

    /**
     * The instances this deployment launched, while the group still launches from the same source: they run the
     * current configuration whatever their launch tags say (the sandbox tags them with the template's default
     * version), so they are never "old".
     */
    public List<String> currentInstances(String groupLaunchSource) {
        return launchSource != null && launchSource.equals(groupLaunchSource) && instancesLaunched != null ? instancesLaunched : List.of();
    }

    public String toJson() {
        return Json.write(this);
    }

    public static Optional<DeploymentRecord> read(Path file) {
        if (!Files.exists(file)) return Optional.empty();
        try {
            return parse(Optional.of(Files.readString(file)));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The record from deployment.json's text; an unreadable record only means the next deployment writes a fresh one. */
    public static Optional<DeploymentRecord> parse(Optional<String> json) {
        if (json.isEmpty()) return Optional.empty();
        try {
            return Optional.of(Json.mapper().readValue(json.get(), DeploymentRecord.class));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}

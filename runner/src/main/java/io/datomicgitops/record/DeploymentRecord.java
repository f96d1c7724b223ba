package io.datomicgitops.record;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.datomicgitops.RequiredFields;
import io.datomicgitops.report.Json;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The last deployment of a stack, committed in its folder ({@code deployment.json}) and tagged: which config was
 * deployed (commit and a hash of the stack's files), to which stack and change set, with what result, who
 * approved it and which build ran it, and what the group launches from afterwards. Built by name
 * ({@link #builder()}); the record itself, its component order and its JSON stay as they are, since users' repos
 * hold deployment.json files that {@link #read} must keep reading. Components are only added at the end, absent
 * from older files (null, left out of the JSON).
 *
 * <p>{@code backup}: where the backup taken before a datomic-version change went (deploy.properties' backup-uri), or
 * {@code skipped (--skip-backup)}; null when the deployment changed no version.
 */
@JsonPropertyOrder({"stack", "stackName", "stackId", "region", "deployedCommit", "configSha256", "changeSetId", "status",
        "strategy", "launchSource", "instancesReplaced", "instancesLaunched", "downtimeSeconds", "approvedBy", "buildUrl", "startedAt", "finishedAt", "backup"})
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
        String finishedAt,
        String backup) {

    /** A record without a backup, as every deployment wrote it before the backup existed. */
    public DeploymentRecord(String stack, String stackName, String stackId, String region, String deployedCommit, String configSha256,
                            String changeSetId, String status, String strategy, String launchSource, List<String> instancesReplaced,
                            List<String> instancesLaunched, Double downtimeSeconds, String approvedBy, String buildUrl,
                            String startedAt, String finishedAt) {
        this(stack, stackName, stackId, region, deployedCommit, configSha256, changeSetId, status, strategy, launchSource,
                instancesReplaced, instancesLaunched, downtimeSeconds, approvedBy, buildUrl, startedAt, finishedAt, null);
    }

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

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Requires what identifies the deployment (stack folder, stack name, region, commit, config hash, start and end);
     * everything else may stay unset (null, or for the instance lists empty, as deployments without a replacement have
     * always written them). Kept short on purpose: the record is written after the stack has been deployed, and
     * refusing it then for a missing detail would leave a deployed stack without its record.
     */
    public static final class Builder {
        private String stack;
        private String stackName;
        private String stackId;
        private String region;
        private String deployedCommit;
        private String configSha256;
        private String changeSetId;
        private String status;
        private String strategy;
        private String launchSource;
        private List<String> instancesReplaced = List.of();
        private List<String> instancesLaunched = List.of();
        private Double downtimeSeconds;
        private String approvedBy;
        private String buildUrl;
        private String startedAt;
        private String finishedAt;
        private String backup;

        private Builder() {}

        public Builder stack(String v) { stack = v; return this; }
        public Builder stackName(String v) { stackName = v; return this; }
        public Builder stackId(String v) { stackId = v; return this; }
        public Builder region(String v) { region = v; return this; }
        public Builder deployedCommit(String v) { deployedCommit = v; return this; }
        public Builder configSha256(String v) { configSha256 = v; return this; }
        public Builder changeSetId(String v) { changeSetId = v; return this; }
        public Builder status(String v) { status = v; return this; }
        public Builder strategy(String v) { strategy = v; return this; }
        public Builder launchSource(String v) { launchSource = v; return this; }
        public Builder instancesReplaced(List<String> v) { instancesReplaced = v; return this; }
        public Builder instancesLaunched(List<String> v) { instancesLaunched = v; return this; }
        public Builder downtimeSeconds(Double v) { downtimeSeconds = v; return this; }
        public Builder approvedBy(String v) { approvedBy = v; return this; }
        public Builder buildUrl(String v) { buildUrl = v; return this; }
        public Builder startedAt(String v) { startedAt = v; return this; }
        public Builder finishedAt(String v) { finishedAt = v; return this; }
        public Builder backup(String v) { backup = v; return this; }

        public DeploymentRecord build() {
            RequiredFields.of("DeploymentRecord").check("stack", stack).check("stackName", stackName).check("region", region)
                    .check("deployedCommit", deployedCommit).check("configSha256", configSha256)
                    .check("startedAt", startedAt).check("finishedAt", finishedAt).orThrow();
            return new DeploymentRecord(stack, stackName, stackId, region, deployedCommit, configSha256, changeSetId, status,
                    strategy, launchSource, instancesReplaced, instancesLaunched, downtimeSeconds, approvedBy, buildUrl,
                    startedAt, finishedAt, backup);
        }
    }
}

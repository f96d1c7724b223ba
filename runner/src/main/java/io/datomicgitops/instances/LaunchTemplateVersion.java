package io.datomicgitops.instances;

import io.datomicgitops.aws.AwsClients;
import io.datomicgitops.report.Log;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingGroup;
import software.amazon.awssdk.services.autoscaling.model.LaunchTemplateSpecification;

import java.util.Optional;

/**
 * The launch template behind a stack's group, and its latest version: a stack update that adds a version changed
 * what the transactors run, whatever the change set listed (a parameter-only change may list nothing). After the
 * update the group must launch from that latest version, as the template's {@code LatestVersionNumber} says.
 */
public final class LaunchTemplateVersion {
    private final AwsClients aws;
    private final String region;
    private final Log log;

    public LaunchTemplateVersion(AwsClients aws, String region, Log log) {
        this.aws = aws;
        this.region = region;
        this.log = log;
    }

    /** The launch template a group launches from: its id, the version the group names, and the template's latest. */
    public record GroupLaunch(String templateId, String groupVersion, long latest) {
        /** The group launches from an older version than the template's latest. */
        boolean behind() {
            return groupVersion == null || !(groupVersion.equals("$Latest") || groupVersion.equals(Long.toString(latest)));
        }
    }

    /** The group's launch template and its latest version; empty for a launch configuration. */
    public Optional<GroupLaunch> read(String groupName) {
        return spec(groupName).map(s -> new GroupLaunch(s.launchTemplateId(), s.version(), latestOf(s.launchTemplateId())));
    }

    /** Points the group at the template's latest version when CloudFormation left it on an older one. */
    public void alignGroup(String groupName, GroupLaunch launch) {
        if (!launch.behind()) return;
        log.warn("group " + groupName + " launches from version " + launch.groupVersion() + " of " + launch.templateId()
                + ", the template says the latest (" + launch.latest() + "): pointing the group at version " + launch.latest());
        aws.autoScaling(region).updateAutoScalingGroup(r -> r.autoScalingGroupName(groupName)
                .launchTemplate(t -> t.launchTemplateId(launch.templateId()).version(Long.toString(launch.latest()))));
    }

    private Optional<LaunchTemplateSpecification> spec(String groupName) {
        AutoScalingGroup g = aws.autoScaling(region).describeAutoScalingGroups(r -> r.autoScalingGroupNames(groupName))
                .autoScalingGroups().stream().findFirst().orElse(null);
        if (g == null || g.launchTemplate() == null || g.launchTemplate().launchTemplateId() == null) return Optional.empty();
        return Optional.of(g.launchTemplate());
    }

    private long latestOf(String templateId) {
        return aws.ec2(region).describeLaunchTemplates(r -> r.launchTemplateIds(templateId))
                .launchTemplates().get(0).latestVersionNumber();
    }
}

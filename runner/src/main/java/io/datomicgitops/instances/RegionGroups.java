package io.datomicgitops.instances;

import io.datomicgitops.aws.AwsClients;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingGroup;
import software.amazon.awssdk.services.autoscaling.model.LaunchTemplateSpecification;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.LaunchTemplate;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a plan reads of a region's autoscaling groups for all its stacks at once: every group, every launch template
 * and every instance a group runs (EC2 tags those with {@code aws:autoscaling:groupName}), one paginated read each,
 * kept until the run's next mutating call. Reading them stack by stack cost three calls per stack; a region with more
 * groups than a page (100 groups, 200 templates, 1,000 instances) costs a call per page instead.
 */
final class RegionGroups {
    /** The tag EC2 Auto Scaling puts on every instance it launches. */
    private static final String GROUP_TAG = "aws:autoscaling:groupName";

    private final AwsClients aws;
    private final String region;

    RegionGroups(AwsClients aws, String region) {
        this.aws = aws;
        this.region = region;
    }

    Optional<AutoScalingGroup> group(String name) {
        return Optional.ofNullable(groups().get(name));
    }

    Optional<LaunchTemplate> template(LaunchTemplateSpecification spec) {
        return templates().stream()
                .filter(t -> spec.launchTemplateId() != null ? spec.launchTemplateId().equals(t.launchTemplateId())
                        : t.launchTemplateName().equals(spec.launchTemplateName()))
                .findFirst();
    }

    /** The instances of any group, by id; an instance launched after the read is absent. */
    Map<String, Instance> instances() {
        return aws.untilChange("ec2:group-instances:" + region, () -> {
            Map<String, Instance> out = new HashMap<>();
            aws.ec2(region).describeInstancesPaginator(r -> r.filters(Filter.builder().name("tag-key").values(GROUP_TAG).build()))
                    .reservations().forEach(res -> res.instances().forEach(i -> out.put(i.instanceId(), i)));
            return Map.copyOf(out);
        });
    }

    private Map<String, AutoScalingGroup> groups() {
        return aws.untilChange("autoscaling:groups:" + region, () -> {
            Map<String, AutoScalingGroup> out = new HashMap<>();
            aws.autoScaling(region).describeAutoScalingGroupsPaginator(r -> r.maxRecords(100)).autoScalingGroups()
                    .forEach(g -> out.put(g.autoScalingGroupName(), g));
            return Map.copyOf(out);
        });
    }

    private List<LaunchTemplate> templates() {
        return aws.untilChange("ec2:launch-templates:" + region, () ->
                aws.ec2(region).describeLaunchTemplatesPaginator(r -> r.maxResults(200)).launchTemplates().stream().toList());
    }
}

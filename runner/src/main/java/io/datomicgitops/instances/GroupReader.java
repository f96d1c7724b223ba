package io.datomicgitops.instances;

import io.datomicgitops.ExitCode;
import io.datomicgitops.ToolException;
import io.datomicgitops.aws.AwsClients;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingGroup;
import software.amazon.awssdk.services.autoscaling.model.Instance;
import software.amazon.awssdk.services.autoscaling.model.LaunchTemplateSpecification;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.LaunchTemplate;
import software.amazon.awssdk.services.ec2.model.Tag;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads an autoscaling group, its instances' EC2 details, and what it launches from. */
final class GroupReader {
    private final AwsClients aws;
    private final String region;
    /** While planning: the region's groups, templates and instances read once for every stack. */
    private final Optional<RegionGroups> shared;

    GroupReader(AwsClients aws, String region) {
        this(aws, region, false);
    }

    /** @param planning read-only and many stacks alike: read the region's groups in bulk, once for all */
    GroupReader(AwsClients aws, String region, boolean planning) {
        this.aws = aws;
        this.region = region;
        this.shared = planning ? Optional.of(new RegionGroups(aws, region)) : Optional.empty();
    }

    AutoScalingGroup group(String name) {
        Optional<AutoScalingGroup> known = shared.flatMap(s -> s.group(name));
        if (known.isPresent()) return known.get();
        List<AutoScalingGroup> groups = aws.autoScaling(region).describeAutoScalingGroups(r -> r.autoScalingGroupNames(name))
                .autoScalingGroups();
        if (groups.isEmpty()) {
            throw new ToolException(ExitCode.FAILED, "no such autoscaling group", "group " + name,
                    "check the name and the region; the stack's group is read from its resources (update-stack prints it)");
        }
        return groups.get(0);
    }

    static Capacity capacity(AutoScalingGroup g) {
        return new Capacity(g.minSize(), g.maxSize(), g.desiredCapacity());
    }

    /** EC2's view of the instances (addresses, launch times, launch template tags); unknown ids are simply absent. */
    Map<String, software.amazon.awssdk.services.ec2.model.Instance> ec2(Collection<String> ids) {
        Map<String, software.amazon.awssdk.services.ec2.model.Instance> out = new HashMap<>();
        if (ids.isEmpty()) return out;
        if (shared.isPresent()) {
            Map<String, software.amazon.awssdk.services.ec2.model.Instance> all = shared.get().instances();
            ids.stream().filter(all::containsKey).forEach(id -> out.put(id, all.get(id)));
            if (out.size() == ids.size()) return out;
        }
        // a filter, not InstanceIds: an instance just launched may not be visible yet, which must not fail the call
        aws.ec2(region).describeInstancesPaginator(r -> r.filters(Filter.builder().name("instance-id").values(ids).build()))
                .reservations().forEach(res -> res.instances().forEach(i -> out.put(i.instanceId(), i)));
        return out;
    }

    /** What the group launches new instances from now, and its launch template's latest version (none for a configuration). */
    record Launch(LaunchSource current, Optional<Long> latestTemplateVersion) {}

    /** What the group launches new instances from now, with "$Latest"/"$Default" resolved to a number. */
    LaunchSource current(AutoScalingGroup g) {
        return launch(g).current();
    }

    Launch launch(AutoScalingGroup g) {
        LaunchTemplateSpecification spec = g.launchTemplate();
        if (spec == null && g.mixedInstancesPolicy() != null && g.mixedInstancesPolicy().launchTemplate() != null) {
            spec = g.mixedInstancesPolicy().launchTemplate().launchTemplateSpecification();
        }
        if (spec != null && (spec.launchTemplateId() != null || spec.launchTemplateName() != null)) {
            LaunchTemplate lt = describeTemplate(spec);
            String version = spec.version();
            if (version == null || version.equals("$Default")) version = String.valueOf(lt.defaultVersionNumber());
            else if (version.equals("$Latest")) version = String.valueOf(lt.latestVersionNumber());
            return new Launch(LaunchSource.template(lt.launchTemplateId(), version), Optional.ofNullable(lt.latestVersionNumber()));
        }
        if (g.launchConfigurationName() != null) return new Launch(LaunchSource.configuration(g.launchConfigurationName()), Optional.empty());
        return new Launch(LaunchSource.none(), Optional.empty());
    }

    /** What an instance was launched from: EC2's launch template tags first (set at launch), else the group's record. */
    static LaunchSource launchedFrom(Instance asgInstance, Optional<software.amazon.awssdk.services.ec2.model.Instance> ec2) {
        Optional<String> tagId = ec2.flatMap(i -> tag(i.tags(), LaunchSource.TAG_TEMPLATE_ID));
        Optional<String> tagVersion = ec2.flatMap(i -> tag(i.tags(), LaunchSource.TAG_TEMPLATE_VERSION));
        LaunchTemplateSpecification spec = asgInstance.launchTemplate();
        if (tagId.isPresent() || spec != null) {
            String id = tagId.orElse(spec == null ? null : spec.launchTemplateId());
            String version = tagVersion.orElse(spec == null ? null : spec.version());
            return LaunchSource.template(id, version);
        }
        if (asgInstance.launchConfigurationName() != null) return LaunchSource.configuration(asgInstance.launchConfigurationName());
        return LaunchSource.none();
    }

    private LaunchTemplate describeTemplate(LaunchTemplateSpecification spec) {
        Optional<LaunchTemplate> known = shared.flatMap(s -> s.template(spec));
        if (known.isPresent()) return known.get();
        var response = spec.launchTemplateId() != null
                ? aws.ec2(region).describeLaunchTemplates(r -> r.launchTemplateIds(spec.launchTemplateId()))
                : aws.ec2(region).describeLaunchTemplates(r -> r.launchTemplateNames(spec.launchTemplateName()));
        return response.launchTemplates().get(0);
    }

    private static Optional<String> tag(List<Tag> tags, String key) {
        return tags.stream().filter(t -> key.equals(t.key())).map(Tag::value).findFirst();
    }
}

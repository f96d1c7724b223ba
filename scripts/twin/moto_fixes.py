"""Where moto 5.2.1 says something about the tool's world that AWS never would, and the tool checks exactly that.

Each fix is a patch of moto's own model, applied in the sandbox's process before it serves a request. The plain
sandbox applies `launch_version_tags` only (what an instance runs); the twin applies all of them. See docs/TWIN.md.
"""


def resolved_version(group):
    """The launch template version number a group launches from: "$Latest"/"$Default" resolved, as AWS does."""
    template = group.ec2_launch_template
    if template is None:
        return None
    wanted = group.launch_template_version or "$Default"
    if wanted == "$Latest":
        return str(template.latest_version().number)
    if wanted == "$Default":
        return str(template.default_version_number)
    return str(wanted)


def launch_version_tags():
    """EC2 tags an instance launched from a launch template with the version it was launched from
    (aws:ec2launchtemplate:version). moto's group launches pass no version, so every group instance is tagged with the
    template's default version, whatever version the group names: a new instance looked old, an old one current."""
    from moto.autoscaling import models as asg_models

    original = asg_models.FakeAutoScalingGroup.replace_autoscaling_group_instances

    def replace_autoscaling_group_instances(self, count_needed, propagated_tags):
        before = {s.instance.id for s in self.instance_states}
        original(self, count_needed, propagated_tags)
        version = resolved_version(self)
        if version is None:
            return
        for state in self.instance_states:
            if state.instance.id not in before:
                state.instance.add_tags({"aws:ec2launchtemplate:version": version})

    asg_models.FakeAutoScalingGroup.replace_autoscaling_group_instances = replace_autoscaling_group_instances

    # Auto Scaling reports per instance the version it was launched with; moto reports the template's default
    def instance_launch_template(self):
        group = self.auto_scaling_group
        if group is None or group.ec2_launch_template is None:
            return None
        version = self.instance.get_filter_value("tag:aws:ec2launchtemplate:version")
        return {"LaunchTemplateId": group.ec2_launch_template.id, "LaunchTemplateName": group.ec2_launch_template.name,
                "Version": version or str(group.ec2_launch_template.default_version_number)}

    asg_models.InstanceState.launch_template = property(instance_launch_template)


def launch_template_user_data():
    """CreateLaunchTemplateVersion keeps UserData as a plain str, and launching from that version then fails an
    assertion (HTTP 500); wrapped as moto's own launch path expects."""
    from moto.core.types import Base64EncodedString
    from moto.ec2.models import launch_templates

    def user_data(self):
        value = self.data.get("UserData")
        if isinstance(value, str):
            value = self.data["UserData"] = Base64EncodedString(value)
        return value

    launch_templates.LaunchTemplateVersion.user_data = property(user_data)


def group_updates_in_place():
    """CloudFormation updates an AutoScalingGroup in place (sizes, launch template version): its instances keep
    running. moto deletes the group (terminating every instance) and creates a new one."""
    from moto.autoscaling import models as asg_models

    @classmethod
    def update_from_cloudformation_json(cls, original_resource, new_resource_name, cloudformation_json, account_id,
                                        region_name):
        props = cloudformation_json["Properties"]
        backend = asg_models.autoscaling_backends[account_id][region_name]

        def number(key):
            value = props.get(key)
            return None if value is None else int(value)

        template = props.get("LaunchTemplate") or None
        return backend.update_auto_scaling_group(
            name=original_resource.name, availability_zones=props.get("AvailabilityZones", []),
            desired_capacity=number("DesiredCapacity"), max_size=number("MaxSize"), min_size=number("MinSize"),
            launch_config_name=props.get("LaunchConfigurationName"), launch_template=template,
            vpc_zone_identifier=",".join(props.get("VPCZoneIdentifier", [])) or None,
            health_check_period=number("HealthCheckGracePeriod"), health_check_type=props.get("HealthCheckType"))

    asg_models.FakeAutoScalingGroup.update_from_cloudformation_json = update_from_cloudformation_json


def grace_period_zero():
    """A group created with HealthCheckGracePeriod 0 (AWS's default, as the project's template leaves it) has 0; moto
    turns 0 into 300 (`health_check_period or 300`)."""
    from moto.autoscaling import models as asg_models

    original = asg_models.AutoScalingBackend.create_auto_scaling_group

    def create_auto_scaling_group(self, *args, **kwargs):
        group = original(self, *args, **kwargs)
        if kwargs.get("health_check_period") in (0, "0"):
            group.health_check_grace_period = 0
        return group

    asg_models.AutoScalingBackend.create_auto_scaling_group = create_auto_scaling_group

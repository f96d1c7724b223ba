"""CloudFormation in time: a stack operation takes `stack_operation` simulated seconds, its resources change one after
the other with their own events, and a group that launches from a launch template's latest version moves to the new
version when CloudFormation updates it, as on AWS.

moto does the whole operation within the call (status *_COMPLETE at once, only the stack's own two events), and
leaves a group on the launch template version it was created with (its `Fn::GetAtt LatestVersionNumber` is not
re-read). Here the work moto did stays hidden until the simulated time it would have taken: the stack's status reads
*_IN_PROGRESS, each changed resource shows *_IN_PROGRESS then *_COMPLETE in its time slot, the stack's *_COMPLETE
event appears at the end, and a group's launch template version changes at its resource's *_COMPLETE.
See docs/TWIN.md.
"""
import copy
import datetime
import json

# Resources CloudFormation updates after the ones they read (a group after its launch template)
LATE_TYPES = ("AWS::AutoScaling::AutoScalingGroup",)


def resources_of(stack):
    resource_map = getattr(stack, "resource_map", None)
    return dict(getattr(resource_map, "_resource_json_map", None) or {})


def parameters_of(stack):
    return dict(getattr(getattr(stack, "resource_map", None), "input_parameters", None) or {})


def changed_resources(before, after, changed_parameters=()):
    """Logical ids CloudFormation would touch, in its order: changed or added resources, or those reading a changed
    parameter, then those reading a changed resource's attribute (a group's `Fn::GetAtt [LaunchTemplate,
    LatestVersionNumber]` changes with the template)."""
    changed = [lid for lid, body in after.items()
               if json.dumps(body, sort_keys=True) != json.dumps(before.get(lid), sort_keys=True)
               or any('"Ref": "%s"' % p in json.dumps(body) for p in changed_parameters)]
    for lid, body in after.items():
        text = json.dumps(body)
        if lid not in changed and any('"Fn::GetAtt": ["%s"' % c in text for c in changed):
            changed.append(lid)
    return sorted(changed, key=lambda lid: after[lid].get("Type") in LATE_TYPES)


def version_source(body):
    """The launch template a group's version follows: `Version: {Fn::GetAtt: [LT, LatestVersionNumber]}`."""
    version = ((body.get("Properties") or {}).get("LaunchTemplate") or {}).get("Version")
    if isinstance(version, dict):
        att = version.get("Fn::GetAtt")
        if isinstance(att, list) and len(att) == 2 and att[1] == "LatestVersionNumber":
            return att[0]
    return None


def patch(twin):
    from moto.cloudformation import models as cfn_models

    def get_status(self):
        value = self.__dict__.get("_twin_status")
        until = self.__dict__.get("_twin_busy_until")
        if until is not None and twin.clock.now < until and value in ("CREATE_COMPLETE", "UPDATE_COMPLETE"):
            return value.replace("_COMPLETE", "_IN_PROGRESS")
        return value

    def set_status(self, value):
        self.__dict__["_twin_status"] = value

    cfn_models.Stack.status = property(get_status, set_status)
    original_event = cfn_models.Stack._add_stack_event

    def later(event, at):
        """Hides an event until simulated time `at`, stamped with the wall-clock time it will then be."""
        event._twin_visible_at = at
        event.timestamp = event.timestamp + datetime.timedelta(seconds=(at - twin.clock.now) * twin.settings.time_scale)

    def add_stack_event(self, resource_status, *args, **kwargs):
        now = twin.clock.now
        if resource_status in ("CREATE_IN_PROGRESS", "UPDATE_IN_PROGRESS"):
            self.__dict__["_twin_busy_until"] = now + twin.settings.stack_operation
            self.__dict__["_twin_operation"] = {
                "start": now, "kind": resource_status.split("_")[0],
                "before": {} if resource_status.startswith("CREATE") else copy.deepcopy(resources_of(self)),
                "parameters": copy.deepcopy(parameters_of(self))}
            return original_event(self, resource_status, *args, **kwargs)
        operation = self.__dict__.pop("_twin_operation", None)
        if resource_status not in ("CREATE_COMPLETE", "UPDATE_COMPLETE") or operation is None:
            return original_event(self, resource_status, *args, **kwargs)
        end = self.__dict__.get("_twin_busy_until", now)
        after = resources_of(self)
        parameters = parameters_of(self)
        changed_parameters = [p for p in set(parameters) | set(operation["parameters"])
                              if parameters.get(p) != operation["parameters"].get(p)]
        touched = changed_resources(operation["before"], after, changed_parameters)
        slot = (end - operation["start"]) / (len(touched) + 1)
        for i, lid in enumerate(touched):
            kind = "UPDATE" if lid in operation["before"] else "CREATE"
            resource_event(self, lid, after[lid], kind + "_IN_PROGRESS", operation["start"] + slot * (i + 0.5))
            done = operation["start"] + slot * (i + 1)
            resource_event(self, lid, after[lid], kind + "_COMPLETE", done)
            source = version_source(after[lid]) if after[lid].get("Type") in LATE_TYPES else None
            if source is not None and kind == "UPDATE":
                twin.schedule(done, lambda stack=self, group=lid, template=source: follow_latest_version(stack, group, template))
        original_event(self, resource_status, *args, **kwargs)
        later(self.events[-1], end)

    def resource_event(stack, lid, body, status, at):
        resource = getattr(stack.resource_map, "_parsed_resources", {}).get(lid)
        event = cfn_models.Event(stack_id=stack.stack_id, stack_name=stack.name, logical_resource_id=lid,
                                 physical_resource_id=getattr(resource, "physical_resource_id", None) or lid,
                                 resource_type=body.get("Type"), resource_status=status,
                                 resource_status_reason=None, resource_properties=None)
        later(event, at)
        stack.events.append(event)

    def follow_latest_version(stack, group_lid, template_lid):
        parsed = getattr(stack.resource_map, "_parsed_resources", {})
        group, template = parsed.get(group_lid), parsed.get(template_lid)
        if group is None or template is None or not hasattr(template, "latest_version"):
            return
        version = str(template.latest_version().number)
        group.launch_template_version = version
        group.provided_launch_template_version = version

    cfn_models.Stack._add_stack_event = add_stack_event

    original_describe = cfn_models.CloudFormationBackend.describe_stack_events

    def describe_stack_events(self, stack_name):
        return [e for e in original_describe(self, stack_name)
                if getattr(e, "_twin_visible_at", 0) <= twin.clock.now + 1e-9]

    cfn_models.CloudFormationBackend.describe_stack_events = describe_stack_events

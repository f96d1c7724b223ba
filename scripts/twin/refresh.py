"""EC2 Auto Scaling instance refresh, in simulated time (moto 5.2 does not implement it: HTTP 500).

StartInstanceRefresh, DescribeInstanceRefreshes and CancelInstanceRefresh (the Query API), with the preferences the
runner and operators use: MinHealthyPercentage (default 90), MaxHealthyPercentage (default 100), InstanceWarmup
(default the group's health check grace period; like every duration a client sends, wall-clock seconds, so
simulated seconds / time scale), SkipMatching, CheckpointPercentages and CheckpointDelay.

How a refresh proceeds, after the EC2 Auto Scaling user guide (instance refresh; "understand the default values"):
  - MaxHealthyPercentage above 100: launch before terminating. A batch of new instances (the room above 100 %, at
    least one) is launched; once each is InService and its warm-up has passed, as many old instances are terminated.
  - MaxHealthyPercentage 100: terminate and launch at the same time. A batch of old instances (the room below
    MinHealthyPercentage, at least one: a group of one loses its only instance) is terminated, its replacements
    launched, and the next batch waits for them to be InService and warmed up.
  - PercentageComplete counts the instances replaced (warmed up) out of those to update; a checkpoint pauses the
    refresh for CheckpointDelay once it is reached; CancelInstanceRefresh stops it after the batch in flight.
  - The refresh knows nothing of Datomic: an instance is healthy once InService, whatever its transactor does.
See docs/TWIN.md.
"""
import datetime
import math
import uuid
from xml.sax.saxutils import escape

import moto_fixes

NS = "http://autoscaling.amazonaws.com/doc/2011-01-01/"
ENDED = ("Successful", "Failed", "Cancelled")
START_DELAY = 5.0  # simulated seconds from Pending to InProgress


class Refresh:
    def __init__(self, account, region, group, prefs, now, wall):
        self.id = str(uuid.uuid4())
        self.account, self.region, self.group = account, region, group
        self.prefs = prefs
        self.status, self.reason = "Pending", None
        self.started, self.start_time, self.end_time = now, wall, None
        self.to_update = None      # instance ids to replace, decided when it starts
        self.replaced = []         # old instances terminated
        self.done = 0              # old instances whose replacement is in service and warmed up
        self.batch = None          # {"old": [...], "new": [...]} in flight
        self.in_service_at = {}    # new instance -> simulated time it was first seen InService
        self.paused_until = None
        self.checkpoints = sorted(prefs.get("CheckpointPercentages") or [])

    def percentage(self):
        if not self.to_update:
            return 100 if self.status == "Successful" else 0
        return int(100 * self.done / len(self.to_update))


class InstanceRefreshes:
    def __init__(self, twin, autoscaling_backend):
        self.twin = twin
        self.backend_of = autoscaling_backend  # (account, region) -> moto's autoscaling backend
        self.refreshes = []
        twin.tickers.append(self.step)

    def reset(self):
        self.refreshes.clear()

    # -- the API -----------------------------------------------------------------------------------------------

    def handle(self, action, form, account, region):
        """(HTTP status, XML body) for one Query API call."""
        name = first(form, "AutoScalingGroupName")
        with self.twin.lock:
            if action == "StartInstanceRefresh":
                return self.start(form, name, account, region)
            if action == "CancelInstanceRefresh":
                return self.cancel(name, account, region)
            return self.describe(form, name, account, region)

    def start(self, form, name, account, region):
        group = self.backend_of(account, region).autoscaling_groups.get(name)
        if group is None:
            return error("ValidationError", "AutoScalingGroup name not found - AutoScalingGroup '%s' not found" % name)
        if any(r.group == name and r.account == account and r.region == region and r.status not in ENDED
               for r in self.refreshes):
            return error("InstanceRefreshInProgress",
                         "An Instance Refresh is already in progress and blocks the execution of this Instance Refresh.")
        # durations a client gives run on its wall clock: in simulated seconds they are longer by 1 / time scale
        scale = self.twin.settings.time_scale
        warmup = first(form, "Preferences.InstanceWarmup")
        prefs = {
            "MinHealthyPercentage": int(first(form, "Preferences.MinHealthyPercentage") or 90),
            "MaxHealthyPercentage": int(first(form, "Preferences.MaxHealthyPercentage") or 100),
            "InstanceWarmup": int(warmup) if warmup is not None else int(group.health_check_grace_period or 0),
            "SimulatedWarmup": (int(warmup) if warmup is not None else int(group.health_check_grace_period or 0)) / scale,
            "SkipMatching": (first(form, "Preferences.SkipMatching") or "false").lower() == "true",
            "CheckpointPercentages": [int(v) for k, v in sorted(form.items())
                                      if k.startswith("Preferences.CheckpointPercentages.member.") for v in v],
            "CheckpointDelay": int(first(form, "Preferences.CheckpointDelay") or 3600),
        }
        prefs["SimulatedCheckpointDelay"] = prefs["CheckpointDelay"] / scale
        lo, hi = prefs["MinHealthyPercentage"], prefs["MaxHealthyPercentage"]
        if not (100 <= hi <= 200) or not (0 <= lo <= 100) or (lo == 100 and hi == 100) or hi - lo > 100:
            return error("ValidationError", "MinHealthyPercentage %d and MaxHealthyPercentage %d are not a valid pair: "
                         "MaxHealthyPercentage is 100-200, they cannot both be 100, and they may differ by 100 at most" % (lo, hi))
        r = Refresh(account, region, name, prefs, self.twin.clock.now, wall_at(self.twin, self.twin.clock.now))
        self.refreshes.append(r)
        return 200, response("StartInstanceRefresh", "<InstanceRefreshId>%s</InstanceRefreshId>" % r.id)

    def cancel(self, name, account, region):
        for r in self.refreshes:
            if r.group == name and r.account == account and r.region == region and r.status not in ENDED:
                r.status, r.reason = "Cancelling", "Cancelled by the user"
                return 200, response("CancelInstanceRefresh", "<InstanceRefreshId>%s</InstanceRefreshId>" % r.id)
        return error("ActiveInstanceRefreshNotFound", "No in progress or pending Instance Refresh found for Auto Scaling group " + name)

    def describe(self, form, name, account, region):
        ids = {v for k, vs in form.items() if k.startswith("InstanceRefreshIds.member.") for v in vs}
        members = []
        for r in reversed(self.refreshes):  # newest first, as AWS lists them
            if r.group != name or r.account != account or r.region != region or (ids and r.id not in ids):
                continue
            p = r.prefs
            checkpoints = "".join("<member>%d</member>" % c for c in p["CheckpointPercentages"])
            remaining = 0 if r.to_update is None else len(r.to_update) - r.done
            members.append(
                "<member><InstanceRefreshId>%s</InstanceRefreshId><AutoScalingGroupName>%s</AutoScalingGroupName>"
                "<Status>%s</Status>%s<StartTime>%s</StartTime>%s<PercentageComplete>%d</PercentageComplete>"
                "<InstancesToUpdate>%d</InstancesToUpdate><Preferences><MinHealthyPercentage>%d</MinHealthyPercentage>"
                "<MaxHealthyPercentage>%d</MaxHealthyPercentage><InstanceWarmup>%d</InstanceWarmup>"
                "<SkipMatching>%s</SkipMatching><CheckpointPercentages>%s</CheckpointPercentages>"
                "<CheckpointDelay>%d</CheckpointDelay></Preferences></member>" % (
                    r.id, escape(r.group), r.status,
                    "" if r.reason is None else "<StatusReason>%s</StatusReason>" % escape(r.reason),
                    iso(r.start_time), "" if r.end_time is None else "<EndTime>%s</EndTime>" % iso(r.end_time),
                    r.percentage(), remaining, p["MinHealthyPercentage"], p["MaxHealthyPercentage"],
                    p["InstanceWarmup"], str(p["SkipMatching"]).lower(), checkpoints, p["CheckpointDelay"]))
        return 200, response("DescribeInstanceRefreshes", "<InstanceRefreshes>%s</InstanceRefreshes>" % "".join(members))

    # -- time ----------------------------------------------------------------------------------------------------

    def step(self, now):
        for r in self.refreshes:
            if r.status in ENDED:
                continue
            group = self.backend_of(r.account, r.region).autoscaling_groups.get(r.group)
            if group is None:
                self.end(r, "Failed", "the Auto Scaling group was deleted", now)
                continue
            try:
                self.step_one(r, group, now)
            except Exception as e:  # a refresh must not take the twin down; it fails as AWS would say
                self.end(r, "Failed", "twin: %r" % (e,), now)

    def step_one(self, r, group, now):
        if r.status == "Pending":
            if now - r.started < START_DELAY:
                return
            r.status = "InProgress"
            target = moto_fixes.resolved_version(group)
            r.to_update = [s.instance.id for s in group.instance_states
                           if not r.prefs["SkipMatching"] or launch_version(s) != target]
        states = {s.instance.id: s for s in group.instance_states}
        if r.batch is not None:
            for iid in r.batch["new"]:
                s = states.get(iid)
                if s is None:
                    self.end(r, "Failed", "instance %s left the group before it was in service and warmed up" % iid, now)
                    return
                if s.lifecycle_state == "InService":
                    r.in_service_at.setdefault(iid, now)
            warmed = all(iid in r.in_service_at and now - r.in_service_at[iid] >= r.prefs["SimulatedWarmup"]
                         for iid in r.batch["new"])
            if not warmed:
                return
            if r.batch["launch_first"]:
                for iid in r.batch["old"]:
                    if iid in states:
                        self.backend_of(r.account, r.region).terminate_instance(iid, should_decrement=True)
                    r.replaced.append(iid)
            r.done += len(r.batch["old"])
            r.batch = None
            reached = [c for c in r.checkpoints if c <= r.percentage()]
            if reached and r.percentage() < 100:
                r.checkpoints = [c for c in r.checkpoints if c > r.percentage()]
                r.paused_until = now + r.prefs["SimulatedCheckpointDelay"]
                r.reason = "Checkpoint %d%% reached; waiting %d s" % (reached[-1], r.prefs["CheckpointDelay"])
        if r.status == "Cancelling":
            self.end(r, "Cancelled", "Cancelled by the user", now)
            return
        if r.paused_until is not None:
            if now < r.paused_until:
                return
            r.paused_until, r.reason = None, None
        old = [iid for iid in r.to_update if iid in states and iid not in r.replaced]
        if not old:
            self.end(r, "Successful", None, now)
            return
        desired = group.desired_capacity or 0
        lo, hi = r.prefs["MinHealthyPercentage"], r.prefs["MaxHealthyPercentage"]
        backend = self.backend_of(r.account, r.region)
        before = set(states)
        if hi > 100:
            size = min(len(old), max(1, math.floor(desired * hi / 100) - desired))
            batch = old[:size]
            backend.set_desired_capacity(r.group, desired + size)
        else:
            size = min(len(old), max(1, desired - math.ceil(desired * lo / 100)))
            batch = old[:size]
            for iid in batch:
                backend.terminate_instance(iid, should_decrement=False)
                r.replaced.append(iid)
        new = [s.instance.id for s in group.instance_states if s.instance.id not in before]
        r.batch = {"old": batch, "new": new, "launch_first": hi > 100}

    def end(self, r, status, reason, now):
        r.status, r.reason, r.end_time = status, reason, wall_at(self.twin, now)
        r.batch = None


def launch_version(state):
    return state.instance.get_filter_value("tag:aws:ec2launchtemplate:version")


def first(form, key):
    values = form.get(key)
    return values[0] if values else None


def wall_at(twin, sim):
    return datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(
        seconds=(sim - twin.clock.now) * twin.settings.time_scale)


def iso(t):
    return t.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def response(action, result):
    return ('<%sResponse xmlns="%s"><%sResult>%s</%sResult><ResponseMetadata><RequestId>twin</RequestId>'
            '</ResponseMetadata></%sResponse>' % (action, NS, action, result, action, action))


def error(code, message):
    return 400, ('<ErrorResponse xmlns="%s"><Error><Type>Sender</Type><Code>%s</Code><Message>%s</Message></Error>'
                 '<RequestId>twin</RequestId></ErrorResponse>' % (NS, code, escape(message)))

"""The transactor twin's model: simulated time, instance boot, a stand-in Datomic transactor per instance (active /
standby through a lease item in the system's DynamoDB table, heartbeats, CloudWatch metrics) and a peer probe.

Everything here runs in the moto server's process, on moto's own backends, from one background thread that advances
simulated time in fixed steps of 100 ms (simulated). Simulated seconds are "real-world" seconds: the figures a real
AWS account and a real transactor would show. Wall-clock seconds are simulated seconds times the time scale.
See docs/TWIN.md for what is modelled, each behaviour's source, and what is not.
"""
import base64
import re
import threading
import time
from datetime import datetime, timezone

STEP = 0.1  # simulated seconds per step: the peer probe writes once per step

# Instance memory in MiB, for the heap check (a transactor whose -Xmx exceeds it never starts), where moto's copy of
# EC2's instance type data (instance_type_info) lacks a type. Source: https://aws.amazon.com/ec2/instance-types/
MEMORY_MIB = {
    "t3.nano": 512, "t3.micro": 1024, "t3.small": 2048, "t3.medium": 4096, "t3.large": 8192, "t3.xlarge": 16384,
    "t3.2xlarge": 32768, "t3a.medium": 4096, "t3a.large": 8192, "t3a.xlarge": 16384,
    "t4g.small": 2048, "t4g.medium": 4096, "t4g.large": 8192,
    "m5.large": 8192, "m5.xlarge": 16384, "m5.2xlarge": 32768, "m6i.large": 8192, "m6i.xlarge": 16384,
    "m6g.large": 8192, "m6g.xlarge": 16384, "m7g.large": 8192,
    "c5.large": 4096, "c5.xlarge": 8192, "c6i.large": 4096, "c6g.large": 4096,
    "r5.large": 16384, "r5.xlarge": 32768, "r6i.large": 16384, "r6g.large": 16384,
    "m1.small": 1740, "m3.medium": 3840, "m3.large": 7680, "c3.large": 3840,
}

LEASE_KEY = "datomic-twin/transactor-lease"


class Settings:
    """Realistic defaults, in simulated seconds; the time scale makes them quick in wall-clock time."""

    def __init__(self, time_scale=1.0, boot=90.0, transactor_start=20.0, metrics_period=60.0, peer_poll=1.0,
                 stack_operation=60.0):
        self.time_scale = time_scale
        self.boot = boot                          # launch -> EC2 running / group InService
        self.transactor_start = transactor_start  # running -> transactor reaches storage (download, JVM start)
        self.metrics_period = metrics_period      # Datomic reports its CloudWatch metrics once a minute
        self.peer_poll = peer_poll                # peers look for a new active transactor once a second
        self.stack_operation = stack_operation    # CloudFormation create/update stays *_IN_PROGRESS this long

    def as_dict(self):
        return {"timeScale": self.time_scale, "bootSeconds": self.boot, "transactorStartSeconds": self.transactor_start,
                "metricsPeriodSeconds": self.metrics_period, "peerPollSeconds": self.peer_poll,
                "stackOperationSeconds": self.stack_operation, "probeStepSeconds": STEP}


class Clock:
    """Simulated seconds since the twin started. Advanced only by the twin's thread, in steps of STEP."""

    def __init__(self):
        self.now = 0.0


def instance_type_info(instance_type):
    """EC2's description of an instance type, as moto ships it (DescribeInstanceTypes data); None when unknown."""
    try:
        from moto.ec2.models.instance_types import INSTANCE_TYPES
    except ImportError:
        return None
    return INSTANCE_TYPES.get(instance_type or "")


def instance_memory_mib(instance_type):
    info = instance_type_info(instance_type)
    if info is not None:
        return info.get("MemoryInfo", {}).get("SizeInMiB")
    return MEMORY_MIB.get(instance_type or "")


def instance_architectures(instance_type):
    info = instance_type_info(instance_type)
    return (info or {}).get("ProcessorInfo", {}).get("SupportedArchitectures") or []


# docs/TEMPLATE.md: a property the start-up script reads from Secrets Manager at boot, with the instance's role.
SECRET_PROPERTY = re.compile(r"^secret_property '([^']+)' (\S+) '([^']+)'$")


def parse_user_data(raw):
    """The transactor settings an instance boots with: XMX, the properties the start-up script writes, and the
    secrets it reads from Secrets Manager (key, region, ARN; the twin never keeps a value)."""
    if raw is None:
        return None
    if isinstance(raw, (list, tuple)):
        raw = raw[0] if raw else None
        if raw is None:
            return None
    if hasattr(raw, "_encoded_string"):  # moto's Base64EncodedString
        raw = raw._encoded_string
    if isinstance(raw, bytes):
        raw = raw.decode("utf-8", "replace")
    if not isinstance(raw, str):
        return None
    text = raw
    if "DATOMIC_PROPERTIES" not in text and "protocol=" not in text:
        try:
            text = base64.b64decode(raw + "=" * (-len(raw) % 4)).decode("utf-8", "replace")
        except Exception:
            return None
    if "DATOMIC_PROPERTIES" not in text and "protocol=" not in text:
        return None
    props = {}
    env = {}
    secrets = []
    inside = "DATOMIC_PROPERTIES" not in text
    for line in text.splitlines():
        s = line.strip()
        m = re.match(r"export (\w+)='?([^']*)'?$", s)
        if m:
            env[m.group(1)] = m.group(2)
            continue
        if "<<'DATOMIC_PROPERTIES'" in s or '<<"DATOMIC_PROPERTIES"' in s or "<<DATOMIC_PROPERTIES" in s:
            inside = True
            continue
        if s == "DATOMIC_PROPERTIES":
            inside = False
            continue
        m = SECRET_PROPERTY.match(s)
        if m and not inside:
            secrets.append({"key": m.group(1), "region": m.group(2), "arn": m.group(3)})
            continue
        if inside and s and not s.startswith("#") and "=" in s:
            k, v = s.split("=", 1)
            props[k.strip()] = v.strip()
    return {"env": env, "props": props, "secrets": secrets}


def heap_mib(xmx):
    """'4g', '-Xmx4g', '2048m', '512M' -> MiB; None when it cannot be read."""
    if not xmx:
        return None
    m = re.match(r"^(?:-Xmx)?(\d+)([kKmMgG]?)$", xmx.strip())
    if not m:
        return None
    n, unit = int(m.group(1)), m.group(2).lower()
    return {"k": n / 1024, "m": n, "g": n * 1024, "": n / (1024 * 1024)}[unit]


class Transactor:
    """The stand-in transactor of one instance."""

    def __init__(self, instance_id, account, region, config, faults):
        self.instance_id = instance_id
        self.account = account
        self.region = region
        self.config = config
        self.props = config["props"]
        self.env = config["env"]
        self.secrets = config.get("secrets", [])
        self.faults = dict(faults or {})
        self.state = "booting"  # booting, starting, active, standby, stuck, failed, dead
        self.reason = ""
        self.started_at = None
        self.ready_at = None
        self.state_since = None
        self.last_renew = None
        self.next_metrics = None
        self.heartbeat = int(self.props.get("heartbeat-interval-msec", "5000")) / 1000.0
        self.table = self.props.get("aws-dynamodb-table")
        self.ddb_region = self.props.get("aws-dynamodb-region") or region
        self.cw_region = self.props.get("aws-cloudwatch-region")
        self.dimension = self.props.get("aws-cloudwatch-dimension-value")
        self.history = []
        self.first_published = {}  # metric name -> simulated time of its first datapoint
        self.last_published_wall = {}  # metric name -> wall-clock epoch seconds of its last datapoint

    @property
    def system(self):
        return "%s/%s/%s" % (self.account, self.ddb_region, self.table)

    def set_state(self, state, now, reason=""):
        if state != self.state:
            self.history.append({"at": round(now, 1), "state": state, "reason": reason})
        self.state = state
        self.reason = reason
        self.state_since = now

    def alive(self):
        return self.state in ("starting", "active", "standby", "stuck")

    def as_dict(self):
        return {"instanceId": self.instance_id, "system": self.system, "state": self.state, "reason": self.reason,
                "heartbeatSeconds": self.heartbeat, "faults": self.faults, "history": self.history,
                "firstPublished": self.first_published, "lastPublishedWall": self.last_published_wall}


class Probe:
    """A peer writing through the active transactor every STEP of simulated time. It finds the active through storage
    (the lease's owner), looking again once per peer_poll (Datomic peers poll for a new transactor once a second)."""

    def __init__(self, system, now):
        self.system = system
        self.started = now
        self.known_owner = None
        self.next_poll = now
        self.writes = 0
        self.failed_writes = 0
        self.unavailable = 0.0
        self.failovers = 0
        self.intervals = []
        self._open = None
        self.owners = []

    def as_dict(self, scale):
        intervals = [dict(i) for i in self.intervals]
        if self._open is not None:
            intervals.append({"from": round(self._open, 1), "to": None, "seconds": None})
        return {"system": self.system, "unavailableSeconds": round(self.unavailable, 1), "failovers": self.failovers,
                "writes": self.writes, "failedWrites": self.failed_writes, "intervals": intervals,
                "activeTransactors": self.owners, "timeScale": scale,
                "units": "simulated (real-world) seconds; wall-clock = simulated x timeScale"}


class Twin:
    def __init__(self, settings, backends):
        self.settings = settings
        self.backends = backends  # callables: ec2(), autoscaling(), dynamodb(account, region), cloudwatch(...)
        self.clock = Clock()
        self.lock = threading.RLock()
        self.transactors = {}
        self.probes = {}
        self.pending_faults = []  # faults for the next transactors to appear
        self.instance_faults = {}
        self.metrics = []  # (namespace, name, dims tuple, real timestamp, value, account, region)
        self.born = {}     # instance id -> simulated launch time
        self.tickers = []  # callables(now), each step: the layers that move AWS in time (instance refresh)
        self.timers = []   # (simulated time, callable): one-off changes due later (a group's new version)
        self.stop_event = threading.Event()
        self.thread = None

    def schedule(self, at, action):
        """Runs `action` (under the twin's lock) once simulated time reaches `at`."""
        self.timers.append((at, action))

    # -- time ------------------------------------------------------------------------------------------------------

    def start(self):
        self.thread = threading.Thread(target=self._run, name="twin", daemon=True)
        self.thread.start()

    def _run(self):
        real0 = time.monotonic()
        while not self.stop_event.is_set():
            target = (time.monotonic() - real0) / self.settings.time_scale
            steps = 0
            while self.clock.now + STEP <= target and steps < 50:
                with self.lock:
                    self.clock.now = round(self.clock.now + STEP, 6)
                    try:
                        self.step()
                    except Exception as e:  # the twin must not die with a moto race; say it and go on
                        print("twin: step failed: %r" % (e,), flush=True)
                steps += 1
            time.sleep(max(0.002, STEP * self.settings.time_scale / 2))

    def reset(self):
        with self.lock:
            self.transactors.clear()
            self.probes.clear()
            self.pending_faults.clear()
            self.instance_faults.clear()
            self.metrics.clear()
            self.born.clear()
            self.timers.clear()

    # -- one step --------------------------------------------------------------------------------------------------

    def instance_born(self, instance):
        self.born[instance.id] = self.clock.now

    def step(self):
        now = self.clock.now
        due = [t for t in self.timers if t[0] <= now + 1e-9]
        self.timers = [t for t in self.timers if t[0] > now + 1e-9]
        for _, action in due:
            action()
        for tick in list(self.tickers):
            tick(now)
        instances = {}
        for account, region, ec2 in self.backends.ec2():
            for reservation in list(ec2.reservations.values()):
                for inst in list(reservation.instances):
                    instances[inst.id] = (inst, account, region)
                    born = self.born.get(inst.id)
                    if inst._state.name == "pending" and (born is None or now - born >= self.settings.boot):
                        inst._state.name, inst._state.code = "running", 16
        for _, _, asg in self.backends.autoscaling():
            for group in list(asg.autoscaling_groups.values()):
                for st in list(group.instance_states):
                    if st.lifecycle_state == "Pending" and st.instance._state.name == "running":
                        st.lifecycle_state = "InService"
        for iid, (inst, account, region) in instances.items():
            if iid not in self.transactors:
                config = parse_user_data(getattr(inst, "user_data", None))
                if config is None:
                    continue
                faults = self.instance_faults.pop(iid, None)
                if faults is None and self.pending_faults:
                    faults = self.pending_faults.pop(0)
                t = Transactor(iid, account, region, config, faults)
                t.instance_type = getattr(inst, "instance_type", None)
                t.image_id = getattr(inst, "image_id", None)
                t.set_state("booting", now)
                self.transactors[iid] = t
        for iid, t in list(self.transactors.items()):
            entry = instances.get(iid)
            self.step_transactor(t, entry[0] if entry else None, now)
        for system in {t.system for t in self.transactors.values()}:
            self.step_probe(system, now)

    def step_transactor(self, t, inst, now):
        if t.state in ("dead", "failed"):
            return
        state = inst._state.name if inst is not None else "terminated"
        if state in ("terminated", "shutting-down", "stopping", "stopped"):
            t.set_state("dead", now, "instance " + state)
            return
        if t.state == "booting":
            if state != "running":
                return
            t.started_at = now
            t.ready_at = now + self.settings.transactor_start
            errors = self.config_errors(t)
            if errors:
                t.set_state("failed", now, "; ".join(errors))
                return
            t.set_state("starting", now, "downloading Datomic, starting the JVM")
            return
        die_after = t.faults.get("dieAfterSeconds")
        if die_after is not None and now - t.started_at >= float(die_after):
            t.set_state("dead", now, "fault: died after %ss" % die_after)
            return
        if t.state == "starting" and now >= t.ready_at:
            if t.faults.get("neverStandby"):
                t.set_state("stuck", now, "fault: never reaches storage, never becomes standby")
                return
            lease = self.read_lease(t)
            if lease is None or now - lease["renewed"] > 2 * t.heartbeat:
                self.take_lease(t, now, lease)
            else:
                t.set_state("standby", now, "the lease is held by " + lease["owner"])
                t.next_metrics = now + self.settings.metrics_period
        elif t.state == "active":
            if now - t.last_renew >= t.heartbeat - 1e-9:
                lease = self.read_lease(t)
                if lease is None or lease["owner"] != t.instance_id:
                    t.set_state("dead", now, "lost the lease to " + (lease["owner"] if lease else "nobody"))
                    return
                self.write_lease(t, now)
        elif t.state == "standby":
            lease = self.read_lease(t)
            if lease is None or now - lease["renewed"] > 2 * t.heartbeat:
                self.take_lease(t, now, lease)
        if t.alive() and t.cw_region and t.next_metrics is not None and now >= t.next_metrics - 1e-9:
            self.publish(t, now)
            t.next_metrics = now + self.settings.metrics_period

    def config_errors(self, t):
        """What a real transactor would die on at start-up."""
        errors = []
        protocol = t.props.get("protocol")
        if protocol != "ddb":
            errors.append("protocol %r: the twin stands in for DynamoDB storage (ddb) only" % protocol)
        heap = heap_mib(t.env.get("XMX"))
        memory = instance_memory_mib(t.instance_type)
        if heap is not None and memory is not None and heap > memory:
            errors.append("heap -Xmx%s (%d MiB) above the memory of %s (%d MiB)" % (t.env.get("XMX"), heap, t.instance_type, memory))
        image_arch = self.backends.image_architecture(t.account, t.region, t.image_id)
        type_archs = instance_architectures(t.instance_type)
        if image_arch and type_archs and image_arch not in type_archs:
            errors.append("image %s is %s and %s runs %s: the instance boots nothing it can run"
                          % (t.image_id, image_arch, t.instance_type, "/".join(type_archs)))
        for secret in t.secrets:
            if not self.backends.secret_readable(t.account, secret["region"], secret["arn"]):
                errors.append("cannot read %s from Secrets Manager: %s (the start-up script stops before Datomic starts)"
                              % (secret["key"], secret["arn"]))
        if protocol == "ddb":
            if not t.table:
                errors.append("no aws-dynamodb-table")
            elif self.table(t) is None:
                errors.append("storage table %s does not exist in %s" % (t.table, t.ddb_region))
        return errors

    # -- storage (the lease item) ----------------------------------------------------------------------------------

    def table(self, t):
        try:
            return self.backends.dynamodb(t.account, t.ddb_region).get_table(t.table)
        except Exception:
            return None

    def _key(self, table):
        return {table.hash_key_attr: {table.hash_key_type or "S": LEASE_KEY if (table.hash_key_type or "S") == "S" else "0"}}

    def read_lease(self, t):
        table = self.table(t)
        if table is None:
            return None
        try:
            item = self.backends.dynamodb(t.account, t.ddb_region).get_item(t.table, self._key(table))
        except Exception:
            return None
        if item is None:
            return None
        attrs = item.attrs
        return {"owner": attrs["owner"].value, "renewed": float(attrs["renewedMsec"].value) / 1000.0}

    def write_lease(self, t, now):
        table = self.table(t)
        if table is None:
            return
        item = dict(self._key(table))
        item["owner"] = {"S": t.instance_id}
        item["renewedMsec"] = {"N": str(int(round(now * 1000)))}
        if table.range_key_attr:
            item[table.range_key_attr] = {table.range_key_type or "S": "0" if table.range_key_type == "N" else "lease"}
        self.backends.dynamodb(t.account, t.ddb_region).put_item(t.table, item)
        t.last_renew = now

    def take_lease(self, t, now, previous):
        self.write_lease(t, now)
        t.set_state("active", now, "took the lease" + (" from " + previous["owner"] if previous else ""))
        t.next_metrics = now + self.settings.metrics_period
        probe = self.probes.get(t.system)
        if probe is not None and previous is not None and previous["owner"] != t.instance_id:
            probe.failovers += 1
        if probe is not None:
            probe.owners.append({"instanceId": t.instance_id, "since": round(now, 1)})

    # -- metrics ---------------------------------------------------------------------------------------------------

    def publish(self, t, now):
        """Datomic's metric names, namespace Datomic; the dimension carries aws-cloudwatch-dimension-value."""
        names = []
        if t.state == "active":
            names.append(("HeartbeatMsec", t.heartbeat * 1000))
        if t.state == "standby":
            names.append(("HeartMonitorMsec", t.heartbeat * 1000))
        if t.faults.get("alarm"):
            names.append(("Alarm", 1.0))
        dims = (("Transactor", t.dimension),) if t.dimension else ()
        stamp = datetime.now(timezone.utc)
        for name, value in names:
            t.first_published.setdefault(name, round(now, 1))
            t.last_published_wall[name] = stamp.timestamp()
            self.metrics.append(("Datomic", name, dims, stamp.timestamp(), value, t.account, t.cw_region))
            try:
                self.backends.cloudwatch(t.account, t.cw_region).put_metric_data("Datomic", [{
                    "MetricName": name, "Value": value, "Unit": "Milliseconds" if name.endswith("Msec") else "Count",
                    "Timestamp": stamp, "Dimensions": [{"Name": k, "Value": v} for k, v in dims]}])
            except Exception as e:
                print("twin: put_metric_data failed: %r" % (e,), flush=True)

    # -- the peer probe --------------------------------------------------------------------------------------------

    def step_probe(self, system, now):
        probe = self.probes.get(system)
        members = [t for t in self.transactors.values() if t.system == system]
        if probe is None:
            active = [t for t in members if t.state == "active"]
            if not active:
                return  # the system is not up yet: nothing to measure
            probe = self.probes[system] = Probe(system, now)
            probe.owners.append({"instanceId": active[0].instance_id, "since": round(now, 1)})
        if now >= probe.next_poll - 1e-9:
            sample = members[0]
            lease = self.read_lease(sample)
            probe.known_owner = lease["owner"] if lease else None
            probe.next_poll = now + self.settings.peer_poll
        owner = self.transactors.get(probe.known_owner)
        ok = owner is not None and owner.state == "active"
        probe.writes += 1
        if ok:
            if probe._open is not None:
                probe.intervals.append({"from": round(probe._open, 1), "to": round(now, 1), "seconds": round(now - probe._open, 1)})
                probe._open = None
        else:
            probe.failed_writes += 1
            probe.unavailable += STEP
            if probe._open is None:
                probe._open = now

    # -- control ---------------------------------------------------------------------------------------------------

    def status(self):
        with self.lock:
            return {"settings": self.settings.as_dict(), "simulatedSeconds": round(self.clock.now, 1),
                    "transactors": [t.as_dict() for t in self.transactors.values()],
                    "probes": [p.as_dict(self.settings.time_scale) for p in self.probes.values()],
                    "pendingFaults": list(self.pending_faults)}

    def set_fault(self, body):
        faults = {k: body[k] for k in ("neverStandby", "alarm", "dieAfterSeconds") if k in body}
        with self.lock:
            iid = body.get("instanceId")
            if iid:
                t = self.transactors.get(iid)
                if t is not None:
                    t.faults.update(faults)
                else:
                    self.instance_faults[iid] = faults
            else:
                for _ in range(int(body.get("next", 1))):
                    self.pending_faults.append(faults)
        return {"ok": True, "faults": faults}

    def set_settings(self, body):
        """Changes timings from now on (simulated seconds): a benchmark gives each round its own stack update length."""
        names = {"stackOperationSeconds": "stack_operation", "bootSeconds": "boot", "transactorStartSeconds": "transactor_start"}
        with self.lock:
            for key, attr in names.items():
                if key in body:
                    setattr(self.settings, attr, float(body[key]))
            return {"ok": True, "settings": self.settings.as_dict()}

    def reset_probes(self):
        with self.lock:
            self.probes.clear()
            return {"ok": True}

    def query_metrics(self, account, region, namespace, name, dims_filter, start, end):
        with self.lock:
            return [m for m in self.metrics if m[5] == account and m[6] == region and m[0] == namespace
                    and (name is None or m[1] == name) and start <= m[3] < end
                    and all(d in m[2] for d in dims_filter)]

    def list_metrics(self, account, region, namespace, name):
        with self.lock:
            seen = []
            for m in self.metrics:
                if m[5] == account and m[6] == region and (namespace is None or m[0] == namespace) \
                        and (name is None or m[1] == name) and (m[0], m[1], m[2]) not in seen:
                    seen.append((m[0], m[1], m[2]))
            return seen

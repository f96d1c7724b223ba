"""The transactor twin: the moto server of the sandbox, with time and a stand-in Datomic transactor per instance.

    python3 scripts/twin/server.py -H 127.0.0.1 -p PORT [--time-scale 0.1] [--boot 90] [--transactor-start 20]

Started by `scripts/sandbox start --twin`. It serves everything moto serves, plus:
  - CloudWatch in the AWS SDK's RPC v2 CBOR protocol (ListMetrics, GetMetricStatistics, PutMetricData), which moto
    5.2 does not speak, so the runner can read the standby heartbeat (HeartMonitorMsec); its alarms through moto's
    JSON protocol (ALARM_OPERATIONS, as the plain sandbox does);
  - UpdateTerminationProtection (moto answers HTTP 500), kept per stack and shown by DescribeStacks;
  - a control API under /twin/: GET /twin/status, POST /twin/fault, POST /twin/probe/reset, POST /twin/reset.
See docs/TWIN.md.
"""
import argparse
import json
import os
import re
import signal
import sys
import threading
from urllib.parse import parse_qs

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import cbor  # noqa: E402
import model  # noqa: E402
import moto_fixes  # noqa: E402
import refresh  # noqa: E402
import stacks  # noqa: E402

from moto.server import DomainDispatcherApplication, create_backend_app  # noqa: E402
from werkzeug.serving import make_server  # noqa: E402

DEFAULT_ACCOUNT = "123456789012"


class Backends:
    """moto's backends, read without creating any (BackendDict creates an account's backends on first access)."""

    @staticmethod
    def _each(backend_dict):
        for account, per_account in list(dict.items(backend_dict)):
            for region, backend in list(dict.items(per_account)):
                yield account, region, backend

    def ec2(self):
        from moto.ec2.models import ec2_backends
        return self._each(ec2_backends)

    def autoscaling(self):
        from moto.autoscaling.models import autoscaling_backends
        return self._each(autoscaling_backends)

    def dynamodb(self, account, region):
        from moto.dynamodb.models import dynamodb_backends
        return dynamodb_backends[account][region]

    def image_architecture(self, account, region, image_id):
        """The architecture of an image EC2 knows in that region (moto ships Amazon's); None for an unknown image."""
        from moto.ec2.models import ec2_backends
        per_account = dict.get(ec2_backends, account)
        backend = dict.get(per_account, region) if per_account is not None else None
        image = getattr(backend, "amis", {}).get(image_id) if backend is not None and image_id else None
        return getattr(image, "architecture", None)

    def secret_readable(self, account, region, arn):
        """Whether the start-up script's aws secretsmanager get-secret-value would succeed (moto checks no role)."""
        from moto.secretsmanager.models import secretsmanager_backends
        try:
            secretsmanager_backends[account][region].get_secret_value(secret_id=arn, version_id=None, version_stage=None)
            return True
        except Exception:
            return False

    def cloudwatch(self, account, region):
        from moto.cloudwatch.models import cloudwatch_backends
        return cloudwatch_backends[account][region]


class CurrentTwin:
    """The twin the patches below serve: moto's classes are patched once per process, the twin may be replaced (each
    unit test makes its own)."""
    twin = None

    def __getattr__(self, name):
        return getattr(CurrentTwin.twin, name)


def patch_moto(twin):
    """Instances start pending and join their group Pending; the twin's clock moves them on after the boot delay."""
    first_time = CurrentTwin.twin is None
    CurrentTwin.twin = twin
    if first_time:
        patch_moto_once(CurrentTwin())


def patch_moto_once(twin):
    from moto.ec2.models import instances as ec2_instances
    from moto.autoscaling import models as asg_models

    original_instance_init = ec2_instances.Instance.__init__

    def instance_init(self, *args, **kwargs):
        original_instance_init(self, *args, **kwargs)
        self._state = ec2_instances.InstanceState("pending", 0)
        twin.instance_born(self)

    ec2_instances.Instance.__init__ = instance_init

    original_state_init = asg_models.InstanceState.__init__

    def state_init(self, instance, lifecycle_state="Pending", *args, **kwargs):
        original_state_init(self, instance, lifecycle_state, *args, **kwargs)

    asg_models.InstanceState.__init__ = state_init

    moto_fixes.launch_template_user_data()
    moto_fixes.launch_version_tags()
    moto_fixes.group_updates_in_place()
    moto_fixes.grace_period_zero()
    stacks.patch(twin)

    # A Pending instance counts toward the desired capacity (moto counts InService only and would launch again)
    asg_models.FakeAutoScalingGroup.active_instances = lambda self: [
        x for x in self.instance_states if x.lifecycle_state in ("InService", "Pending")]


def autoscaling_backend(account, region):
    from moto.autoscaling.models import autoscaling_backends
    return autoscaling_backends[account][region]


def caller(environ):
    """(account, region) of a signed request."""
    auth = environ.get("HTTP_AUTHORIZATION", "")
    m = re.search(r"Credential=([^/]+)/\d+/([^/]+)/", auth)
    if not m:
        return DEFAULT_ACCOUNT, "us-east-1"
    access_key, region = m.group(1), m.group(2)
    try:
        from moto.iam.models import get_account_id_from
        return get_account_id_from(access_key), region
    except Exception:
        return DEFAULT_ACCOUNT, region


def body_of(environ):
    try:
        n = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        n = 0
    return environ["wsgi.input"].read(n) if n > 0 else b""


def respond(start_response, status, body, content_type="application/json", headers=()):
    start_response(status, [("Content-Type", content_type), ("Content-Length", str(len(body)))] + list(headers))
    return [body]


def cloudwatch_cbor(twin, environ, start_response, operation):
    account, region = caller(environ)
    raw = body_of(environ)
    req = cbor.decode(raw) if raw else {}
    headers = [("smithy-protocol", "rpc-v2-cbor")]

    def ok(value):
        return respond(start_response, "200 OK", cbor.encode(value), "application/cbor", headers)

    if operation == "ListMetrics":
        out = []
        for ns, name, dims in twin.list_metrics(account, region, req.get("Namespace"), req.get("MetricName")):
            wanted = [(d["Name"], d.get("Value")) for d in req.get("Dimensions") or []]
            if all(any(k == dn and (v is None or v == dv) for dn, dv in dims) for k, v in wanted):
                out.append({"Namespace": ns, "MetricName": name, "Dimensions": [{"Name": k, "Value": v} for k, v in dims]})
        return ok({"Metrics": out})
    if operation == "GetMetricStatistics":
        period = int(req.get("Period") or 60)
        start, end = float(req["StartTime"]), float(req["EndTime"])
        dims = tuple((d["Name"], d["Value"]) for d in req.get("Dimensions") or [])
        points = twin.query_metrics(account, region, req["Namespace"], req["MetricName"], dims, start, end)
        buckets = {}
        for p in points:
            key = start + ((p[3] - start) // period) * period
            buckets.setdefault(key, []).append(p[4])
        stats = req.get("Statistics") or ["SampleCount"]
        datapoints = []
        for key, values in sorted(buckets.items()):
            d = {"Timestamp": cbor.Timestamp(key)}
            for s in stats:
                d[s] = float({"SampleCount": len(values), "Sum": sum(values), "Average": sum(values) / len(values),
                              "Minimum": min(values), "Maximum": max(values)}[s])
            datapoints.append(d)
        return ok({"Label": req["MetricName"], "Datapoints": datapoints})
    if operation == "PutMetricData":
        with twin.lock:
            for m in req.get("MetricData") or []:
                dims = tuple((d["Name"], d["Value"]) for d in m.get("Dimensions") or [])
                stamp = float(m.get("Timestamp") or __import__("time").time())
                twin.metrics.append((req["Namespace"], m["MetricName"], dims, stamp, float(m.get("Value", 0.0)), account, region))
        return ok({})
    err = {"__type": "com.amazonaws.cloudwatch#InvalidAction", "message": "the twin does not serve %s over RPC v2 CBOR" % operation}
    return respond(start_response, "400 Bad Request", cbor.encode(err), "application/cbor", headers)


def _timestamps(value, key=""):
    """JSON answers carry timestamps as epoch numbers; in CBOR a Smithy timestamp is tag 1."""
    if isinstance(value, dict):
        return {k: _timestamps(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_timestamps(v, key) for v in value]
    if key.endswith("Timestamp") and isinstance(value, (int, float)) and not isinstance(value, bool):
        return cbor.Timestamp(value)
    return value


# The alarm operations only: the plain sandbox answers metric reads with 404 as before (the readiness check then
# skips the standby heartbeat that no plain sandbox publishes, instead of waiting for it to its timeout).
ALARM_OPERATIONS = ("PutMetricAlarm", "DescribeAlarms", "SetAlarmState", "DeleteAlarms", "ListTagsForResource", "TagResource")


def cloudwatch_cbor_via_json(moto_app, environ, start_response, operation):
    """A CloudWatch alarm operation the SDK sends in RPC v2 CBOR, served by moto in the JSON protocol it speaks: the
    request and the answer re-encoded, status and error shape (__type, message) kept."""
    raw = body_of(environ)
    body = json.dumps(cbor.decode(raw) if raw else {}).encode()
    inner = dict(environ)
    inner.update({"PATH_INFO": "/", "QUERY_STRING": "", "CONTENT_TYPE": "application/x-amz-json-1.0",
                  "CONTENT_LENGTH": str(len(body)), "HTTP_X_AMZ_TARGET": "GraniteServiceVersion20100801." + operation,
                  "wsgi.input": __import__("io").BytesIO(body)})
    inner.pop("HTTP_SMITHY_PROTOCOL", None)
    status = {}

    def capture(s, headers, exc_info=None):
        status["line"] = s

    out = b"".join(moto_app(inner, capture))
    value = _timestamps(json.loads(out)) if out.strip() else {}
    return respond(start_response, status["line"], cbor.encode(value), "application/cbor", [("smithy-protocol", "rpc-v2-cbor")])


class PlainApp:
    """moto, plus CloudWatch's alarms in RPC v2 CBOR (cloudwatch_cbor_via_json)."""

    def __init__(self):
        self.moto = DomainDispatcherApplication(create_backend_app)

    def __call__(self, environ, start_response):
        m = re.match(r"^/service/GraniteServiceVersion20100801/operation/(\w+)$", environ.get("PATH_INFO", ""))
        if m and m.group(1) in ALARM_OPERATIONS and environ.get("REQUEST_METHOD") == "POST":
            return cloudwatch_cbor_via_json(self.moto, environ, start_response, m.group(1))
        return self.moto(environ, start_response)


class TwinApp:
    def __init__(self, twin):
        self.twin = twin
        self.moto = DomainDispatcherApplication(create_backend_app)
        self.protection = {}  # (account, region, stack name or id) -> bool
        self.refreshes = refresh.InstanceRefreshes(twin, lambda account, region: autoscaling_backend(account, region))

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        method = environ.get("REQUEST_METHOD", "GET")
        if path.startswith("/twin/"):
            return self.control(path, method, environ, start_response)
        m = re.match(r"^/service/GraniteServiceVersion20100801/operation/(\w+)$", path)
        if m and method == "POST" and m.group(1) in ALARM_OPERATIONS:
            with self.twin.lock:
                return cloudwatch_cbor_via_json(self.moto, environ, start_response, m.group(1))
        if m and method == "POST":
            return cloudwatch_cbor(self.twin, environ, start_response, m.group(1))
        if path == "/moto-api/reset" and method == "POST":
            self.twin.reset()
            self.protection.clear()
            self.refreshes.reset()
        if method == "POST" and path in ("", "/"):
            raw = body_of(environ)
            environ["wsgi.input"] = __import__("io").BytesIO(raw)
            form = parse_qs(raw.decode("utf-8", "replace"))
            action = (form.get("Action") or [""])[0]
            if action == "UpdateTerminationProtection":
                return self.termination_protection(environ, start_response, form)
            if action == "DeleteStack":
                refused = self.protected_delete(environ, start_response, form)
                if refused is not None:
                    return refused
            if action == "DescribeStacks":
                return self.describe_stacks(environ, start_response)
            if action in ("StartInstanceRefresh", "DescribeInstanceRefreshes", "CancelInstanceRefresh"):
                status, body = self.refreshes.handle(action, form, *caller(environ))
                return respond(start_response, "200 OK" if status == 200 else "400 Bad Request", body.encode(), "text/xml")
        with self.twin.lock:
            return list(self.moto(environ, start_response))

    def termination_protection(self, environ, start_response, form):
        """UpdateTerminationProtection, which moto 5.2 does not implement (HTTP 500)."""
        account, region = caller(environ)
        name = form.get("StackName", [""])[0]
        enable = form.get("EnableTerminationProtection", ["false"])[0].lower() == "true"
        from moto.cloudformation.models import cloudformation_backends
        with self.twin.lock:
            backend = cloudformation_backends[account][region]
            stack = backend.get_stack(name) if hasattr(backend, "get_stack") else None
            if stack is None:
                body = ("<ErrorResponse><Error><Type>Sender</Type><Code>ValidationError</Code>"
                        "<Message>Stack [%s] does not exist</Message></Error></ErrorResponse>" % name).encode()
                return respond(start_response, "400 Bad Request", body, "text/xml")
            stack.enable_termination_protection = enable
            self.protection[(account, region, stack.stack_id)] = enable
            body = ("<UpdateTerminationProtectionResponse xmlns=\"http://cloudformation.amazonaws.com/doc/2010-05-15/\">"
                    "<UpdateTerminationProtectionResult><StackId>%s</StackId></UpdateTerminationProtectionResult>"
                    "<ResponseMetadata><RequestId>twin</RequestId></ResponseMetadata>"
                    "</UpdateTerminationProtectionResponse>" % stack.stack_id).encode()
            return respond(start_response, "200 OK", body, "text/xml")

    def protected_delete(self, environ, start_response, form):
        """DeleteStack on a protected stack is refused, as CloudFormation does (moto deletes it)."""
        account, region = caller(environ)
        name = form.get("StackName", [""])[0]
        from moto.cloudformation.models import cloudformation_backends
        with self.twin.lock:
            try:
                stack = cloudformation_backends[account][region].get_stack(name)
            except Exception:
                return None
            if not getattr(stack, "enable_termination_protection", False):
                return None
        body = ("<ErrorResponse><Error><Type>Sender</Type><Code>ValidationError</Code><Message>Stack [%s] cannot be "
                "deleted while TerminationProtection is enabled</Message></Error></ErrorResponse>" % name).encode()
        return respond(start_response, "400 Bad Request", body, "text/xml")

    def describe_stacks(self, environ, start_response):
        """moto's answer, with EnableTerminationProtection as UpdateTerminationProtection left it."""
        account, _region = caller(environ)
        captured = {}

        def capture(status, headers, exc_info=None):
            captured["status"], captured["headers"] = status, headers

        with self.twin.lock:
            chunks = list(self.moto(environ, capture))
        body = b"".join(chunks)
        for (acct, _r, stack_id), enabled in self.protection.items():
            if acct != account or stack_id.encode() not in body:
                continue
            pattern = re.compile(rb"(<StackId>" + re.escape(stack_id.encode()) + rb"</StackId>.*?<EnableTerminationProtection>)(true|false)",
                                 re.S)
            body = pattern.sub(lambda mm: mm.group(1) + (b"true" if enabled else b"false"), body, count=1)
        headers = [(k, v) for k, v in captured["headers"] if k.lower() != "content-length"]
        start_response(captured["status"], headers + [("Content-Length", str(len(body)))])
        return [body]

    def control(self, path, method, environ, start_response):
        body = body_of(environ)
        req = json.loads(body) if body.strip() else {}
        if path == "/twin/status" and method == "GET":
            out = self.twin.status()
        elif path == "/twin/fault" and method == "POST":
            out = self.twin.set_fault(req)
        elif path == "/twin/settings" and method == "POST":
            out = self.twin.set_settings(req)
        elif path == "/twin/probe/reset" and method == "POST":
            out = self.twin.reset_probes()
        elif path == "/twin/reset" and method == "POST":
            self.twin.reset()
            self.refreshes.reset()
            out = {"ok": True}
        else:
            return respond(start_response, "404 Not Found", json.dumps({"error": "no such twin call: %s %s" % (method, path)}).encode())
        return respond(start_response, "200 OK", json.dumps(out, indent=1).encode())


def serve_plain(host, port):
    """moto as it is, but for the launch template version each group instance reports (moto_fixes.launch_version_tags):
    the one thing the tool decides on that moto gets wrong and the plain sandbox must not; and CloudWatch in the
    SDK's RPC v2 CBOR protocol, which moto does not speak, for its alarms (PlainApp)."""
    moto_fixes.launch_version_tags()
    server = make_server(host, port, PlainApp(), threaded=True)
    signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=server.shutdown, daemon=True).start())
    print("sandbox: moto serving on http://%s:%d" % (host, port), flush=True)
    server.serve_forever()


def main(argv=None):
    p = argparse.ArgumentParser(description="the transactor twin (moto + time + Datomic stand-ins)")
    p.add_argument("-H", "--host", default="127.0.0.1")
    p.add_argument("-p", "--port", type=int, default=5000)
    p.add_argument("--time-scale", type=float, default=float(os.environ.get("TWIN_TIME_SCALE", "1.0")),
                   help="wall-clock seconds per simulated second (0.1: ten times faster)")
    p.add_argument("--boot", type=float, default=90.0, help="simulated seconds from launch to running / InService")
    p.add_argument("--transactor-start", type=float, default=20.0, help="simulated seconds from running to storage")
    p.add_argument("--metrics-period", type=float, default=60.0)
    p.add_argument("--stack-operation", type=float, default=60.0,
                   help="simulated seconds a CloudFormation create/update stays *_IN_PROGRESS")
    p.add_argument("--plain", action="store_true",
                   help="the plain sandbox: moto with no time and no transactors, only the fix of what an instance runs")
    a = p.parse_args(argv)
    if a.plain:
        return serve_plain(a.host, a.port)
    settings = model.Settings(time_scale=a.time_scale, boot=a.boot, transactor_start=a.transactor_start,
                              metrics_period=a.metrics_period, stack_operation=a.stack_operation)
    twin = model.Twin(settings, Backends())
    patch_moto(twin)
    app = TwinApp(twin)
    server = make_server(a.host, a.port, app, threaded=True)

    def stop(*_):
        twin.stop_event.set()
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    twin.start()
    print("twin: serving on http://%s:%d, time scale %s (%s)" % (a.host, a.port, a.time_scale, settings.as_dict()), flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()

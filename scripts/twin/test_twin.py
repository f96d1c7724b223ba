"""Unit tests of the transactor twin, deterministic: moto in-process (mock_aws), simulated time stepped by hand.

    python3 -m unittest discover -s scripts/twin -p 'test_*.py'
"""
import base64
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
os.environ.setdefault("AWS_ACCESS_KEY_ID", "testing")
os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "testing")
os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")

import boto3  # noqa: E402
from moto import mock_aws  # noqa: E402

import cbor  # noqa: E402
import model  # noqa: E402
import refresh  # noqa: E402
import server  # noqa: E402

USER_DATA = """#!/bin/bash
export XMX='4g'
export JAVA_OPTS=''
cat >>aws.properties <<'DATOMIC_PROPERTIES'
protocol=ddb
aws-dynamodb-table=sys
aws-dynamodb-region=us-east-1
heartbeat-interval-msec=5000
aws-cloudwatch-region=us-east-1
aws-cloudwatch-dimension-value=sys
DATOMIC_PROPERTIES
./startup.sh
"""


class CborTest(unittest.TestCase):
    def test_round_trip(self):
        value = {"Metrics": [{"Namespace": "Datomic", "Dimensions": [{"Name": "Transactor", "Value": "x"}]}],
                 "n": -7, "big": 2 ** 40, "f": 2.5, "t": cbor.Timestamp(1700000000.25), "b": b"\x00\x01", "ok": True,
                 "none": None}
        back = cbor.decode(cbor.encode(value))
        self.assertEqual(back, value)
        self.assertIsInstance(back["t"], cbor.Timestamp)

    def test_indefinite_lengths_and_half_floats(self):
        # {_ "a": [_ 1, 2], "h": 1.5 (half)}
        data = bytes([0xBF, 0x61, 0x61, 0x9F, 0x01, 0x02, 0xFF, 0x61, 0x68, 0xF9, 0x3E, 0x00, 0xFF])
        self.assertEqual(cbor.decode(data), {"a": [1, 2], "h": 1.5})


class SettingsTest(unittest.TestCase):
    def test_reads_the_start_up_script_of_the_template(self):
        c = model.parse_user_data(base64.b64encode(USER_DATA.encode()).decode())
        self.assertEqual(c["env"]["XMX"], "4g")
        self.assertEqual(c["props"]["aws-dynamodb-table"], "sys")
        self.assertEqual(c["props"]["heartbeat-interval-msec"], "5000")
        self.assertIsNone(model.parse_user_data(base64.b64encode(b"#!/bin/bash\necho hello\n").decode()))

    def test_heap(self):
        self.assertEqual(model.heap_mib("4g"), 4096)
        self.assertEqual(model.heap_mib("-Xmx2048m"), 2048)
        self.assertIsNone(model.heap_mib("lots"))


@mock_aws
class SimulationTest(unittest.TestCase):
    """A surge in simulated time: boot, standby, the old active terminated, the standby takes over."""

    def setUp(self):
        self.twin = model.Twin(model.Settings(time_scale=1.0), server.Backends())
        server.patch_moto(self.twin)
        self.ddb = boto3.client("dynamodb", region_name="us-east-1")
        self.ec2 = boto3.client("ec2", region_name="us-east-1")
        self.asg = boto3.client("autoscaling", region_name="us-east-1")
        self.ddb.create_table(TableName="sys", BillingMode="PAY_PER_REQUEST",
                              KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
                              AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}])
        lt = self.ec2.create_launch_template(LaunchTemplateName="sys-lt", LaunchTemplateData={
            "ImageId": "ami-0a1b2c3d4e5f60001", "InstanceType": "t3.large",
            "UserData": base64.b64encode(USER_DATA.encode()).decode()})["LaunchTemplate"]["LaunchTemplateId"]
        self.asg.create_auto_scaling_group(AutoScalingGroupName="sys", LaunchTemplate={"LaunchTemplateId": lt, "Version": "$Default"},
                                           AvailabilityZones=["us-east-1a"], MinSize=1, MaxSize=2, DesiredCapacity=1)

    def advance(self, seconds):
        for _ in range(int(round(seconds / model.STEP))):
            self.twin.clock.now = round(self.twin.clock.now + model.STEP, 6)
            self.twin.step()

    def lifecycle(self):
        g = self.asg.describe_auto_scaling_groups(AutoScalingGroupNames=["sys"])["AutoScalingGroups"][0]
        return {i["InstanceId"]: i["LifecycleState"] for i in g["Instances"]}

    def states(self):
        return {t.instance_id: t.state for t in self.twin.transactors.values()}

    def test_surge(self):
        self.advance(1)
        (old,) = self.lifecycle()
        self.assertEqual(self.lifecycle()[old], "Pending")
        self.advance(90)
        self.assertEqual(self.lifecycle()[old], "InService")
        self.advance(20)
        self.assertEqual(self.states()[old], "active")

        self.asg.set_desired_capacity(AutoScalingGroupName="sys", DesiredCapacity=2)
        self.advance(1)
        new = next(i for i in self.lifecycle() if i != old)
        self.assertEqual(len(self.lifecycle()), 2, "a Pending instance counts toward the desired capacity")
        self.advance(110)
        self.assertEqual(self.states()[new], "standby")
        self.advance(60)
        self.assertIn("HeartMonitorMsec", self.twin.transactors[new].first_published)
        self.assertIn("HeartbeatMsec", self.twin.transactors[old].first_published)

        self.asg.terminate_instance_in_auto_scaling_group(InstanceId=old, ShouldDecrementDesiredCapacity=True)
        self.advance(0.1)
        self.assertEqual(self.states()[old], "dead")
        self.advance(15)
        self.assertEqual(self.states()[new], "active")
        probe = self.twin.probes["123456789012/us-east-1/sys"]
        self.assertEqual(probe.failovers, 1)
        self.assertGreater(probe.unavailable, 5.0)
        self.assertLessEqual(probe.unavailable, 2 * 5 + 1)

    def test_faults_die_after_and_alarm_in_an_ha_pair(self):
        self.twin.set_fault({"next": 1, "dieAfterSeconds": 200})
        self.twin.set_fault({"next": 1, "alarm": True})
        self.asg.set_desired_capacity(AutoScalingGroupName="sys", DesiredCapacity=2)
        self.advance(180)
        states = self.states()
        self.assertEqual(sorted(states.values()), ["active", "standby"])
        dying = next(t for t in self.twin.transactors.values() if t.faults.get("dieAfterSeconds"))
        alarmed = next(t for t in self.twin.transactors.values() if t.faults.get("alarm"))
        self.assertIn("Alarm", alarmed.first_published)
        self.advance(120)  # the dying one stops 200 s after its instance ran (at 90 s)
        self.assertEqual(dying.state, "dead")
        self.assertEqual(alarmed.state, "active")
        probe = self.twin.probes["123456789012/us-east-1/sys"]
        self.assertLessEqual(probe.unavailable, 2 * 5 + 1)
        self.assertEqual(probe.failovers, 1 if dying.history[-2]["state"] == "active" else 0)

    def test_an_image_of_another_architecture_means_the_transactor_never_starts(self):
        ud = USER_DATA  # boto3 encodes it
        arm = self.ec2.run_instances(ImageId="ami-0e9271c829888680e", InstanceType="m5.large", MinCount=1, MaxCount=1,
                                     UserData=ud)["Instances"][0]["InstanceId"]
        x86 = self.ec2.run_instances(ImageId="ami-12c6146b", InstanceType="m5.large", MinCount=1, MaxCount=1,
                                     UserData=ud)["Instances"][0]["InstanceId"]
        self.advance(111)
        self.assertEqual(self.twin.transactors[arm].state, "failed")
        self.assertIn("image ami-0e9271c829888680e is arm64 and m5.large runs x86_64", self.twin.transactors[arm].reason)
        self.assertNotEqual(self.twin.transactors[x86].state, "failed")

    def test_a_secret_read_at_boot_must_exist_in_secrets_manager(self):
        sm = boto3.client("secretsmanager", region_name="us-east-1")
        arn = sm.create_secret(Name="sys/memcached", SecretString="s3cret")["ARN"]
        fetch = ("secret_property() { value=$(aws secretsmanager get-secret-value ...) || exit 1; }\n"
                 "secret_property 'memcached-password' us-east-1 '%s'\n")
        present = USER_DATA.replace("./startup.sh", fetch % arn + "./startup.sh")
        missing = USER_DATA.replace("./startup.sh", fetch % (arn[:-6] + "Zz9Zz9") + "./startup.sh")
        config = model.parse_user_data(base64.b64encode(present.encode()).decode())
        self.assertEqual(config["secrets"], [{"key": "memcached-password", "region": "us-east-1", "arn": arn}])
        self.assertNotIn("memcached-password", config["props"])
        ok = self.ec2.run_instances(ImageId="ami-12c6146b", InstanceType="m5.large", MinCount=1, MaxCount=1,
                                    UserData=present)["Instances"][0]["InstanceId"]
        bad = self.ec2.run_instances(ImageId="ami-12c6146b", InstanceType="m5.large", MinCount=1, MaxCount=1,
                                     UserData=missing)["Instances"][0]["InstanceId"]
        self.advance(111)
        self.assertIn(self.twin.transactors[ok].state, ("active", "standby"))
        self.assertEqual(self.twin.transactors[bad].state, "failed")
        self.assertIn("cannot read memcached-password from Secrets Manager", self.twin.transactors[bad].reason)
        self.assertNotIn("s3cret", str(self.twin.status()))

    def test_a_missing_table_means_the_transactor_never_starts(self):
        self.ddb.delete_table(TableName="sys")
        self.advance(111)
        (t,) = self.twin.transactors.values()
        self.assertEqual(t.state, "failed")
        self.assertIn("storage table sys does not exist", t.reason)


@mock_aws
class StackTimeTest(unittest.TestCase):
    """A stack update takes its time, its resources change one after the other, and the group follows the launch
    template's new version when CloudFormation updates it (moto leaves it on the old one)."""

    def setUp(self):
        self.twin = model.Twin(model.Settings(time_scale=1.0, stack_operation=60.0), server.Backends())
        server.patch_moto(self.twin)
        self.cf = boto3.client("cloudformation", region_name="us-east-1")
        self.asg = boto3.client("autoscaling", region_name="us-east-1")
        self.cf.create_stack(StackName="s", TemplateBody=self.template("t3.large"))
        self.advance(200)

    @staticmethod
    def template(instance_type):
        import json
        return json.dumps({"Resources": {
            "LaunchTemplate": {"Type": "AWS::EC2::LaunchTemplate", "Properties": {"LaunchTemplateData": {
                "ImageId": "ami-0a1b2c3d4e5f60001", "InstanceType": instance_type,
                "UserData": base64.b64encode(USER_DATA.encode()).decode()}}},
            "Group": {"Type": "AWS::AutoScaling::AutoScalingGroup", "Properties": {
                "AvailabilityZones": ["us-east-1a"], "MinSize": "1", "MaxSize": "2", "DesiredCapacity": "1",
                "LaunchTemplate": {"LaunchTemplateId": {"Ref": "LaunchTemplate"},
                                   "Version": {"Fn::GetAtt": ["LaunchTemplate", "LatestVersionNumber"]}}}}}})

    def advance(self, seconds):
        for _ in range(int(round(seconds / model.STEP))):
            self.twin.clock.now = round(self.twin.clock.now + model.STEP, 6)
            self.twin.step()

    def group(self):
        return self.asg.describe_auto_scaling_groups()["AutoScalingGroups"][0]

    def events(self):
        return [(e["LogicalResourceId"], e["ResourceStatus"])
                for e in reversed(self.cf.describe_stack_events(StackName="s")["StackEvents"])]

    def test_an_update_takes_its_time_and_moves_the_group_to_the_new_version(self):
        (old,) = self.group()["Instances"]
        self.assertEqual(old["LaunchTemplate"]["Version"], "1")
        seen = len(self.events())
        self.cf.update_stack(StackName="s", TemplateBody=self.template("m5.large"))
        self.advance(1)
        self.assertEqual(self.cf.describe_stacks(StackName="s")["Stacks"][0]["StackStatus"], "UPDATE_IN_PROGRESS")
        self.assertEqual(self.events()[seen:], [("s", "UPDATE_IN_PROGRESS")])
        self.assertEqual(self.group()["LaunchTemplate"]["Version"], "1", "not before CloudFormation updates the group")
        self.advance(30)
        self.assertIn(("LaunchTemplate", "UPDATE_COMPLETE"), self.events()[seen:])
        self.advance(30)
        self.assertEqual(self.events()[seen:], [("s", "UPDATE_IN_PROGRESS"),
                                                ("LaunchTemplate", "UPDATE_IN_PROGRESS"), ("LaunchTemplate", "UPDATE_COMPLETE"),
                                                ("Group", "UPDATE_IN_PROGRESS"), ("Group", "UPDATE_COMPLETE"),
                                                ("s", "UPDATE_COMPLETE")])
        self.assertEqual(self.cf.describe_stacks(StackName="s")["Stacks"][0]["StackStatus"], "UPDATE_COMPLETE")
        group = self.group()
        self.assertEqual(group["LaunchTemplate"]["Version"], "2")
        self.assertEqual([i["InstanceId"] for i in group["Instances"]], [old["InstanceId"]], "updated in place: the instance runs on")
        self.assertEqual(group["Instances"][0]["LaunchTemplate"]["Version"], "1", "it was launched from version 1")

        self.asg.set_desired_capacity(AutoScalingGroupName=group["AutoScalingGroupName"], DesiredCapacity=2)
        new = next(i for i in self.group()["Instances"] if i["InstanceId"] != old["InstanceId"])
        self.assertEqual(new["LaunchTemplate"]["Version"], "2", "a new instance reports the version it was launched from")

    def test_a_parameter_change_touches_the_resources_that_read_it(self):
        import json
        template = json.loads(self.template("t3.large"))
        template["Parameters"] = {"InstanceType": {"Type": "String"}}
        template["Resources"]["LaunchTemplate"]["Properties"]["LaunchTemplateData"]["InstanceType"] = {"Ref": "InstanceType"}
        self.cf.create_stack(StackName="p", TemplateBody=json.dumps(template),
                             Parameters=[{"ParameterKey": "InstanceType", "ParameterValue": "t3.large"}])
        self.advance(200)
        cs = self.cf.create_change_set(StackName="p", ChangeSetName="c", ChangeSetType="UPDATE", TemplateBody=json.dumps(template),
                                       Parameters=[{"ParameterKey": "InstanceType", "ParameterValue": "m5.large"}])
        self.cf.execute_change_set(ChangeSetName=cs["Id"])
        self.advance(61)
        events = [(e["LogicalResourceId"], e["ResourceStatus"])
                  for e in reversed(self.cf.describe_stack_events(StackName="p")["StackEvents"])]
        self.assertIn(("LaunchTemplate", "UPDATE_COMPLETE"), events)
        self.assertIn(("Group", "UPDATE_COMPLETE"), events)
        group = next(g for g in self.asg.describe_auto_scaling_groups()["AutoScalingGroups"]
                     if g["AutoScalingGroupName"].startswith("p-"))
        self.assertEqual(group["LaunchTemplate"]["Version"], "2")



@mock_aws
class InstanceRefreshTest(unittest.TestCase):
    """Instance refresh in simulated time: launch before terminate above 100 % max healthy, terminate first at 100 %."""

    def setUp(self):
        self.twin = model.Twin(model.Settings(time_scale=1.0), server.Backends())
        server.patch_moto(self.twin)
        from moto.autoscaling.models import autoscaling_backends
        self.refreshes = refresh.InstanceRefreshes(self.twin, lambda a, r: autoscaling_backends[a][r])
        self.ec2 = boto3.client("ec2", region_name="us-east-1")
        self.asg = boto3.client("autoscaling", region_name="us-east-1")
        lt = self.ec2.create_launch_template(LaunchTemplateName="g-lt", LaunchTemplateData={
            "ImageId": "ami-0a1b2c3d4e5f60001", "InstanceType": "t3.large"})["LaunchTemplate"]["LaunchTemplateId"]
        self.asg.create_auto_scaling_group(AutoScalingGroupName="g", LaunchTemplate={"LaunchTemplateId": lt, "Version": "$Latest"},
                                           AvailabilityZones=["us-east-1a"], MinSize=1, MaxSize=4, DesiredCapacity=1,
                                           HealthCheckGracePeriod=30)
        self.advance(100)
        self.ec2.create_launch_template_version(LaunchTemplateId=lt, LaunchTemplateData={"InstanceType": "m5.large"})

    def advance(self, seconds):
        for _ in range(int(round(seconds / model.STEP))):
            self.twin.clock.now = round(self.twin.clock.now + model.STEP, 6)
            self.twin.step()

    def call(self, action, **form):
        status, body = self.refreshes.handle(action, {k: [str(v)] for k, v in form.items()}, "123456789012", "us-east-1")
        return status, body

    def instances(self):
        g = self.asg.describe_auto_scaling_groups(AutoScalingGroupNames=["g"])["AutoScalingGroups"][0]
        return {i["InstanceId"]: (i["LifecycleState"], i["LaunchTemplate"]["Version"]) for i in g["Instances"]}

    def test_launch_before_terminate(self):
        (old,) = self.instances()
        status, _ = self.call("StartInstanceRefresh", AutoScalingGroupName="g", **{
            "Preferences.MinHealthyPercentage": 100, "Preferences.MaxHealthyPercentage": 200,
            "Preferences.InstanceWarmup": 60, "Preferences.SkipMatching": "true"})
        self.assertEqual(status, 200)
        self.assertEqual(self.call("StartInstanceRefresh", AutoScalingGroupName="g")[0], 400, "one refresh at a time")
        self.advance(10)
        self.assertEqual(len(self.instances()), 2, "the new instance is launched first")
        self.assertIn("<Status>InProgress</Status>", self.call("DescribeInstanceRefreshes", AutoScalingGroupName="g")[1])
        self.advance(90 + 40)  # launched at 5 s, InService at 95 s, warmed up at 155 s (from the start)
        self.assertIn(old, self.instances(), "the old one stays until the new one has warmed up")
        self.advance(20)
        self.assertNotIn(old, self.instances())
        (new,) = self.instances()
        self.assertEqual(self.instances()[new], ("InService", "2"))
        self.advance(1)
        body = self.call("DescribeInstanceRefreshes", AutoScalingGroupName="g")[1]
        self.assertIn("<Status>Successful</Status>", body)
        self.assertIn("<PercentageComplete>100</PercentageComplete>", body)

    def test_terminate_first_at_the_default_max_healthy(self):
        (old,) = self.instances()
        self.call("StartInstanceRefresh", AutoScalingGroupName="g")
        self.advance(6)
        self.assertNotIn(old, self.instances(), "a group of one loses its only instance at once")
        self.assertEqual([s for s, _ in self.instances().values()], ["Pending"])
        self.advance(90 + 31)
        self.assertIn("<Status>Successful</Status>", self.call("DescribeInstanceRefreshes", AutoScalingGroupName="g")[1])

    def test_cancel(self):
        self.call("StartInstanceRefresh", AutoScalingGroupName="g", **{
            "Preferences.MinHealthyPercentage": 100, "Preferences.MaxHealthyPercentage": 200})
        self.advance(10)
        self.assertEqual(self.call("CancelInstanceRefresh", AutoScalingGroupName="g")[0], 200)
        self.advance(200)
        self.assertIn("<Status>Cancelled</Status>", self.call("DescribeInstanceRefreshes", AutoScalingGroupName="g")[1])
        self.assertEqual(self.call("CancelInstanceRefresh", AutoScalingGroupName="g")[0], 400)



class PlainAlarmsOverCborTest(unittest.TestCase):
    """The plain sandbox serves CloudWatch's alarm operations in RPC v2 CBOR, the AWS SDK for Java's protocol for it,
    through moto's JSON protocol; metric reads stay unanswered (404), as they always were in the plain sandbox."""

    def call(self, app, operation, body):
        from werkzeug.test import EnvironBuilder
        raw = cbor.encode(body)
        environ = EnvironBuilder(path="/service/GraniteServiceVersion20100801/operation/" + operation, method="POST", data=raw,
                                 headers={"Content-Type": "application/cbor", "Smithy-Protocol": "rpc-v2-cbor",
                                          "Authorization": "AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/monitoring/"
                                                           "aws4_request, SignedHeaders=host, Signature=x"}).get_environ()
        status = {}
        out = b"".join(app(environ, lambda s, headers, exc_info=None: status.setdefault("line", s)))
        return status["line"], (cbor.decode(out) if out and status["line"].startswith("2") else out)

    @mock_aws
    def test_put_set_and_describe_an_alarm(self):
        app = server.PlainApp()
        status, _ = self.call(app, "PutMetricAlarm", {
            "AlarmName": "sys-heartbeat", "Namespace": "Datomic", "MetricName": "HeartbeatMsec", "Statistic": "SampleCount",
            "Period": 60, "EvaluationPeriods": 3, "Threshold": 1.0, "ComparisonOperator": "LessThanThreshold",
            "TreatMissingData": "breaching", "Dimensions": [{"Name": "Transactor", "Value": "sys"}],
            "Tags": [{"Key": "datomic-gitops:system", "Value": "sys"}]})
        self.assertTrue(status.startswith("200"), status)
        self.assertTrue(self.call(app, "SetAlarmState", {"AlarmName": "sys-heartbeat", "StateValue": "ALARM",
                                                         "StateReason": "no heartbeat"})[0].startswith("200"))
        status, out = self.call(app, "DescribeAlarms", {"AlarmNames": ["sys-heartbeat"]})
        alarm = out["MetricAlarms"][0]
        self.assertEqual((alarm["StateValue"], alarm["StateReason"], alarm["TreatMissingData"]), ("ALARM", "no heartbeat", "breaching"))
        self.assertTrue(alarm["AlarmArn"].endswith(":alarm:sys-heartbeat"))
        self.assertIsInstance(alarm["StateUpdatedTimestamp"], cbor.Timestamp)
        _, tags = self.call(app, "ListTagsForResource", {"ResourceARN": alarm["AlarmArn"]})
        self.assertEqual(tags["Tags"], [{"Key": "datomic-gitops:system", "Value": "sys"}])

    @mock_aws
    def test_metric_reads_stay_unanswered(self):
        status, _ = self.call(server.PlainApp(), "ListMetrics", {"Namespace": "Datomic"})
        self.assertTrue(status.startswith("404"), status)

if __name__ == "__main__":
    unittest.main()

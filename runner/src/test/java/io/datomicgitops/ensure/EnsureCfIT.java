package io.datomicgitops.ensure;

import io.datomicgitops.ExitCode;
import io.datomicgitops.ToolException;
import io.datomicgitops.aws.ApiCallCounter;
import io.datomicgitops.aws.AwsClients;
import io.datomicgitops.config.PropertiesFile;
import io.datomicgitops.report.Log;
import io.datomicgitops.testing.Sandbox;
import io.datomicgitops.testing.SandboxExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.SecurityGroup;
import software.amazon.awssdk.services.iam.model.Role;

import java.time.Clock;
import java.util.Map;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** ensure-cf against the sandbox. */
@ExtendWith(SandboxExtension.class)
class EnsureCfIT {
    static final String SYSTEM = "orders";
    static final String VERSION = "1.0.7277";

    private Sandbox sandbox;
    private String peersId;

    @BeforeEach
    void accountWithPeersAndTransactorRole(Sandbox sandbox) {
        this.sandbox = sandbox;
        sandbox.reset();
        peersId = with(aws -> {
            new AwsSetup(aws).role("datomic-aws-transactor", Map.of());
            return aws.ec2("us-east-1").createSecurityGroup(r -> r.groupName("orders-peers").description("peers")).groupId();
        });
    }

    <T> T with(Function<AwsClients, T> f) {
        try (AwsClients aws = sandbox.clients()) {
            return f.apply(aws);
        }
    }

    static PropertiesFile tx() {
        return Fixtures.file("transactor.properties", "# aws-transactor-role=\n", "aws-transactor-role=datomic-aws-transactor\n");
    }

    EnsureTransactorIT.Run run(PropertiesFile cf, PropertiesFile tx, EnsureOptions options) {
        ApiCallCounter counter = new ApiCallCounter();
        try (AwsClients aws = sandbox.clients(counter)) {
            return new EnsureTransactorIT.Run(new EnsureService(aws, Log.NONE, Clock.systemUTC()).ensureCf(cf, tx, options), counter);
        }
    }

    EnsureOptions options() {
        return EnsureOptions.apply(SYSTEM).withDatomicVersion(VERSION);
    }

    SecurityGroup group(String name) {
        return with(aws -> aws.ec2("us-east-1").describeSecurityGroups(r -> r.filters(Filter.builder().name("group-name").values(name).build()))
                .securityGroups().get(0));
    }

    @Test
    void freshGroupProfileAndDatomicsDefaultsThenNothingTheSecondTime() {
        PropertiesFile cf = Fixtures.file("cf.properties");
        String original = cf.text();
        EnsureTransactorIT.Run plan = run(cf, tx(), options().withPlan(true));
        assertThat(plan.counter().mutatingTotal()).isZero();
        assertThat(cf.text()).isEqualTo(original);
        assertThat(Fixtures.lines(plan.result())).containsExactly(
                "create security-group orders-transactor",
                "create ingress-rule orders-transactor tcp/4334 from orders-peers (" + peersId + ")",
                "create ingress-rule orders-transactor tcp/4334 from 10.20.0.0/16",
                "create instance-profile datomic-aws-transactor");
        assertThat(plan.result().keysWritten()).containsExactly(Map.entry("java-xmx", "2625m"), Map.entry("java-opts", ""),
                Map.entry("datomic-version", VERSION));

        EnsureTransactorIT.Run apply = run(cf, tx(), options());
        assertThat(apply.counter().mutating()).isEqualTo(Fixtures.plannedCalls(plan.result()));
        assertThat(cf.text()).as("Datomic's three keys, in place or next to their template line").isEqualTo(original
                .replace("\njava-xmx=\n", "\njava-xmx=2625m\n")
                .replace("# java-opts='-XX:+UseG1GC -XX:MaxGCPauseMillis=50'\n", "# java-opts='-XX:+UseG1GC -XX:MaxGCPauseMillis=50'\njava-opts=\n")
                .replace("\ndatomic-version=\n", "\ndatomic-version=" + VERSION + "\n"));

        SecurityGroup sg = group("orders-transactor");
        assertThat(SecurityGroups.rules(sg)).extracting(Object::toString)
                .containsExactlyInAnyOrder("tcp/4334 from " + peersId, "tcp/4334 from 10.20.0.0/16");
        assertThat(Tags.toMap(sg.tags(), software.amazon.awssdk.services.ec2.model.Tag::key, software.amazon.awssdk.services.ec2.model.Tag::value))
                .containsEntry(Tags.KEY, "aws-security-group").containsEntry(Tags.SYSTEM, SYSTEM);
        java.util.List<Role> profileRoles = with(aws -> aws.iam().getInstanceProfile(r -> r.instanceProfileName("datomic-aws-transactor")).instanceProfile().roles());
        assertThat(profileRoles).extracting(Role::roleName).containsExactly("datomic-aws-transactor");

        byte[] before = cf.toBytes();
        EnsureTransactorIT.Run again = run(cf, tx(), options());
        assertThat(again.counter().mutating()).isEmpty();
        assertThat(cf.toBytes()).isEqualTo(before);
        assertThat(again.result().changed()).isFalse();
    }

    @Test
    void onlyMissingRulesAreAddedAndHandMadeRulesAreReportedNotRevoked() {
        PropertiesFile cf = Fixtures.file("cf.properties");
        run(cf, tx(), options());
        String sg = group("orders-transactor").groupId();
        with(aws -> aws.ec2("us-east-1").authorizeSecurityGroupIngress(r -> r.groupId(sg).ipPermissions(p -> p.ipProtocol("tcp")
                .fromPort(22).toPort(22).ipRanges(i -> i.cidrIp("0.0.0.0/0")))));
        cf.set("aws-ingress-cidrs", "10.20.0.0/16,10.30.0.0/16");

        EnsureTransactorIT.Run plan = run(cf, tx(), options().withPlan(true));
        assertThat(Fixtures.lines(plan.result())).contains(
                "unchanged ingress-rule orders-transactor tcp/4334 from 10.20.0.0/16",
                "create ingress-rule orders-transactor tcp/4334 from 10.30.0.0/16",
                "manual-rule-kept ingress-rule orders-transactor tcp/22 from 0.0.0.0/0");
        EnsureTransactorIT.Run apply = run(cf, tx(), options());
        assertThat(apply.counter().mutating()).isEqualTo(Map.of("Ec2:AuthorizeSecurityGroupIngress", 1L));
        assertThat(SecurityGroups.rules(group("orders-transactor"))).extracting(Object::toString).contains("tcp/22 from 0.0.0.0/0", "tcp/4334 from 10.30.0.0/16");
    }

    @Test
    void aGroupMayAdmitItselfAndABroaderRuleCoversTheTransactorPort() {
        String own = with(aws -> aws.ec2("us-east-1").createSecurityGroup(r -> r.groupName("orders-transactor").description("by hand")).groupId());
        with(aws -> aws.ec2("us-east-1").authorizeSecurityGroupIngress(r -> r.groupId(own).ipPermissions(p -> p.ipProtocol("tcp")
                .fromPort(4000).toPort(5000).ipRanges(i -> i.cidrIp("10.20.0.0/16")))));
        PropertiesFile cf = Fixtures.file("cf.properties", "aws-ingress-groups=orders-peers", "aws-ingress-groups=orders-transactor");
        EnsureTransactorIT.Run plan = run(cf, tx(), options().withPlan(true));
        assertThat(Fixtures.lines(plan.result())).containsExactly(
                "unchanged security-group orders-transactor",
                "create ingress-rule orders-transactor tcp/4334 from orders-transactor (itself)",
                "unchanged ingress-rule orders-transactor tcp/4334 from 10.20.0.0/16",
                "create instance-profile datomic-aws-transactor");
        assertThat(plan.result().resources().get(2).note()).isEqualTo("covered by the rule tcp/4000-5000 from 10.20.0.0/16");
        run(cf, tx(), options());
        assertThat(SecurityGroups.rules(group("orders-transactor"))).extracting(Object::toString).contains("tcp/4334 from " + own);
        assertThat(run(cf, tx(), options()).counter().mutating()).isEmpty();
    }

    @Test
    void withoutATransactorFileTheProfileNamedInCfMustExist() {
        PropertiesFile cf = Fixtures.file("cf.properties");
        assertThatThrownBy(() -> run(cf, null, options().withPlan(true))).isInstanceOfSatisfying(ToolException.class, e -> {
            assertThat(e.exitCode()).isEqualTo(ExitCode.INVALID_CONFIG);
            assertThat(e.getMessage()).contains("ensure-cf needs the transactor role").contains("pass --transactor transactor.properties");
        });
        cf.set("aws-instance-profile", "orders-profile");
        assertThatThrownBy(() -> run(cf, null, options().withPlan(true))).hasMessageContaining("instance profile orders-profile does not exist");
        with(aws -> {
            new AwsSetup(aws).profile("orders-profile", "datomic-aws-transactor");
            return null;
        });
        EnsureTransactorIT.Run plan = run(cf, null, options().withPlan(true));
        assertThat(Fixtures.lines(plan.result())).contains("unchanged instance-profile orders-profile");
    }

    @Test
    void theTransactorRoleMustExistAndAProfileMayHoldOnlyIt() {
        PropertiesFile cf = Fixtures.file("cf.properties");
        PropertiesFile noRole = Fixtures.file("transactor.properties");
        assertThatThrownBy(() -> run(cf, noRole, options())).hasMessageContaining("run ensure-transactor first");
        PropertiesFile missingRole = Fixtures.file("transactor.properties", "# aws-transactor-role=\n", "aws-transactor-role=nobody\n");
        assertThatThrownBy(() -> run(cf, missingRole, options())).hasMessageContaining("IAM role nobody does not exist");
        with(aws -> {
            new AwsSetup(aws).role("other", Map.of());
            new AwsSetup(aws).profile("datomic-aws-transactor", "other");
            return null;
        });
        assertThatThrownBy(() -> run(cf, tx(), options().withPlan(true)))
                .hasMessageContaining("instance profile datomic-aws-transactor already holds role other");
    }

    @Test
    void datomicVersionIsRequiredFromTheFileOrTheOption() {
        PropertiesFile cf = Fixtures.file("cf.properties");
        assertThatThrownBy(() -> run(cf, tx(), EnsureOptions.apply(SYSTEM).withPlan(true))).isInstanceOfSatisfying(ToolException.class, e -> {
            assertThat(e.exitCode()).isEqualTo(ExitCode.INVALID_CONFIG);
            assertThat(e.getMessage()).startsWith("cf.properties:45: datomic-version is missing, and the native engine has no Datomic distribution")
                    .contains("or pass --datomic-version");
        });
        cf.set("datomic-version", "1.0.7000");
        EnsureTransactorIT.Run plan = run(cf, tx(), options().withPlan(true));
        assertThat(plan.result().keysWritten()).doesNotContainKey("datomic-version");
        assertThat(plan.result().warnings()).anySatisfy(w -> assertThat(w).contains("datomic-version=1.0.7000 is kept"));
    }

    @Test
    void javaXmxComesFromTheInstanceTypesMemoryAndAnUnknownTypeIsAnError() {
        EnsureTransactorIT.Run m5 = run(Fixtures.file("cf.properties", "c3.large", "m5.xlarge"), tx(), options().withPlan(true));
        assertThat(m5.result().keysWritten()).as("Datomic's rule on m5.xlarge's 16384 MiB").containsEntry("java-xmx", "11468m");
        assertThatThrownBy(() -> run(Fixtures.file("cf.properties", "c3.large", "zz9.huge"), tx(), options().withPlan(true)))
                .hasMessageContaining("cf.properties:7: unknown instance type zz9.huge").hasMessageContaining("set java-xmx yourself");
        EnsureTransactorIT.Run given = run(Fixtures.file("cf.properties", "java-xmx=\n", "java-xmx=3g\n"), tx(), options().withPlan(true));
        assertThat(given.result().keysWritten()).doesNotContainKey("java-xmx");
    }

    @Test
    void badIngressAndMissingRequiredKeysAreClearErrors() {
        assertThatThrownBy(() -> run(Fixtures.file("cf.properties", "=orders-peers", "=nobody-here"), tx(), options().withPlan(true)))
                .hasMessageContaining("cf.properties:36: aws-ingress-groups names security group 'nobody-here', which does not exist in vpc-");
        assertThatThrownBy(() -> run(Fixtures.file("cf.properties", "=orders-peers", "=210987654321:peers"), tx(), options().withPlan(true)))
                .hasMessageContaining("names a group of another account by name").hasMessageContaining("write it as 210987654321:sg-<group id>");
        assertThatThrownBy(() -> run(Fixtures.file("cf.properties", "aws-security-group=orders-transactor", "aws-security-group=",
                "datomic-deploy-s3-bucket=orders-datomic-deploy", "# none"), tx(), options().withPlan(true)))
                .hasMessageContaining("required keys aws-security-group, datomic-deploy-s3-bucket are missing or blank");
    }
}

package io.datomicgitops.stack;

import io.datomicgitops.ExitCode;
import io.datomicgitops.ToolException;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StackTemplateTest {
    private static final String IAM = """
            {"Parameters": {
               "Size": {"Type": "Number", "Default": 1},
               "Subnets": {"Type": "CommaDelimitedList", "Default": ["subnet-1", "subnet-2"]},
               "Token": {"Type": "String", "NoEcho": "true"},
               "Name": {"Type": "String"}},
             "Resources": {
               "Role": {"Type": "AWS::IAM::Role", "Properties": {"AssumeRolePolicyDocument": {}}},
               "Profile": {"Type": "AWS::IAM::InstanceProfile", "Condition": "WantProfile", "Properties": {"Roles": []}}}}
            """;

    @Test
    void readsParametersWithDefaultsAndNoEchoAndNeedsIamCapability() {
        StackTemplate t = StackTemplate.parse(IAM, "cf.json");
        assertThat(t.parameters().get("Size").defaultValue()).contains("1");
        assertThat(t.parameters().get("Subnets").defaultValue()).contains("subnet-1,subnet-2");
        assertThat(t.noEchoKeys(Set.of("Name"))).containsExactlyInAnyOrder("Token", "Name");
        assertThat(t.requiredCapabilities()).containsExactly("CAPABILITY_IAM");
        assertThat(t.resources()).extracting(StackTemplate.Resource::logicalId).containsExactly("Role", "Profile");
        assertThat(t.resources().get(1).condition()).contains("WantProfile");
    }

    @Test
    void namedIamResourcesNeedTheNamedCapability() {
        StackTemplate t = StackTemplate.parse("""
                {"Resources": {"Role": {"Type": "AWS::IAM::Role", "Properties": {"RoleName": "datomic-aws-transactor"}}}}""", "cf.json");
        assertThat(t.requiredCapabilities()).containsExactly("CAPABILITY_IAM", "CAPABILITY_NAMED_IAM");
    }

    @Test
    void resolvesEveryParameterExplicitlyAndRejectsUnknownOrMissingOnes() {
        StackTemplate t = StackTemplate.parse(IAM, "cf.json");
        assertThat(t.resolveParameters(Map.of("Token", "t0k", "Name", "prod"), "stack x"))
                .containsExactly(Map.entry("Size", "1"), Map.entry("Subnets", "subnet-1,subnet-2"), Map.entry("Token", "t0k"),
                        Map.entry("Name", "prod"));
        assertThatThrownBy(() -> t.resolveParameters(Map.of("Token", "t", "Name", "n", "Sise", "2"), "stack x"))
                .hasMessage("stack x: parameter Sise is not declared in the template (remove it, or use one of: Size, Subnets, Token, Name)");
        assertThatThrownBy(() -> t.resolveParameters(Map.of("Token", "t"), "stack x"))
                .hasMessageContaining("parameter Name has no value and no Default").hasMessageContaining("--parameter Name=VALUE");
    }

    @Test
    void measuresTheBodyInUtf8BytesAgainstTheInlineLimit() {
        String body = "{\"Resources\": {\"A\": {\"Type\": \"AWS::SNS::Topic\"}}, \"Description\": \"" + "é".repeat(25_600) + "\"}";
        StackTemplate t = StackTemplate.parse(body, "cf.json");
        assertThat(body.length()).isLessThan(StackTemplate.INLINE_LIMIT_BYTES);
        assertThat(t.bytes()).isGreaterThan(StackTemplate.INLINE_LIMIT_BYTES);
        assertThat(t.fitsInline()).isFalse();
    }

    @Test
    void rejectsNonJsonAndTemplatesWithoutResources() {
        assertThatThrownBy(() -> StackTemplate.parse("Resources:\n  A: {Type: AWS::SNS::Topic}\n", "cf.yml"))
                .isInstanceOfSatisfying(ToolException.class, e -> {
                    assertThat(e.exitCode()).isEqualTo(ExitCode.INVALID_CONFIG);
                    assertThat(e.getMessage()).startsWith("cf.yml: the template is not valid JSON (line 1").contains("YAML templates are not supported");
                });
        assertThatThrownBy(() -> StackTemplate.parse("{\"Resources\": {}}", "cf.json")).hasMessageContaining("no Resources object");
    }
}

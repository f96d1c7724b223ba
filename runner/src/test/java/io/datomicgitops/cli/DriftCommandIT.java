package io.datomicgitops.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.datomicgitops.report.Json;
import io.datomicgitops.testing.ConfigRepoFixture;
import io.datomicgitops.testing.Sandbox;
import io.datomicgitops.testing.SandboxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code drift} against the sandbox: after a deployment AWS matches git (exit 0); changes made by hand in AWS — an
 * inline policy edited, the stack updated outside the tool, a protection turned off, an ingress rule added — are each
 * named, with one summary line for the stack, and exit 2. Nothing is changed by the check.
 */
@ExtendWith(SandboxExtension.class)
class DriftCommandIT {
    @TempDir
    Path tmp;

    private static JsonNode json(Path p) throws Exception {
        return Json.mapper().readTree(Files.readString(p));
    }

    /** The differences of the report's drift phase, as "kind name field: git X, AWS Y". */
    private static List<String> differences(JsonNode report) {
        List<String> out = new ArrayList<>();
        for (JsonNode phase : report.path("phases")) {
            if (!"drift".equals(phase.path("phase").asText())) continue;
            for (JsonNode d : phase.path("result").path("differences")) {
                out.add(d.path("kind").asText() + " " + d.path("name").asText() + " " + d.path("field").asText() + ": git "
                        + d.path("git").asText() + ", AWS " + d.path("aws").asText());
            }
        }
        return out;
    }

    @Test
    void aStackNeverDeployedIsNotDriftAndTheCheckNeedsNoSecret(Sandbox sandbox) throws Exception {
        sandbox.reset();
        ConfigRepoFixture repo = ConfigRepoFixture.create(tmp.resolve("repo"), sandbox);
        assertThat(repo.checkout().exitCode()).isZero();
        repo.env.remove("DATOMIC_LICENSE_KEY");

        Path report = tmp.resolve("never.json");
        CliRun drift = repo.run("drift", "--dir", repo.clone.toString(), "--report", report.toString());
        assertThat(drift.exitCode()).as("%s%n%s", drift.out(), drift.err()).isZero();
        assertThat(drift.out()).contains("demo (demo-datomic-transactor): AWS matches git (git also holds changes not deployed yet)");
        assertThat(differences(json(report))).isEmpty();
        assertThat(json(report).path("awsCalls").path("mutating").asLong()).isZero();
    }

    @Test
    void handMadeChangesInAwsAreEachNamedAndExitTwoAfterADeploymentThatMatchesGit(Sandbox sandbox) throws Exception {
        sandbox.reset();
        ConfigRepoFixture repo = ConfigRepoFixture.create(tmp.resolve("repo"), sandbox);
        assertThat(repo.checkout().exitCode()).isZero();
        CliRun apply = repo.run("apply", "--dir", repo.clone.toString(), "--approved-by", "alice", "--report", tmp.resolve("apply.json").toString());
        assertThat(apply.exitCode()).as(apply.err()).isZero();

        Path clean = tmp.resolve("clean.json");
        CliRun same = repo.run("drift", "--dir", repo.clone.toString(), "--report", clean.toString());
        assertThat(same.exitCode()).as("%s%n%s", same.out(), same.err()).isZero();
        assertThat(same.out()).contains("demo (demo-datomic-transactor): AWS matches git", "AWS matches git");
        assertThat(differences(json(clean))).isEmpty();

        DriftBranchIT.handMadeChanges(sandbox);

        Path report = tmp.resolve("drift.json");
        CliRun drift = repo.run("drift", "--dir", repo.clone.toString(), "--report", report.toString());
        assertThat(drift.exitCode()).as("%s%n%s", drift.out(), drift.err()).isEqualTo(2);
        List<String> found = differences(json(report));
        assertThat(found).contains(
                "template demo-datomic-transactor Description: git as in cf.json, AWS different",
                "dynamodb-table demo-datomic deletion-protection: git enabled, AWS disabled");
        assertThat(found).anySatisfy(d -> assertThat(d).startsWith("iam-policy datomic-aws-peer/demo-datomic-peer document: git {")
                .contains("\"dynamodb:GetItem\"").endsWith(", AWS {\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"dynamodb:*\",\"Resource\":\"*\"}]}"));
        assertThat(found).as("nothing else differs").hasSize(3);
        assertThat(drift.out()).contains("demo (demo-datomic-transactor): " + found.size() + " difference(s) between AWS and git in ",
                "drift found");
        assertThat(json(report).path("exitCode").asInt()).isEqualTo(2);
        assertThat(json(report).path("awsCalls").path("mutating").asLong()).as("the check changes nothing").isZero();
    }
}

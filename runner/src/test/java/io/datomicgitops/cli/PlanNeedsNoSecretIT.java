package io.datomicgitops.cli;

import io.datomicgitops.testing.ConfigRepoFixture;
import io.datomicgitops.testing.Sandbox;
import io.datomicgitops.testing.SandboxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A pull request's plan runs without the secrets (a PR build must not hold the license key): plan checks each
 * placeholder against the allow-list and resolves none. Apply, which needs them, still says which is missing.
 */
@ExtendWith(SandboxExtension.class)
class PlanNeedsNoSecretIT {
    @TempDir
    Path tmp;

    @Test
    void planWithoutTheSecretPlansAndApplyNamesIt(Sandbox sandbox) throws Exception {
        sandbox.reset();
        ConfigRepoFixture repo = ConfigRepoFixture.create(tmp, sandbox);
        // the example stack needs no secret (Datomic 1.0.7277 needs no license key): give it a memcached password
        String tx = "stacks/demo/transactor.properties";
        repo.push(Map.of(tx, repo.remoteFile(tx).replace("aws-dynamodb-table=demo-datomic\n",
                "memcached-password=${env:DATOMIC_MEMCACHED_PASSWORD}\naws-dynamodb-table=demo-datomic\n")), "a memcached password");
        assertThat(repo.env).doesNotContainKey("DATOMIC_MEMCACHED_PASSWORD");
        assertThat(repo.checkout().exitCode()).isZero();

        CliRun plan = repo.run("plan", "--dir", repo.clone.toString(), "--report", tmp.resolve("p.json").toString(),
                "--plan-md", tmp.resolve("p.md").toString());
        assertThat(plan.exitCode()).as(plan.out() + plan.err()).isEqualTo(2);
        assertThat(plan.err()).doesNotContain("error:");
        assertThat(Files.readString(tmp.resolve("p.md"))).contains("DATOMIC_MEMCACHED_PASSWORD, which is not set here: apply needs it set");

        CliRun apply = repo.run("apply", "--dir", repo.clone.toString(), "--report", tmp.resolve("a.json").toString());
        assertThat(apply.exitCode()).as(apply.err()).isEqualTo(3);
        assertThat(apply.err()).contains("refers to the environment variable DATOMIC_MEMCACHED_PASSWORD, which is not set");
    }
}

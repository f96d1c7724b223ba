package io.datomicgitops.record;

import io.datomicgitops.config.Redactor;
import io.datomicgitops.git.GitRepo;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** A failed deployment's tag says what was attempted, why it failed and what git did, and reads back as it was written. */
class FailedDeploymentTest {
    private static final String ATTEMPTED = "19097a3a6238a6c3257f6f67ec78ccd672cb4ea7";
    private static final String RETURN = "5c1e0a7f3b9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f";

    private static FailedDeployment failure(String reason, List<String> events) {
        return new FailedDeployment("demo", "demo-datomic-transactor", ATTEMPTED, Instant.parse("2026-12-07T21:36:36Z"), reason,
                FailedDeployment.Result.ROLLED_BACK, "UPDATE_ROLLBACK_COMPLETE", events);
    }

    @Test
    void theTagReadsBackAsWrittenAndTheLineNamesTheWayToTryAgain() {
        FailedDeployment f = failure("the update failed and was rolled back: LaunchGroup UPDATE_FAILED (no capacity)\nsecond line",
                List.of("2026-12-07T21:36:37Z LaunchGroup AWS::AutoScaling::AutoScalingGroup UPDATE_FAILED no capacity"));
        assertThat(f.tagName()).isEqualTo("deploy/demo/20261207T213636Z-failed");
        String message = f.tagMessage(Optional.of(RETURN));
        GitRepo.TagRef tag = new GitRepo.TagRef(f.tagName(), RETURN, Instant.parse("2026-12-07T21:36:40Z"), message.strip());

        FailedDeployment.Recorded read = FailedDeployment.parse(tag).orElseThrow();
        assertThat(read).isEqualTo(new FailedDeployment.Recorded(f.tagName(), "2026-12-07T21:36:36Z", ATTEMPTED, "rolled-back",
                "the update failed and was rolled back: LaunchGroup UPDATE_FAILED (no capacity)", "UPDATE_ROLLBACK_COMPLETE", RETURN));
        assertThat(FailedDeployment.describe(read)).isEqualTo("last apply of 19097a3a62 failed at 2026-12-07T21:36:36Z (rolled-back): "
                + "the update failed and was rolled back: LaunchGroup UPDATE_FAILED (no capacity) (tag deploy/demo/20261207T213636Z-failed); "
                + "git returned to what AWS runs in 5c1e0a7f3b: to deploy that change again, revert 5c1e0a7f3b through a pull request");
        assertThat(FailedDeployment.parse(new GitRepo.TagRef("deploy/demo/20261207T213636Z", RETURN, null, message))).as("a deployment's tag").isEmpty();
    }

    @Test
    void aSecretInTheReasonOrAnEventIsMaskedBeforeItReachesGit() {
        String secret = "NoEcho-value-3f9a77";
        Redactor.global().register(secret);
        FailedDeployment f = failure("rejected parameter " + secret, List.of("LaunchGroup UPDATE_FAILED value " + secret + " invalid"));
        assertThat(f.tagMessage(Optional.empty())).doesNotContain(secret).contains("rejected parameter ****");
        assertThat(f.returnMessage(ATTEMPTED, List.of("cf.json"), new Approval("bob", null)).text()).doesNotContain(secret)
                .contains("Result: rolled-back\nAttempted: " + ATTEMPTED);
    }
}

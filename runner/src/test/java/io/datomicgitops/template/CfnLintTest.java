package io.datomicgitops.template;

import io.datomicgitops.config.PropertiesFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every generated template passes the real cfn-lint with no finding at all (no error, no warning). */
class CfnLintTest {

    @Test
    void everyCaseInBothLaunchModesIsClean(@TempDir Path dir) throws Exception {
        List<Path> files = new ArrayList<>();
        for (TemplateFixtures f : TemplateFixtures.all()) {
            for (String launch : List.of(TemplateOptions.LAUNCH_TEMPLATE, TemplateOptions.LAUNCH_CONFIGURATION)) {
                GeneratedTemplate t = new TemplateGenerator().generate(f.tx(), f.cf(), new TemplateOptions(launch));
                Path file = dir.resolve(f.name() + "-" + launch + ".json");
                Files.write(file, t.bytes());
                files.add(file);
            }
        }
        CfnLint.Result result = CfnLint.locate().lint("us-east-1", files);
        assertThat(result.output()).as("cfn-lint findings").isEmpty();
        assertThat(result.exitCode()).isZero();
    }

    @Test
    void anOwnImageInAnotherRegionIsCleanForThatRegion(@TempDir Path dir) throws Exception {
        TemplateFixtures f = TemplateFixtures.named("custom-ami");
        PropertiesFile cf = f.cf();
        cf.set("aws-region", "ap-southeast-5");
        Path file = dir.resolve("own-region.json");
        Files.write(file, new TemplateGenerator().generate(f.tx(), cf, f.options()).bytes());
        CfnLint.Result result = CfnLint.locate().lint("ap-southeast-5", List.of(file));
        assertThat(result.output()).isEmpty();
        assertThat(result.exitCode()).isZero();
    }

    @Test
    void aMissingCfnLintFailsWithWhatToInstallRatherThanSkipping(@TempDir Path dir) {
        assertThatThrownBy(() -> CfnLint.locate(dir.resolve("bin").toString(), dir))
                .isInstanceOf(AssertionError.class)
                .hasMessageStartingWith("cfn-lint is not installed, and the template tests need it: install it for python3");
    }

    @Test
    void lintCatchesABrokenTemplate(@TempDir Path dir) throws Exception {
        // the check above is only worth something if cfn-lint does find errors in what we hand it
        String json = TemplateFixtures.named("minimal-ddb").generate().json()
                .replace("\"Ref\": \"MaxGroupSize\"", "\"Ref\": \"NoSuchParameter\"");
        Path file = dir.resolve("broken.json");
        Files.writeString(file, json);
        CfnLint.Result result = CfnLint.locate().lint("us-east-1", List.of(file));
        assertThat(result.hasErrors()).isTrue();
        assertThat(result.output()).contains("NoSuchParameter");
    }
}

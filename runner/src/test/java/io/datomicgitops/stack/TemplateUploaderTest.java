package io.datomicgitops.stack;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TemplateUploaderTest {
    @Test
    void templateUrlsUseTheAwsFormWhateverTheEndpoint() {
        assertThat(TemplateUploader.templateUrl("my-templates", "eu-west-1", "datomic-gitops/prod/ab.json"))
                .isEqualTo("https://my-templates.s3.eu-west-1.amazonaws.com/datomic-gitops/prod/ab.json");
        // dots in a bucket name break the virtual host's certificate: path style
        assertThat(TemplateUploader.templateUrl("templates.example.com", "us-east-1", "k.json"))
                .isEqualTo("https://s3.us-east-1.amazonaws.com/templates.example.com/k.json");
        assertThat(TemplateUploader.templateUrl("t", "cn-north-1", "k.json")).isEqualTo("https://t.s3.cn-north-1.amazonaws.com.cn/k.json");
        assertThat(TemplateUploader.defaultBucket("123456789012", "ap-southeast-3")).hasSizeLessThanOrEqualTo(63);
    }
}

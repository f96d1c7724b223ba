package io.datomicgitops.configrepo;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class ConfigHashTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** A clone checked out with CRLF (a .gitattributes eol rule) holds what was deployed from an LF one. */
    @Test
    void hashesContentNotLineEndings() {
        String lf = ConfigHash.of(b("protocol=ddb\nport=4334\n"), b("aws-region=us-east-1\n"), b("{\n}\n"), b("stack-name=x\n"));
        String crlf = ConfigHash.of(b("protocol=ddb\r\nport=4334\r\n"), b("aws-region=us-east-1\r\n"), b("{\r\n}\r\n"), b("stack-name=x\r\n"));
        assertThat(crlf).isEqualTo(lf);
        assertThat(ConfigHash.of(b("protocol=ddb\nport=4335\n"), b("aws-region=us-east-1\n"), b("{\n}\n"), b("stack-name=x\n")))
                .isNotEqualTo(lf);
    }
}

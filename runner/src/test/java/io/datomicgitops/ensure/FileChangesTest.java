package io.datomicgitops.ensure;

import io.datomicgitops.config.PropertiesFile;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FileChangesTest {
    private static final PropertiesFile BEFORE = PropertiesFile.parse("tx", "protocol=ddb\naws-dynamodb-table=t\naws-peer-role=\n"
            + "license-key=secret-value\n# aws-transactor-role=\n");

    @Test
    void valuesForGeneratedKeysAreTaken() {
        PropertiesFile after = PropertiesFile.parse("tx", "protocol=ddb\naws-dynamodb-table=t\naws-peer-role=datomic-aws-peer\n"
                + "license-key=secret-value\naws-transactor-role=datomic-aws-transactor\n");
        FileChanges c = FileChanges.between(BEFORE, after, TransactorPlanner.WRITTEN_KEYS);
        assertThat(c.violations()).isEmpty();
        assertThat(c.added()).containsExactly(java.util.Map.entry("aws-peer-role", "datomic-aws-peer"),
                java.util.Map.entry("aws-transactor-role", "datomic-aws-transactor"));
    }

    @Test
    void removedKeysChangedValuesAndForeignKeysAreViolationsWithSecretsMasked() {
        PropertiesFile after = PropertiesFile.parse("tx", "aws-dynamodb-table=other\naws-peer-role=p\nlicense-key=changed\nfoo=bar\n");
        FileChanges c = FileChanges.between(BEFORE, after, TransactorPlanner.WRITTEN_KEYS);
        assertThat(c.violations()).containsExactly("removed protocol", "changed aws-dynamodb-table from 't' to 'other'",
                "changed license-key from '********' to '********'", "added foo, which is not a key it generates");
        assertThat(String.join(" ", c.violations())).doesNotContain("secret-value").doesNotContain("changed'");
        assertThat(c.added()).containsOnlyKeys("aws-peer-role");
    }
}

package io.datomicgitops.findings;

import io.datomicgitops.config.PropertiesFile;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What Datomic itself would make of a stack's files, checked before anything is deployed: the findings plan shows a
 * reviewer and validate reports.
 */
public final class DatomicChecks {
    private DatomicChecks() {}

    /**
     * @param tx     transactor.properties, when checked
     * @param cf     cf.properties, when checked
     * @param deploy deploy.properties, when checked (its {@code acknowledge} key marks findings as acknowledged)
     */
    public static List<Finding> check(Optional<PropertiesFile> tx, Optional<PropertiesFile> cf, Optional<PropertiesFile> deploy) {
        List<Finding> out = new ArrayList<>();
        return out;
    }
}

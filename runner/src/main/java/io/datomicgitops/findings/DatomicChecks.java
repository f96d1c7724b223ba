package io.datomicgitops.findings;

import io.datomicgitops.config.PropertiesFile;
import io.datomicgitops.config.Schema;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What Datomic itself would make of a stack's files, checked before anything is deployed: the findings plan shows a
 * reviewer and validate reports. Pure and quick: no AWS call, no write; it reads only the files given and the files
 * their {@code ${file:...}} placeholders name (to tell an empty secret, never to show it).
 *
 * <p>In order: each file against its schema ({@link SchemaFindings}), the required keys ({@link RequiredKeys}), the
 * instance type ({@link InstanceTypeCheck}), what the template refuses ({@link TemplateInputCheck}), the memory
 * ({@link MemoryCheck}), the secrets ({@link SecretCheck}); then deploy.properties' acknowledgements
 * ({@link Acknowledgements}). Errors come first; within a severity, the order above. Codes: {@link FindingCodes},
 * documented in docs/FINDINGS.md.
 */
public final class DatomicChecks {
    private DatomicChecks() {}

    /**
     * @param tx     transactor.properties, when checked
     * @param cf     cf.properties, when checked
     * @param deploy deploy.properties, when checked (its {@code acknowledge} key marks findings as acknowledged)
     */
    public static List<Finding> check(Optional<PropertiesFile> tx, Optional<PropertiesFile> cf, Optional<PropertiesFile> deploy) {
        return check(tx, cf, deploy, System.getenv());
    }

    /**
     * The same, with the environment {@code ${env:NAME}} placeholders resolve in (the runner's, as the CLI received it).
     */
    public static List<Finding> check(Optional<PropertiesFile> tx, Optional<PropertiesFile> cf, Optional<PropertiesFile> deploy,
                                      Map<String, String> env) {
        StackFiles files = new StackFiles(tx, cf, deploy, Map.copyOf(env));
        List<Finding> out = new ArrayList<>();
        tx.ifPresent(f -> out.addAll(SchemaFindings.of(f, Schema.TRANSACTOR)));
        cf.ifPresent(f -> out.addAll(SchemaFindings.of(f, Schema.CF)));
        deploy.ifPresent(f -> out.addAll(SchemaFindings.of(f, Schema.DEPLOY)));
        RequiredKeys.check(files, out);
        InstanceTypeCheck.check(files, out);
        TemplateInputCheck.check(files, out);
        StorageCheck.check(files, out);
        MemoryCheck.check(files, out);
        SecretCheck.check(files, out);
        List<Finding> acknowledged = Acknowledgements.apply(out, deploy);
        List<Finding> sorted = new ArrayList<>(acknowledged);
        sorted.sort(Comparator.comparing(Finding::severity)); // stable: errors, warnings, info, each in check order
        return List.copyOf(sorted);
    }

    /** Whether a transactor protocol supports a standby (Datomic's datomic.config/protocol-supports-ha?). */
    public static boolean supportsHa(String protocol) {
        return StorageCheck.supportsHa(protocol);
    }
}

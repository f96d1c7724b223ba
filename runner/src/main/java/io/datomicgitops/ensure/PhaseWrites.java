package io.datomicgitops.ensure;

import io.datomicgitops.config.PropertiesFile;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What an ensure phase can write into a properties file, as a check of a commit that says it is the phase's: only
 * its own keys, each filled in where the file left it blank, each with a value of the form the phase writes (a name
 * Datomic's scheme generates, a heap size, a version). A change that passes could have been the tool's: taking it for
 * the tool's own deploys nothing a person chose.
 */
public final class PhaseWrites {
    /** The phases that write a properties file, and the file each writes. */
    public static final Map<String, String> FILES = Map.of(TransactorPlanner.PHASE, "transactor.properties", CfPlanner.PHASE, "cf.properties");

    private static final Pattern HEAP = Pattern.compile("\\d+[kKmMgG]?");
    private static final Pattern VERSION = Pattern.compile("\\d+(\\.\\d+)+");

    private PhaseWrites() {}

    /** The phase that writes this file, when one does. */
    public static Optional<String> phaseOf(String fileName) {
        return FILES.entrySet().stream().filter(e -> e.getValue().equals(fileName)).map(Map.Entry::getKey).findFirst();
    }

    /** Why the change from {@code before} to {@code after} is not one the phase makes; empty when it is. */
    public static List<String> violations(String phase, PropertiesFile before, PropertiesFile after) {
        Set<String> keys = TransactorPlanner.PHASE.equals(phase) ? TransactorPlanner.WRITTEN_KEYS
                : CfPlanner.PHASE.equals(phase) ? CfPlanner.WRITTEN_KEYS : Set.of();
        FileChanges changes = FileChanges.between(before, after, keys);
        List<String> out = new ArrayList<>(changes.violations());
        changes.added().forEach((key, value) -> {
            if (!written(key, value)) out.add("set " + key + " to a value " + phase + " does not write");
        });
        return out;
    }

    /** A value of the form the phase writes for the key (recovered names are generated ones too: the tool made them). */
    private static boolean written(String key, String value) {
        return switch (key) {
            case Roles.TRANSACTOR_KEY, Roles.PEER_KEY -> Roles.generatedPattern(key).matcher(value).matches();
            case LogBuckets.KEY -> LogBuckets.isGenerated(value);
            case DynamoTables.KEY -> DynamoTables.DEFAULT_NAME.equals(value);
            case CfPlanner.XMX -> HEAP.matcher(value).matches();
            case CfPlanner.JAVA_OPTS -> value.isEmpty();
            case CfPlanner.VERSION -> VERSION.matcher(value).matches();
            default -> false;
        };
    }
}

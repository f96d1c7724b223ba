package io.datomicgitops.findings;

import io.datomicgitops.config.PropertiesFile;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import static io.datomicgitops.findings.FindingCodes.NO_HA_FOR_PROTOCOL;
import static io.datomicgitops.findings.FindingCodes.STORAGE_ON_INSTANCE;

/**
 * Where the transactor keeps the database, and whether a standby can take over. A storage on the transactor's own
 * instance is lost with it, and every deployment that changes the launch replaces the instance; a group of two asks
 * for a standby, which only a protocol with HA support has (Datomic's datomic.config/protocol-supports-ha?).
 */
final class StorageCheck {
    /** Protocols whose data lives on the transactor's instance. */
    static final Set<String> ON_INSTANCE = Set.of("dev", "free", "mem", "ddb-local");

    private StorageCheck() {}

    /** Datomic's protocol-supports-ha? for a transactor protocol: all but dev (checked against Datomic by the oracle module). */
    static boolean supportsHa(String protocol) {
        return !"dev".equals(protocol);
    }

    static void check(StackFiles files, List<Finding> out) {
        if (files.tx().isEmpty()) return;
        PropertiesFile tx = files.tx().get();
        Optional<String> protocol = tx.get("protocol");
        if (protocol.isEmpty()) return;
        boolean allowed = files.deploy().flatMap(d -> d.get("allow-instance-storage")).map(Boolean::parseBoolean).orElse(false);
        if (ON_INSTANCE.contains(protocol.get()) && !allowed) {
            out.add(Finding.error(STORAGE_ON_INSTANCE, "protocol=" + protocol.get() + " keeps the database on the transactor's own "
                    + "instance: every replacement (each deployment that changes the launch template) loses it; use a storage "
                    + "service (protocol=ddb), or set allow-instance-storage=true in deploy.properties for a throwaway system",
                    tx.where("protocol")));
        }
        Optional<Integer> group = files.cf().flatMap(cf -> cf.get("aws-autoscaling-group-size")).flatMap(StorageCheck::integer);
        if (group.isPresent() && group.get() > 1 && !supportsHa(protocol.get())) {
            PropertiesFile cf = files.cf().get();
            out.add(Finding.error(NO_HA_FOR_PROTOCOL, "aws-autoscaling-group-size=" + group.get() + " asks for a standby transactor, "
                    + "and protocol=" + protocol.get() + " has no HA support (Datomic's protocol-supports-ha?): the second "
                    + "transactor cannot take over; set aws-autoscaling-group-size=1, or use a storage with HA (protocol=ddb)",
                    cf.where("aws-autoscaling-group-size")));
        }
    }

    private static Optional<Integer> integer(String value) {
        try {
            return Optional.of(Integer.parseInt(value.trim()));
        } catch (NumberFormatException e) {
            return Optional.empty(); // not a number: the schema check reports it
        }
    }
}

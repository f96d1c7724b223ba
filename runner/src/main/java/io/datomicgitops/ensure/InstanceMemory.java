package io.datomicgitops.ensure;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.ec2.model.InstanceTypeInfo;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Properties;

/**
 * An instance type's memory, for Datomic's default {@code java-xmx}: Datomic's own table for the types it lists (its
 * values, exactly); for the others EC2 DescribeInstanceTypes where it answers, else a table of current instance types
 * shipped with the runner (Datomic's own table stops at m4/c4/r4/i3).
 */
public final class InstanceMemory {
    private static final String TABLE = "instance-memory.properties";
    private static volatile Properties table;

    private final EnsureContext ctx;

    InstanceMemory(EnsureContext ctx) {
        this.ctx = ctx;
    }

    /** Memory in MiB, or empty when neither EC2 nor the table knows the type. */
    OptionalInt mib(String region, String instanceType) {
        try {
            Optional<InstanceTypeInfo> info = ctx.aws.ec2(region)
                    .describeInstanceTypes(r -> r.instanceTypesWithStrings(instanceType)).instanceTypes().stream().findFirst();
            if (info.isPresent() && info.get().memoryInfo() != null && info.get().memoryInfo().sizeInMiB() != null) {
                return OptionalInt.of(info.get().memoryInfo().sizeInMiB().intValue());
            }
        } catch (AwsServiceException e) {
            // not allowed, or a type this region does not offer: the table still knows it
        }
        return fromTable(instanceType);
    }

    public static OptionalInt fromTable(String instanceType) {
        String v = table().getProperty(instanceType);
        return v == null ? OptionalInt.empty() : OptionalInt.of(Integer.parseInt(v.trim()));
    }

    /**
     * Datomic's rule, as datomic.memory/aws-transactor-settings computes it: the heap is 70% of the instance's memory
     * in bytes, multiplied as a double and cut to a long, and java-xmx is that heap in whole MiB with an {@code m}
     * suffix. For a type known from EC2's figures (MiB): m5.large, 8192 MiB: 5734m.
     */
    public static String xmx(int mib) {
        return xmxOfBytes((long) mib * MIB);
    }

    static String xmxOfBytes(long bytes) {
        long heap = (long) (0.7 * bytes);
        return (heap / MIB) + "m";
    }

    /**
     * java-xmx as Datomic's tools write it for the types Datomic lists (aws-transactor-settings over its own memory
     * table, whose bytes mix GB and GiB: c3.large 2625m, m4.large 5734m); empty for a type Datomic does not list.
     */
    public static Optional<String> datomicXmx(String instanceType) {
        String bytes = datomicTable().getProperty(instanceType);
        return bytes == null ? Optional.empty() : Optional.of(xmxOfBytes(Long.parseLong(bytes.trim())));
    }

    /**
     * The java-xmx ensure-cf writes for a type without asking AWS: Datomic's own value for the types it lists, else
     * Datomic's rule on the memory of the runner's table; empty for a type neither knows.
     */
    public static Optional<String> defaultXmx(String instanceType) {
        return datomicXmx(instanceType).or(() -> {
            OptionalInt mib = fromTable(instanceType);
            return mib.isPresent() ? Optional.of(xmx(mib.getAsInt())) : Optional.empty();
        });
    }

    /** The types of the runner's table (EC2's current types), with their memory in MiB. */
    public static java.util.Map<String, Integer> tableTypes() {
        java.util.Map<String, Integer> out = new java.util.HashMap<>();
        table().forEach((k, v) -> out.put(((String) k).trim(), Integer.parseInt(((String) v).trim())));
        return java.util.Map.copyOf(out);
    }

    /** Datomic lists this type in its memory table. */
    public static boolean datomicKnows(String instanceType) {
        return datomicTable().getProperty(instanceType) != null;
    }

    private static final long MIB = 1024L * 1024;
    private static final String DATOMIC_TABLE = "datomic-instance-memory.properties";
    private static volatile Properties datomicTable;

    private static Properties datomicTable() {
        if (datomicTable == null) datomicTable = load(DATOMIC_TABLE);
        return datomicTable;
    }

    private static Properties table() {
        if (table == null) table = load(TABLE);
        return table;
    }

    private static Properties load(String resource) {
        Properties p = new Properties();
        try (InputStream in = InstanceMemory.class.getResourceAsStream(resource)) {
            if (in == null) throw new IllegalStateException(resource + " is missing from the runner jar");
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }
}

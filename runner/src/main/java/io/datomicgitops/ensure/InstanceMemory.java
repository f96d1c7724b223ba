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
 * An instance type's memory, for Datomic's default {@code java-xmx}: EC2 DescribeInstanceTypes where it answers,
 * else a table of current instance types shipped with the runner (Datomic's own table stops at c3/m3).
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
     * Datomic's rule: 70% of the instance's memory, in megabytes with an {@code m} suffix, counting the advertised
     * GiB as thousands of MB (c3.large, 3.75 GiB: 2625m; m3.large, 7.5 GiB: 5250m).
     */
    static String xmx(int mib) {
        return ((long) mib * 700 / 1024) + "m";
    }

    private static Properties table() {
        if (table == null) {
            Properties p = new Properties();
            try (InputStream in = InstanceMemory.class.getResourceAsStream(TABLE)) {
                if (in == null) throw new IllegalStateException(TABLE + " is missing from the runner jar");
                p.load(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            table = p;
        }
        return table;
    }
}

package io.datomicgitops.findings;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class StorageCheckTest {

    @Test
    void aStorageOnTheTransactorsInstanceIsRefusedUnlessAllowed() {
        StackFixture dev = StackFixture.clean().tx("protocol", "protocol=dev").tx("aws-dynamodb-region", null);
        assertThat(dev.lines()).contains("error storage-on-instance: transactor.properties:1: protocol=dev keeps the database on the "
                + "transactor's own instance: every replacement (each deployment that changes the launch template) loses it; use a "
                + "storage service (protocol=ddb), or set allow-instance-storage=true in deploy.properties for a throwaway system");
        assertThat(dev.add(dev.deploy, "allow-instance-storage=true").lines()).noneMatch(l -> l.contains("storage-on-instance"));
        assertThat(StackFixture.clean().lines()).as("ddb").noneMatch(l -> l.contains("storage-on-instance"));
    }

    @Test
    void aStandbyNeedsAProtocolWithHaSupport() {
        StackFixture devPair = StackFixture.clean().tx("protocol", "protocol=dev").tx("aws-dynamodb-region", null)
                .cf("aws-autoscaling-group-size", "aws-autoscaling-group-size=2");
        devPair.add(devPair.deploy, "allow-instance-storage=true");
        assertThat(devPair.lines()).contains("error no-ha-for-protocol: cf.properties:4: aws-autoscaling-group-size=2 asks for a standby "
                + "transactor, and protocol=dev has no HA support (Datomic's protocol-supports-ha?): the second transactor cannot take "
                + "over; set aws-autoscaling-group-size=1, or use a storage with HA (protocol=ddb)");
        assertThat(StackFixture.clean().cf("aws-autoscaling-group-size", "aws-autoscaling-group-size=2").lines())
                .as("ddb, an HA pair").noneMatch(l -> l.contains("no-ha-for-protocol"));
    }
}

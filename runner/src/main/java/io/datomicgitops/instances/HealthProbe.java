package io.datomicgitops.instances;

/** Asks a transactor's health endpoint (GET http://address:port/health). */
public interface HealthProbe {
    enum Answer { HEALTHY, UNHEALTHY, UNREACHABLE }

    Answer check(String address, int port);
}

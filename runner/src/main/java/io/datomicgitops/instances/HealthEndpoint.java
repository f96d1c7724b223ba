package io.datomicgitops.instances;

/**
 * The transactor's health endpoint, enabled by ping-host and ping-port in transactor.properties: GET /health answers
 * 2xx. ping-host is the transactor's bind address, the same on every instance, so the runner asks each instance at its
 * own private address on ping-port.
 */
public record HealthEndpoint(String pingHost, int pingPort) {}

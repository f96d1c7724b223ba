package io.datomicgitops.instances;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** An autoscaling group's sizes. */
@JsonPropertyOrder({"min", "max", "desired"})
public record Capacity(int min, int max, int desired) {
    @Override
    public String toString() {
        return "min " + min + ", max " + max + ", desired " + desired;
    }
}

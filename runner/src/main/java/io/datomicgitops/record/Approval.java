package io.datomicgitops.record;

/** Who approved a deployment and which build ran it: recorded in trailers and the record, never impersonated. */
public record Approval(String approvedBy, String buildUrl) {
    public static Approval none() {
        return new Approval(null, null);
    }
}

package io.datomicgitops.ensure;

/**
 * The AWS protections ensure-transactor turns on for the system's storage, Datomic's data: the table's deletion
 * protection and point-in-time recovery, the log bucket's Block Public Access and (optionally) its versioning. A
 * protection asked for and found off is planned as an update; one found on is no change. A protection not asked for is
 * left as found: an ensure phase never turns one off.
 *
 * @param tableDeletionProtection     DynamoDB deletion protection on the table (deploy.properties {@code table-deletion-protection})
 * @param tablePointInTimeRecovery    DynamoDB point-in-time recovery on the table ({@code table-point-in-time-recovery})
 * @param logBucketBlockPublicAccess  S3 Block Public Access, all four settings, on the log bucket ({@code log-bucket-block-public-access})
 * @param logBucketVersioning         S3 versioning on the log bucket ({@code log-bucket-versioning})
 */
public record Protections(boolean tableDeletionProtection, boolean tablePointInTimeRecovery,
                          boolean logBucketBlockPublicAccess, boolean logBucketVersioning) {

    /** deploy.properties' defaults: all on, but versioning (Datomic writes each log file once; versions would only cost). */
    public static final Protections DEFAULTS = new Protections(true, true, true, false);

    /**
     * None asked for: the bare Java API's default ({@link EnsureOptions#apply}), as is its missing stack check; the
     * runner's commands take them from deploy.properties.
     */
    public static final Protections NONE = new Protections(false, false, false, false);
}

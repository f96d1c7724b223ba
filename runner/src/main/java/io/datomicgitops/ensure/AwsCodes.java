package io.datomicgitops.ensure;

import software.amazon.awssdk.awscore.exception.AwsServiceException;

/** Error codes of AWS answers, for the few an ensure phase handles itself. */
final class AwsCodes {
    private AwsCodes() {}

    static String code(AwsServiceException e) {
        return e.awsErrorDetails() == null || e.awsErrorDetails().errorCode() == null ? "" : e.awsErrorDetails().errorCode();
    }

    static String message(AwsServiceException e) {
        return e.awsErrorDetails() == null || e.awsErrorDetails().errorMessage() == null
                ? "HTTP " + e.statusCode() : e.awsErrorDetails().errorMessage();
    }
}

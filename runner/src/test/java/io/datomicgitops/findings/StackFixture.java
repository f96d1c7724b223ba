package io.datomicgitops.findings;

import io.datomicgitops.config.PropertiesFile;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A stack's three files for the checks' tests: a clean DynamoDB stack (no finding at all) that each test edits one
 * line of. Line numbers are those of the lists below (1-based).
 */
final class StackFixture {
    static final String LICENSE_VALUE = "LK-fixture-2b9d-never-printed";

    final List<String> tx = new ArrayList<>(List.of(
            "protocol=ddb",                          // 1
            "host=localhost",                        // 2
            "port=4334",                             // 3
            "license-key=${env:DATOMIC_LICENSE_KEY}", // 4
            "aws-dynamodb-table=prod",               // 5
            "aws-dynamodb-region=us-east-1",         // 6
            "memory-index-threshold=32m",            // 7
            "memory-index-max=512m",                 // 8
            "object-cache-max=1g"));                 // 9
    final List<String> cf = new ArrayList<>(List.of(
            "aws-instance-type=m4.large",            // 1
            "aws-region=us-east-1",                  // 2
            "aws-instance-monitoring=true",          // 3
            "aws-autoscaling-group-size=1",          // 4
            "java-xmx=4g",                           // 5
            "aws-security-group=prod-transactor",    // 6
            "datomic-version=1.0.7277",              // 7
            "datomic-deploy-s3-bucket=deploy-bucket-0001")); // 8
    final List<String> deploy = new ArrayList<>(List.of(
            "stack-name=prod-datomic",               // 1
            "aws-region=us-east-1"));                // 2
    final Map<String, String> env = new LinkedHashMap<>(Map.of("DATOMIC_LICENSE_KEY", LICENSE_VALUE));

    static StackFixture clean() {
        return new StackFixture();
    }

    /** Replaces the line that starts with {@code key=} (it must exist), or removes it when {@code line} is null. */
    StackFixture set(List<String> file, String key, String line) {
        int i = indexOf(file, key);
        if (line == null) file.remove(i);
        else file.set(i, line);
        return this;
    }

    StackFixture tx(String key, String line) {
        return set(tx, key, line);
    }

    StackFixture cf(String key, String line) {
        return set(cf, key, line);
    }

    StackFixture deploy(String key, String line) {
        return set(deploy, key, line);
    }

    StackFixture add(List<String> file, String line) {
        file.add(line);
        return this;
    }

    List<Finding> check() {
        return DatomicChecks.check(Optional.of(file("transactor.properties", tx)), Optional.of(file("cf.properties", cf)),
                Optional.of(file("deploy.properties", deploy)), env);
    }

    /** The findings as printed ("error code: where: message"). */
    List<String> lines() {
        return check().stream().map(Finding::toString).toList();
    }

    static PropertiesFile file(String name, List<String> lines) {
        return PropertiesFile.parse(name, String.join("\n", lines) + "\n");
    }

    private static int indexOf(List<String> file, String key) {
        for (int i = 0; i < file.size(); i++) if (file.get(i).startsWith(key + "=")) return i;
        throw new IllegalArgumentException("no " + key + " in " + file);
    }
}

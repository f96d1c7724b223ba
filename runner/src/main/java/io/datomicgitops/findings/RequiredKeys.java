package io.datomicgitops.findings;

import io.datomicgitops.config.PropertiesFile;

import java.util.List;
import java.util.Optional;

import static io.datomicgitops.findings.FindingCodes.MISSING_REQUIRED_KEY;

/**
 * The keys Datomic's files cannot do without (a blank value counts as absent, as Datomic reads it): the transactor's
 * storage and address, the license key for Datomic versions that still need one, and what ensure-cf and
 * create-cf-template need from cf.properties; deploy.properties' stack name.
 */
final class RequiredKeys {
    private RequiredKeys() {}

    /** The first Datomic Pro release whose transactor needs no license key: the release gate's rule, with its source. */
    static final String FREE_SINCE = io.datomicgitops.release.ReleaseRules.bundled().licenseKeyNotNeededFrom().version();

    static void check(StackFiles files, List<Finding> out) {
        files.tx().ifPresent(tx -> transactor(tx, files, out));
        files.cf().ifPresent(cf -> cf(cf, files, out));
        files.deploy().ifPresent(deploy -> deploy(deploy, out));
    }

    private static void transactor(PropertiesFile tx, StackFiles files, List<Finding> out) {
        require(tx, "protocol", "set protocol=ddb (or the storage the transactor uses), as in Datomic's sample", out);
        require(tx, "host", "set host=localhost, as in Datomic's sample (on AWS the start-up script writes the instance's "
                + "own address in its place)", out);
        require(tx, "port", "set port=4334, as in Datomic's sample", out);
        if (tx.get("protocol").filter("ddb"::equals).isPresent()) {
            require(tx, "aws-dynamodb-region", "set aws-dynamodb-region=<the table's region, e.g. us-east-1>", out);
        }
        Optional<String> version = files.cf().flatMap(cf -> cf.get("datomic-version"));
        if (version.isPresent() && older(version.get(), FREE_SINCE)) {
            require(tx, "license-key", "Datomic " + version.get() + " needs a license key (releases since " + FREE_SINCE
                    + " need none): set license-key=<the ARN of a Secrets Manager secret holding it>, which the instance "
                    + "reads at boot, or run Datomic " + FREE_SINCE + " or later", out);
        }
    }

    private static void cf(PropertiesFile cf, StackFiles files, List<Finding> out) {
        require(cf, "aws-instance-type", "set aws-instance-type=<EC2 instance type, e.g. m5.large>", out);
        require(cf, "aws-region", "set aws-region=<the stack's region, e.g. us-east-1>", out);
        require(cf, "aws-instance-monitoring", "set aws-instance-monitoring=true or false", out);
        require(cf, "aws-autoscaling-group-size", "set aws-autoscaling-group-size=1 (2 for HA: active and standby)", out);
        require(cf, "aws-security-group", "set aws-security-group=<the transactor's security group: a name ensure-cf "
                + "creates, or an sg- id>", out);
        require(cf, "datomic-deploy-s3-bucket", "set datomic-deploy-s3-bucket=<Datomic's deploy bucket for your distribution>", out);
        if (!files.datomicEngine()) {
            require(cf, "datomic-version", "set datomic-version=<the Datomic version to run, e.g. 1.0.7277>: the native "
                    + "engine has no Datomic distribution to read it from", out);
        }
    }

    private static void deploy(PropertiesFile deploy, List<Finding> out) {
        require(deploy, "stack-name", "set stack-name=<CloudFormation stack name>", out);
        if (deploy.get("engine").filter("datomic"::equals).isPresent()) {
            require(deploy, "datomic-home", "the datomic engine runs <datomic-home>/bin/datomic: set datomic-home", out);
        }
    }

    private static void require(PropertiesFile file, String key, String todo, List<Finding> out) {
        if (file.get(key).isPresent()) return;
        out.add(Finding.error(MISSING_REQUIRED_KEY, "required key '" + key + "' is missing or blank: " + todo, file.where(key)));
    }

    /** a &lt; b for Datomic versions (1.0.7277, 0.9.5561); a version that does not parse is not older. */
    static boolean older(String a, String b) {
        String[] x = a.split("[.-]");
        String[] y = b.split("[.-]");
        for (int i = 0; i < Math.min(3, Math.min(x.length, y.length)); i++) {
            if (!x[i].matches("\\d{1,9}") || !y[i].matches("\\d{1,9}")) return false;
            int c = Integer.compare(Integer.parseInt(x[i]), Integer.parseInt(y[i]));
            if (c != 0) return c < 0;
        }
        return false;
    }
}

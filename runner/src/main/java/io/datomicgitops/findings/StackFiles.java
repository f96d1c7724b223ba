package io.datomicgitops.findings;

import io.datomicgitops.config.PropertiesFile;

import java.util.Map;
import java.util.Optional;

/** A stack's files as the checks see them (each only when checked), and the environment placeholders resolve in. */
record StackFiles(Optional<PropertiesFile> tx, Optional<PropertiesFile> cf, Optional<PropertiesFile> deploy,
                  Map<String, String> env) {

    /** The instance type cf.properties names, when it names one the checks can look up (not blank, no placeholder). */
    Optional<String> instanceType() {
        return cf.flatMap(f -> f.get("aws-instance-type")).filter(t -> !t.contains("${"));
    }

    /** The operator runs their own image in the stack's region (aws-ami, or aws-ami.&lt;aws-region&gt;), as the template decides. */
    boolean ownImage() {
        if (cf.isEmpty()) return false;
        PropertiesFile f = cf.get();
        if (f.get("aws-ami").isPresent()) return true;
        return f.get("aws-region").flatMap(r -> f.get("aws-ami." + r)).isPresent();
    }

    /** deploy.properties' engine, native unless it says datomic. */
    boolean datomicEngine() {
        return deploy.flatMap(d -> d.get("engine")).filter("datomic"::equals).isPresent();
    }
}

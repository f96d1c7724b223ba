package io.datomicgitops.findings;

import io.datomicgitops.config.PropertiesFile;
import io.datomicgitops.config.Schema;
import io.datomicgitops.config.Validator;

import java.util.List;

/** config/Validator's problems (a value of the wrong type, an unknown key, a duplicate) as findings, with their codes. */
public final class SchemaFindings {
    private SchemaFindings() {}

    public static List<Finding> of(PropertiesFile file, Schema schema) {
        return Validator.check(file, schema).stream().map(SchemaFindings::of).toList();
    }

    public static Finding of(Validator.Problem p) {
        return p.severity() == Validator.Severity.ERROR
                ? Finding.error(p.code(), p.message(), p.where())
                : Finding.warning(p.code(), p.message(), p.where());
    }
}

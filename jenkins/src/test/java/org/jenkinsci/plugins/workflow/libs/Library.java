package org.jenkinsci.plugins.workflow.libs;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Same name and shape as the pipeline-groovy-lib annotation, so a Jenkinsfile's {@code @Library('name') _} line
 * compiles in the harness. The harness serves the library from the repository root whatever the name says.
 */
@Retention(RetentionPolicy.SOURCE)
@Target({ElementType.LOCAL_VARIABLE, ElementType.FIELD, ElementType.TYPE, ElementType.METHOD, ElementType.PACKAGE,
        ElementType.CONSTRUCTOR, ElementType.PARAMETER})
public @interface Library {
    String[] value();
    boolean changelog() default true;
}

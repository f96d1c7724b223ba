package io.datomicgitops.jenkins.harness;

import java.io.Serializable;
import java.util.Arrays;

/** A step invocation yielded by a suspended program to the harness, which runs it and resumes the program. */
public record StepCall(String name, Object[] args) implements Serializable {
    @Override
    public String toString() {
        return name + Arrays.toString(args);
    }
}

package io.datomicgitops.jenkins.harness;

import groovy.lang.GroovyObjectSupport;

import java.io.Serializable;
import java.util.Map;

/** The {@code env} global: reads the environment in effect at the call (build, withEnv, withCredentials). */
public final class EnvGlobal extends GroovyObjectSupport implements Serializable {
    private static final long serialVersionUID = 1L;

    @Override
    public Object getProperty(String name) {
        return Globals.current().environment().get(name);
    }

    @Override
    public void setProperty(String name, Object value) {
        Globals.current().setBuildEnv(name, value == null ? null : value.toString());
    }

    public Map<String, String> getEnvironment() {
        return Globals.current().environment();
    }
}

package io.datomicgitops.jenkins.harness;

import java.io.Serializable;

/** The {@code currentBuild} global (Jenkins' RunWrapper): the properties the library and the Jenkinsfile use. */
public final class CurrentBuild implements Serializable {
    private static final long serialVersionUID = 1L;

    public String getDescription() { return Globals.current().description(); }

    public void setDescription(String d) { Globals.current().setDescription(d); }

    public String getDisplayName() { return "#" + Globals.current().number(); }

    public int getNumber() { return Globals.current().number(); }

    public String getAbsoluteUrl() { return Globals.current().url(); }

    public String getResult() { return Globals.current().explicitResult(); }

    public void setResult(String r) { Globals.current().setExplicitResult(r); }

    public String getCurrentResult() {
        String r = Globals.current().explicitResult();
        return r == null ? "SUCCESS" : r;
    }
}

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

    /**
     * RunWrapper.getChangeSets(): one change log set per checkout; each item has getAuthor().getId(),
     * getAuthorEmail(), getCommitId(), getMsg(). The harness gives the build's changes as one set.
     */
    public java.util.List<ChangeSet> getChangeSets() {
        java.util.List<GitScm.Change> changes = Globals.current().changes();
        return changes.isEmpty() ? java.util.List.of() : java.util.List.of(new ChangeSet(changes));
    }

    /** A ChangeLogSet as a Jenkinsfile reads it. */
    public static final class ChangeSet implements Serializable {
        private static final long serialVersionUID = 1L;
        private final java.util.List<GitScm.Change> changes;

        ChangeSet(java.util.List<GitScm.Change> changes) { this.changes = changes; }

        public Object[] getItems() { return changes.stream().map(Entry::new).toArray(); }

        public String getKind() { return "git"; }
    }

    /** A ChangeLogSet.Entry: the commit and its author (a hudson.model.User, here just its id). */
    public static final class Entry implements Serializable {
        private static final long serialVersionUID = 1L;
        private final GitScm.Change change;

        Entry(GitScm.Change change) { this.change = change; }

        public String getCommitId() { return change.commitId(); }

        public String getMsg() { return change.msg(); }

        /** GitChangeSet.getAuthorEmail(): the email of the change's "author" (by default, the commit's committer). */
        public String getAuthorEmail() { return change.authorEmail(); }

        public Author getAuthor() { return new Author(change.authorId()); }
    }

    /** hudson.model.User: its id. */
    public record Author(String id) implements Serializable {
        public String getId() { return id; }
    }

    /** RunWrapper.getBuildCauses(className): the causes of that class (or a subclass), as maps. */
    public java.util.List<java.util.Map<String, String>> getBuildCauses(String className) {
        return Globals.current().causes().stream().filter(c -> c.equals(className) || c.endsWith("$" + className))
                .map(c -> java.util.Map.of("_class", c)).toList();
    }

    public String getCurrentResult() {
        String r = Globals.current().explicitResult();
        return r == null ? "SUCCESS" : r;
    }
}

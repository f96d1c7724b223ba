package io.datomicgitops.ensure;

/**
 * A resource name for a properties key, and where it came from: the file, a tagged resource found again, the
 * running stack (--adopt), Datomic's default, or a freshly generated one.
 */
record Name(String key, String value, Source source, String note) {
    enum Source { FILE, RECOVERED, ADOPTED, DEFAULT, GENERATED }

    static Name fromFile(String key, String value) {
        return new Name(key, value, Source.FILE, null);
    }

    /** Found again (by tag or from the stack): an existing resource reports as recovered. */
    boolean found() {
        return source == Source.RECOVERED || source == Source.ADOPTED;
    }

    /** The action for a resource that exists under this name. */
    ResourceChange.Action existingAction() {
        return found() ? ResourceChange.Action.RECOVERED : ResourceChange.Action.UNCHANGED;
    }
}

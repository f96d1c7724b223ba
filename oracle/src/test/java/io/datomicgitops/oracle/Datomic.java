package io.datomicgitops.oracle;

import clojure.java.api.Clojure;
import clojure.lang.IFn;
import clojure.lang.Keyword;

import java.util.Map;
import java.util.TreeMap;

/**
 * Datomic's own code, called as Clojure functions from com.datomic:peer: the oracle the differential tests compare
 * the runner with. Loading Datomic's namespaces takes a while (tens of seconds): one instance per test run.
 */
final class Datomic {
    private static Datomic instance;

    private final IFn get = Clojure.var("clojure.core", "get");

    private Datomic() {
        IFn require = Clojure.var("clojure.core", "require");
        require.invoke(Clojure.read("datomic.memory"));
        require.invoke(Clojure.read("datomic.common"));
        require.invoke(Clojure.read("datomic.config"));
    }

    static synchronized Datomic get() {
        if (instance == null) instance = new Datomic();
        return instance;
    }

    /** datomic.memory/aws-instance-mem: instance type -> memory in bytes, the types Datomic knows. */
    Map<String, Long> instanceMemory() {
        Map<?, ?> table = (Map<?, ?>) ((clojure.lang.IDeref) Clojure.var("datomic.memory", "aws-instance-mem")).deref();
        Map<String, Long> out = new TreeMap<>();
        table.forEach((k, v) -> out.put(String.valueOf(k), ((Number) v).longValue()));
        return out;
    }

    /** (datomic.memory/aws-transactor-settings type) :xmx, what Datomic's tools write as java-xmx. */
    String awsXmx(String instanceType) {
        return (String) get.invoke(Clojure.var("datomic.memory", "aws-transactor-settings").invoke(instanceType), Keyword.intern("xmx"));
    }

    /** (datomic.memory/transactor-settings heapBytes) :xmx. */
    String xmxForHeap(long heapBytes) {
        return (String) get.invoke(Clojure.var("datomic.memory", "transactor-settings").invoke(heapBytes), Keyword.intern("xmx"));
    }

    /** (datomic.config/protocol-supports-ha? :protocol): whether a standby transactor can take over. */
    boolean supportsHa(String protocol) {
        return Boolean.TRUE.equals(Clojure.var("datomic.config", "protocol-supports-ha?").invoke(Keyword.intern(protocol)));
    }

    /** (datomic.common/load-properties path), as the transactor reads transactor.properties: key -> value. */
    Map<String, String> loadProperties(String path) {
        Object loaded = Clojure.var("datomic.common", "load-properties").invoke(path);
        Map<String, String> out = new TreeMap<>();
        ((Map<?, ?>) loaded).forEach((k, v) -> out.put(k instanceof Keyword kw ? kw.getName() : String.valueOf(k), String.valueOf(v)));
        return out;
    }
}

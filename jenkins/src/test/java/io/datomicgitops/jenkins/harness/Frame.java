package io.datomicgitops.jenkins.harness;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** One level of a build's step context: what a body step (node, dir, withEnv, ...) puts in effect for its body. */
sealed interface Frame {
    String kind();

    record Node(Path workspace) implements Frame { public String kind() { return "node"; } }

    record Dir(Path path) implements Frame { public String kind() { return "dir"; } }

    record Env(String step, Map<String, String> vars, List<String> secrets, List<Path> files) implements Frame {
        public String kind() { return step; }
    }

    record Timeout(Instant deadline) implements Frame { public String kind() { return "timeout"; } }

    record Lock(String resource) implements Frame { public String kind() { return "lock"; } }

    record Stage(String name) implements Frame { public String kind() { return "stage"; } }
}

package io.datomicgitops.testing;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives integration tests a ready sandbox: reuses a running one, else starts it (and stops it when the test run
 * ends), and resets its state before each test class. Use with {@code @ExtendWith(SandboxExtension.class)} and a
 * {@link Sandbox} parameter.
 */
public final class SandboxExtension implements BeforeAllCallback, ParameterResolver {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(SandboxExtension.class);

    /** Closed by JUnit when the whole run ends. */
    private record Handle(Sandbox sandbox) implements ExtensionContext.Store.CloseableResource, AutoCloseable {
        @Override
        public void close() {
            sandbox.stopIfStartedHere();
        }
    }

    static Sandbox sandbox(ExtensionContext context) {
        return context.getRoot().getStore(NS)
                .getOrComputeIfAbsent("sandbox", k -> new Handle(Sandbox.startOrReuse()), Handle.class).sandbox();
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        sandbox(context).reset();
    }

    @Override
    public boolean supportsParameter(ParameterContext p, ExtensionContext e) {
        return p.getParameter().getType() == Sandbox.class;
    }

    @Override
    public Object resolveParameter(ParameterContext p, ExtensionContext e) {
        return sandbox(e);
    }
}

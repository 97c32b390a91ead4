package dev.realtime.redis;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Injects a {@link RedisTestServer} shared by every test of the run (started on first use, stopped at the end).
 * Tests isolate themselves with unique key prefixes. Fault tests that stop the server start their own instead.
 */
public final class RedisServerExtension implements ParameterResolver {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(RedisServerExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == RedisTestServer.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getRoot().getStore(NS)
                .getOrComputeIfAbsent("server", k -> new Shared(RedisTestServer.start(false)), Shared.class)
                .server;
    }

    /** Closes the shared server when the root context closes. */
    private record Shared(RedisTestServer server) implements ExtensionContext.Store.CloseableResource {
        @Override
        public void close() {
            server.close();
        }
    }
}

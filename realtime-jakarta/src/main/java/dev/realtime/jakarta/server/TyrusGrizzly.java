package dev.realtime.jakarta.server;

import jakarta.websocket.DeploymentException;
import jakarta.websocket.server.ServerEndpointConfig;
import java.lang.reflect.Constructor;
import org.glassfish.grizzly.http.server.AddOn;
import org.glassfish.tyrus.core.TyrusWebSocketEngine;
import org.glassfish.tyrus.server.TyrusServerContainer;
import org.glassfish.tyrus.spi.ServerContainer;
import org.glassfish.tyrus.spi.WebSocketEngine;

/**
 * Wires Tyrus into a Grizzly {@code HttpServer} we own, the way Tyrus's own {@code GrizzlyServerContainer} does:
 * a {@link TyrusServerContainer} with a {@link TyrusWebSocketEngine}, and Tyrus's {@code WebSocketAddOn}, which
 * puts its upgrade filter in front of Grizzly's HTTP filter so that upgrade requests to a registered path become
 * WebSocket connections and every other request reaches the HTTP handlers.
 *
 * <p>Tyrus 2.1.x declares {@code WebSocketAddOn} public but its constructor package-private (eclipse-ee4j/tyrus
 * issue #945, fixed after 2.2.1), so the add-on is created reflectively; on the class path that needs no
 * {@code --add-opens}.
 */
final class TyrusGrizzly {
    private static final String ADD_ON = "org.glassfish.tyrus.container.grizzly.server.WebSocketAddOn";

    private TyrusGrizzly() {
    }

    /** A server container whose endpoints are registered directly on its engine; no threads of its own. */
    static final class Container extends TyrusServerContainer {
        private final TyrusWebSocketEngine engine;
        private final String contextPath;

        Container(String contextPath) {
            super((java.util.Set<Class<?>>) null);
            this.contextPath = contextPath;
            this.engine = TyrusWebSocketEngine.builder(this).build();
        }

        @Override
        public void register(Class<?> endpointClass) throws DeploymentException {
            engine.register(endpointClass, contextPath);
        }

        @Override
        public void register(ServerEndpointConfig config) throws DeploymentException {
            engine.register(config, contextPath);
        }

        @Override
        public WebSocketEngine getWebSocketEngine() {
            return engine;
        }
    }

    /** Tyrus's Grizzly add-on for {@code container}. */
    static AddOn addOn(ServerContainer container, String contextPath) {
        try {
            Class<?> type = Class.forName(ADD_ON);
            Constructor<?> ctor = type.getDeclaredConstructor(ServerContainer.class, String.class);
            ctor.setAccessible(true);
            return (AddOn) ctor.newInstance(container, contextPath);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("cannot create Tyrus's WebSocketAddOn (tyrus-container-grizzly-server "
                    + "missing or incompatible)", e);
        }
    }
}

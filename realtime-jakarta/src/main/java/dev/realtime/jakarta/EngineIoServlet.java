package dev.realtime.jakarta;

import dev.realtime.core.EngineIoPolling;
import dev.realtime.core.RealtimeHub;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Objects;

/**
 * Engine.IO HTTP long-polling for a hub on any Servlet 6 container (Tomcat 10.1+, Jetty 12 ee10, ...), beside
 * the container's own WebSocket support: map it to the Socket.IO path with async support on, and deploy
 * {@link RealtimeEndpoint} for the same path on the container's {@code ServerContainer}; the container routes
 * upgrade requests to the endpoint and plain HTTP to this servlet.
 * <pre>{@code
 * Wrapper w = Tomcat.addServlet(context, "engine.io", new EngineIoServlet(hub));
 * w.setAsyncSupported(true);
 * context.addServletMappingDecoded("/socket.io/*", "engine.io");
 * serverContainer.addEndpoint(RealtimeEndpoint.config(hub, "/socket.io/", Protocol.SOCKET_IO));
 * }</pre>
 *
 * <p><b>Threads.</b> A waiting GET holds no container thread (Servlet async, no async timeout: Engine.IO's ping
 * completes it within {@code pingInterval}); a POST body is read on the request's thread. Thread-safe; the hub is
 * not owned.
 *
 * @since 0.2
 */
public final class EngineIoServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    private final transient EngineIoPolling polling;

    /** @throws IllegalStateException when Socket.IO is disabled on the hub */
    public EngineIoServlet(RealtimeHub hub) {
        this.polling = Objects.requireNonNull(hub, "hub").polling();
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) {
        polling.handle(new ServletPollingExchange(request, response));
    }
}

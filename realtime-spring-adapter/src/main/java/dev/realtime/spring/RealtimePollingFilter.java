package dev.realtime.spring;

import dev.realtime.core.EngineIoPolling;
import dev.realtime.core.RealtimeHub;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Objects;

/**
 * Engine.IO HTTP long-polling beside the Socket.IO {@link RealtimeWebSocketHandler}: plain HTTP requests to the
 * Socket.IO path (handshake, long-polling GET, POST, CORS preflight) go to the hub's {@link EngineIoPolling}
 * under Servlet async; WebSocket upgrades and every other path continue down the chain to Spring.
 *
 * <p>Registered by the auto-configuration with async support, ahead of the dispatcher. Thread-safe; the hub is
 * not owned.
 *
 * @since 0.2
 */
public final class RealtimePollingFilter implements Filter {
    private final EngineIoPolling polling;
    private final String path;
    private final String twin;

    /**
     * @param hub  the hub (Socket.IO enabled)
     * @param path the Socket.IO path, e.g. {@code /socket.io/}; the twin without (or with) the slash matches too
     */
    public RealtimePollingFilter(RealtimeHub hub, String path) {
        this.polling = Objects.requireNonNull(hub, "hub").polling();
        this.path = Objects.requireNonNull(path, "path");
        this.twin = path.endsWith("/") ? path.substring(0, path.length() - 1) : path + "/";
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        if (req instanceof HttpServletRequest request && res instanceof HttpServletResponse response
                && isPolling(request)) {
            polling.handle(new ServletPollingExchange(request, response));
            return;
        }
        chain.doFilter(req, res);
    }

    private boolean isPolling(HttpServletRequest request) {
        if ("websocket".equalsIgnoreCase(request.getHeader("Upgrade"))) {
            return false;
        }
        String p = request.getRequestURI().substring(request.getContextPath().length());
        return p.equals(path) || p.equals(twin);
    }
}

package dev.realtime.jakarta;

import dev.realtime.core.ConnectionHandle;
import dev.realtime.core.Handshake;
import dev.realtime.core.Protocol;
import dev.realtime.core.RealtimeHub;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.HandshakeResponse;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.Session;
import jakarta.websocket.server.HandshakeRequest;
import jakarta.websocket.server.ServerEndpointConfig;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Jakarta WebSocket endpoint that attaches every connection to a {@link RealtimeHub}: on open it wraps the
 * session in a {@link JakartaTransport}, calls {@link RealtimeHub#connect} and feeds the returned
 * {@link ConnectionHandle} every inbound frame, the close and transport errors.
 *
 * <p>Deploy it on any Jakarta WebSocket 2.1 container with a programmatic config:
 * <pre>{@code
 * serverContainer.addEndpoint(RealtimeEndpoint.config(hub, "/ws", Protocol.NATIVE));
 * }</pre>
 * The config's configurator captures the upgrade request (headers, query, path) into the per-connection user
 * properties as a {@link Handshake} under {@link #HANDSHAKE_PROPERTY}, and creates endpoint instances bound to
 * the hub. Inbound messages larger than the limit (the hub's {@code maxFrameBytes} unless given) make the
 * container close the connection with 1009.
 *
 * <p><b>Thread-safety.</b> Stateless apart from its final fields; per-connection state lives in the session's
 * user properties. No exception escapes to the container: failures close the connection with 1011.
 *
 * @since 0.1
 */
public class RealtimeEndpoint extends Endpoint {
    private static final Logger log = LoggerFactory.getLogger(RealtimeEndpoint.class);

    /** User-property key under which the configurator stores the connection's {@link Handshake}. */
    public static final String HANDSHAKE_PROPERTY = "dev.realtime.handshake";
    private static final String HANDLE_PROPERTY = "dev.realtime.connection";

    private final RealtimeHub hub;
    private final Protocol protocol;
    private final int maxMessageBytes;
    private final SessionRegistry registry;
    /** Whether the hub's admission checks already ran on the HTTP upgrade request. */
    private final boolean admittedUpstream;

    /**
     * @param hub             the hub connections are attached to (not owned: never closed by the endpoint)
     * @param protocol        the wire protocol spoken on this endpoint
     * @param maxMessageBytes largest inbound text or binary message; larger ones close with 1009
     * @param registry        where open sessions are tracked, or {@code null}
     */
    public RealtimeEndpoint(RealtimeHub hub, Protocol protocol, int maxMessageBytes, SessionRegistry registry) {
        this(hub, protocol, maxMessageBytes, registry, false);
    }

    RealtimeEndpoint(RealtimeHub hub, Protocol protocol, int maxMessageBytes, SessionRegistry registry,
                     boolean admittedUpstream) {
        this.admittedUpstream = admittedUpstream;
        this.hub = Objects.requireNonNull(hub, "hub");
        this.protocol = Objects.requireNonNull(protocol, "protocol");
        if (maxMessageBytes < 1) {
            throw new IllegalArgumentException("maxMessageBytes must be >= 1: " + maxMessageBytes);
        }
        this.maxMessageBytes = maxMessageBytes;
        this.registry = registry;
    }

    /** A deployable config for {@code path}, limiting inbound messages to the hub's {@code maxFrameBytes}. */
    public static ServerEndpointConfig config(RealtimeHub hub, String path, Protocol protocol) {
        return config(hub, path, protocol, hub.maxFrameBytes(), null);
    }

    /**
     * A deployable config for {@code path}.
     *
     * @param maxMessageBytes largest inbound message in bytes (1 MB is the hub's default)
     * @param registry        tracks open sessions (e.g. to close them on shutdown), or {@code null}
     */
    public static ServerEndpointConfig config(RealtimeHub hub, String path, Protocol protocol, int maxMessageBytes,
                                              SessionRegistry registry) {
        return config(hub, path, protocol, maxMessageBytes, registry, false);
    }

    /**
     * As {@link #config(RealtimeHub, String, Protocol, int, SessionRegistry)}; {@code admittedUpstream} says that
     * the hub's admission checks already ran on the HTTP request (the standalone server does this to answer with
     * an HTTP status). Otherwise the endpoint runs them on open and closes a refused connection with 1008.
     */
    public static ServerEndpointConfig config(RealtimeHub hub, String path, Protocol protocol, int maxMessageBytes,
                                              SessionRegistry registry, boolean admittedUpstream) {
        Objects.requireNonNull(hub, "hub");
        Objects.requireNonNull(protocol, "protocol");
        if (path == null || !path.startsWith("/")) {
            throw new IllegalArgumentException("path must start with '/': " + path);
        }
        RealtimeEndpoint endpoint = new RealtimeEndpoint(hub, protocol, maxMessageBytes, registry, admittedUpstream);
        return ServerEndpointConfig.Builder.create(RealtimeEndpoint.class, path)
                .configurator(new HandshakeCapture(endpoint))
                .build();
    }

    @Override
    public void onOpen(Session session, EndpointConfig config) {
        try {
            session.setMaxTextMessageBufferSize(maxMessageBytes);
            session.setMaxBinaryMessageBufferSize(maxMessageBytes);
            Handshake handshake = handshakeOf(session, config);
            session.getUserProperties().remove(HANDSHAKE_PROPERTY);
            TyrusSessionTrim.trim(session);
            if (!admittedUpstream) {
                java.util.Optional<dev.realtime.core.HandshakeRejection> refused = hub.checkHandshake(protocol, handshake);
                if (refused.isPresent()) {
                    try {
                        session.close(new CloseReason(CloseReason.CloseCodes.VIOLATED_POLICY,
                                "refused (" + refused.get().status() + ")"));
                    } catch (java.io.IOException e) {
                        log.debug("close of a refused session failed: {}", e.toString());
                    }
                    return;
                }
            }
            ConnectionHandle handle = hub.connect(new JakartaTransport(session, handshake), protocol);
            session.getUserProperties().put(HANDLE_PROPERTY, handle);
            if (registry != null) {
                registry.add(session);
            }
            session.addMessageHandler(String.class, (MessageHandler.Whole<String>) text -> {
                try {
                    handle.onText(text);
                } catch (RuntimeException e) {
                    fail(session, handle, e);
                }
            });
            session.addMessageHandler(ByteBuffer.class, (MessageHandler.Whole<ByteBuffer>) data -> {
                try {
                    handle.onBinary(data);
                } catch (RuntimeException e) {
                    fail(session, handle, e);
                }
            });
        } catch (RuntimeException e) {
            log.warn("session {}: could not attach to the hub: {}", session.getId(), e.toString());
            new JakartaTransport(session, Handshake.of("")).close(1011, "internal error");
        }
    }

    @Override
    public void onClose(Session session, CloseReason closeReason) {
        try {
            if (registry != null) {
                registry.remove(session);
            }
            ConnectionHandle handle = handleOf(session);
            if (handle != null) {
                handle.onClose(closeReason.getCloseCode().getCode(), closeReason.getReasonPhrase());
            }
        } catch (RuntimeException e) {
            log.warn("session {}: failure while closing", session.getId(), e);
        }
    }

    @Override
    public void onError(Session session, Throwable error) {
        try {
            ConnectionHandle handle = handleOf(session);
            if (isTooBig(error)) {
                // the container is closing with 1009 itself; don't turn it into a 1011
                log.debug("session {}: inbound message too large: {}", session.getId(), error.toString());
                new JakartaTransport(session, Handshake.of("")).close(1009, "message too large");
                return;
            }
            if (handle != null) {
                handle.onError(error);
            } else {
                log.debug("session {}: transport error before open: {}", session.getId(), error.toString());
            }
        } catch (RuntimeException e) {
            log.warn("session {}: failure while handling an error", session.getId(), e);
        }
    }

    private static boolean isTooBig(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t.getClass().getSimpleName().equals("MessageTooBigException")) {
                return true;
            }
        }
        return false;
    }

    private static void fail(Session session, ConnectionHandle handle, RuntimeException e) {
        log.error("session {}: unexpected failure handling a message", session.getId(), e);
        handle.onError(e);
    }

    private static ConnectionHandle handleOf(Session session) {
        Object h = session.getUserProperties().get(HANDLE_PROPERTY);
        return h instanceof ConnectionHandle handle ? handle : null;
    }

    /** The handshake captured by the configurator, or one rebuilt from the session when the container lost it. */
    private static Handshake handshakeOf(Session session, EndpointConfig config) {
        // Jakarta WebSocket 2.1: the session's user properties are a per-connection copy of what modifyHandshake
        // left in the (shared) endpoint config, so read the session's, never the config's
        Object captured = session.getUserProperties().get(HANDSHAKE_PROPERTY);
        if (captured instanceof Handshake h) {
            return h;
        }
        URI uri = session.getRequestURI();
        return new Handshake(uri == null ? "" : uri.getPath(), Map.of(),
                session.getRequestParameterMap() == null ? Map.of() : session.getRequestParameterMap(),
                remoteAddress(session));
    }

    static String remoteAddress(Session session) {
        try {
            if (session instanceof org.glassfish.tyrus.core.TyrusSession tyrus) {
                return tyrus.getRemoteAddr();
            }
        } catch (LinkageError e) {
            // not running on Tyrus
        }
        return "unknown";
    }

    /**
     * Captures the upgrade request into the per-connection user properties and hands out endpoint instances
     * bound to the hub.
     */
    static final class HandshakeCapture extends ServerEndpointConfig.Configurator {
        private final RealtimeEndpoint endpoint;

        HandshakeCapture(RealtimeEndpoint endpoint) {
            this.endpoint = endpoint;
        }

        @Override
        public void modifyHandshake(ServerEndpointConfig sec, HandshakeRequest request, HandshakeResponse response) {
            try {
                URI uri = request.getRequestURI();
                Map<String, List<String>> headers = request.getHeaders() == null ? Map.of() : request.getHeaders();
                Map<String, List<String>> query = request.getParameterMap() == null ? Map.of()
                        : request.getParameterMap();
                sec.getUserProperties().put(HANDSHAKE_PROPERTY,
                        new Handshake(uri == null ? "" : uri.getPath(), headers, query, remoteAddress(request)));
            } catch (RuntimeException e) {
                log.warn("could not capture the handshake: {}", e.toString());
            }
        }

        @Override
        public <T> T getEndpointInstance(Class<T> endpointClass) throws InstantiationException {
            if (endpointClass.isInstance(endpoint)) {
                return endpointClass.cast(endpoint);
            }
            return super.getEndpointInstance(endpointClass);
        }

        private static String remoteAddress(HandshakeRequest request) {
            try {
                if (request instanceof org.glassfish.tyrus.core.RequestContext rc) {
                    return rc.getRemoteAddr();
                }
            } catch (LinkageError e) {
                // not running on Tyrus
            }
            return null;
        }
    }
}

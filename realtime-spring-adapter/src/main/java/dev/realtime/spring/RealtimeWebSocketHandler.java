package dev.realtime.spring;

import dev.realtime.core.ConnectionHandle;
import dev.realtime.core.DaemonThreads;
import dev.realtime.core.Handshake;
import dev.realtime.core.HandshakeRejection;
import dev.realtime.core.Protocol;
import dev.realtime.core.RealtimeHub;
import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.WebSocketMessage;
import org.springframework.web.socket.WebSocketSession;

/**
 * A Spring {@link WebSocketHandler} that attaches every session to a {@link RealtimeHub}, for one protocol (the
 * native JSON protocol or Socket.IO, chosen by the constructor argument): on open it wraps the session in a
 * {@link dev.realtime.core.Transport} and calls {@link RealtimeHub#connect}, then feeds the returned
 * {@link ConnectionHandle} every inbound text and binary message, transport errors and the close.
 *
 * <p>Register it together with a {@link RealtimeHandshakeInterceptor} for the same protocol, which checks the
 * upgrade request and leaves its {@link Handshake} under {@link #HANDSHAKE_ATTRIBUTE}; without one the handler
 * rebuilds the handshake from the session and runs the checks itself, closing a refused session with 1008. The
 * auto-configuration does all this at {@code realtime.native.path} and {@code realtime.socket-io.path}.
 *
 * <p><b>Threads.</b> Outbound frames never block the hub: they go through the container's asynchronous Jakarta
 * remote when the session has one, or else run on a small executor this handler creates on first use and shuts
 * down in {@link #close()}. <b>Errors.</b> No exception escapes to the container: a failure while attaching
 * closes the session with 1011, a failure while handling a message goes to the hub, which closes with 1011.
 * An inbound message over the size limit closes with 1009. Thread-safe; one instance serves all sessions.
 *
 * @since 0.1
 */
public class RealtimeWebSocketHandler implements WebSocketHandler, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RealtimeWebSocketHandler.class);

    /** Session attribute under which {@link RealtimeHandshakeInterceptor} leaves the {@link Handshake}. */
    public static final String HANDSHAKE_ATTRIBUTE = "dev.realtime.handshake";
    private static final String HANDLE_ATTRIBUTE = "dev.realtime.connection";

    private final RealtimeHub hub;
    private final Protocol protocol;
    private final int maxMessageBytes;
    /** Executor for blocking sends; created on first use, guarded by {@code this}. */
    private ExecutorService sendExecutor;
    /** Set by {@link #close()}, guarded by {@code this}. */
    private boolean closed;

    /**
     * @param hub             the hub sessions are attached to (not owned: never closed here)
     * @param protocol        the wire protocol spoken by the sessions of this handler
     * @param maxMessageBytes largest inbound text or binary message; larger ones close the session with 1009
     */
    public RealtimeWebSocketHandler(RealtimeHub hub, Protocol protocol, int maxMessageBytes) {
        this.hub = Objects.requireNonNull(hub, "hub");
        this.protocol = Objects.requireNonNull(protocol, "protocol");
        if (maxMessageBytes < 1) {
            throw new IllegalArgumentException("maxMessageBytes must be >= 1: " + maxMessageBytes);
        }
        this.maxMessageBytes = maxMessageBytes;
    }

    /** The protocol this handler speaks. */
    public Protocol protocol() {
        return protocol;
    }

    @Override
    public void afterConnectionEstablished(WebSocketSession session) {
        try {
            session.setTextMessageSizeLimit(maxMessageBytes);
            session.setBinaryMessageSizeLimit(maxMessageBytes);
            Object captured = session.getAttributes().get(HANDSHAKE_ATTRIBUTE);
            Handshake handshake;
            if (captured instanceof Handshake h) {
                handshake = h;
            } else {
                handshake = Handshakes.of(session);
                Optional<HandshakeRejection> refused = hub.checkHandshake(protocol, handshake);
                if (refused.isPresent()) {
                    closeQuietly(session, new CloseStatus(1008, "refused (" + refused.get().status() + ")"));
                    return;
                }
            }
            ConnectionHandle handle = hub.connect(new SpringTransport(session, handshake, this::sendExecutor),
                    protocol);
            session.getAttributes().put(HANDLE_ATTRIBUTE, handle);
        } catch (RuntimeException e) {
            log.warn("session {}: could not attach to the hub: {}", session.getId(), e.toString());
            closeQuietly(session, CloseStatus.SERVER_ERROR);
        }
    }

    @Override
    public void handleMessage(WebSocketSession session, WebSocketMessage<?> message) {
        ConnectionHandle handle = handleOf(session);
        if (handle == null) {
            return; // refused or failed to attach; the session is closing
        }
        try {
            if (message instanceof TextMessage text) {
                handle.onText(text.getPayload());
            } else if (message instanceof BinaryMessage binary) {
                handle.onBinary(binary.getPayload());
            }
            // pings are answered by the container; pongs carry nothing for the hub
        } catch (RuntimeException e) {
            log.error("session {}: unexpected failure handling a message", session.getId(), e);
            handle.onError(e);
        }
    }

    @Override
    public void handleTransportError(WebSocketSession session, Throwable error) {
        try {
            if (isTooBig(error)) {
                log.debug("session {}: inbound message too large: {}", session.getId(), error.toString());
                closeQuietly(session, CloseStatus.TOO_BIG_TO_PROCESS);
                return;
            }
            ConnectionHandle handle = handleOf(session);
            if (handle != null) {
                handle.onError(error);
            } else {
                log.debug("session {}: transport error before attach: {}", session.getId(), error.toString());
                closeQuietly(session, CloseStatus.SERVER_ERROR);
            }
        } catch (RuntimeException e) {
            log.warn("session {}: failure while handling a transport error", session.getId(), e);
        }
    }

    @Override
    public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
        try {
            ConnectionHandle handle = handleOf(session);
            if (handle != null) {
                handle.onClose(status.getCode(), status.getReason());
            }
        } catch (RuntimeException e) {
            log.warn("session {}: failure while closing", session.getId(), e);
        }
    }

    @Override
    public boolean supportsPartialMessages() {
        return false;
    }

    /** Shuts down the send executor if this handler created one. Sessions are closed by the hub, not here. */
    @Override
    public void close() {
        ExecutorService executor;
        synchronized (this) {
            closed = true;
            executor = sendExecutor;
        }
        if (executor != null) {
            DaemonThreads.stop(executor, Duration.ofSeconds(5));
        }
    }

    /** The executor for blocking sends, created on first use (only for sessions without an async remote). */
    private synchronized ExecutorService sendExecutor() {
        if (sendExecutor == null) {
            if (closed) {
                throw new java.util.concurrent.RejectedExecutionException("handler is closed");
            }
            int threads = Math.max(2, Runtime.getRuntime().availableProcessors());
            sendExecutor = Executors.newFixedThreadPool(threads, DaemonThreads.named(
                    "realtime-ws-send-" + protocol.name().toLowerCase(java.util.Locale.ROOT)));
        }
        return sendExecutor;
    }

    private static ConnectionHandle handleOf(WebSocketSession session) {
        return session.getAttributes().get(HANDLE_ATTRIBUTE) instanceof ConnectionHandle h ? h : null;
    }

    private static void closeQuietly(WebSocketSession session, CloseStatus status) {
        try {
            if (session.isOpen()) {
                session.close(status);
            }
        } catch (IOException | RuntimeException e) {
            log.debug("session {}: close({}) failed: {}", session.getId(), status.getCode(), e.toString());
        }
    }

    private static boolean isTooBig(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            String name = t.getClass().getSimpleName();
            if (name.equals("MessageTooBigException") || name.equals("MessageTooLargeException")) {
                return true;
            }
        }
        return false;
    }
}

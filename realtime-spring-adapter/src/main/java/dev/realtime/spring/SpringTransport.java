package dev.realtime.spring;

import dev.realtime.core.Handshake;
import dev.realtime.core.Transport;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.util.ClassUtils;
import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.adapter.NativeWebSocketSession;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketMessage;
import org.springframework.web.socket.WebSocketSession;

/**
 * The core {@link Transport} over a Spring {@link WebSocketSession}.
 *
 * <p>Spring's {@code sendMessage} blocks and must not be called concurrently. The hub's writer already sends one
 * frame at a time and waits for the callback, so this class only has to keep the hub's threads from blocking:
 * when the session wraps a Jakarta WebSocket session (Tomcat, Undertow, Jetty's Jakarta container) frames go
 * through its asynchronous remote and the container completes the callback; otherwise each send is handed to
 * {@code sendExecutor}, which runs the blocking {@code sendMessage} and then calls the callback.
 *
 * <p>{@link #close} may be called from any thread, any number of times, and never throws.
 */
final class SpringTransport implements Transport {
    private static final Logger log = LoggerFactory.getLogger(SpringTransport.class);
    private static final boolean JAKARTA_PRESENT = ClassUtils.isPresent("jakarta.websocket.Session",
            SpringTransport.class.getClassLoader());
    /** RFC 6455: a close reason is at most 123 bytes of UTF-8. */
    private static final int MAX_REASON_BYTES = 123;

    private final WebSocketSession session;
    private final Handshake handshake;
    /** Async sends through the native Jakarta session, or {@code null}: use the executor. */
    private final JakartaSender jakarta;
    /** Supplies the executor for blocking sends (created on first use by the handler that owns it). */
    private final Supplier<Executor> sendExecutor;

    SpringTransport(WebSocketSession session, Handshake handshake, Supplier<Executor> sendExecutor) {
        this.session = Objects.requireNonNull(session, "session");
        this.handshake = Objects.requireNonNull(handshake, "handshake");
        this.sendExecutor = Objects.requireNonNull(sendExecutor, "sendExecutor");
        this.jakarta = JAKARTA_PRESENT ? JakartaSender.of(session) : null;
    }

    @Override
    public Handshake handshake() {
        return handshake;
    }

    @Override
    public void sendText(String text, SendCallback whenDone) {
        if (jakarta != null) {
            jakarta.text(text, whenDone);
        } else {
            sendBlocking(new TextMessage(text), whenDone);
        }
    }

    @Override
    public void sendBinary(ByteBuffer data, SendCallback whenDone) {
        if (jakarta != null) {
            jakarta.binary(data, whenDone);
        } else {
            sendBlocking(new BinaryMessage(data), whenDone);
        }
    }

    private void sendBlocking(WebSocketMessage<?> message, SendCallback whenDone) {
        try {
            sendExecutor.get().execute(() -> {
                Throwable failure = null;
                try {
                    session.sendMessage(message);
                } catch (IOException | RuntimeException e) {
                    failure = e;
                }
                whenDone.done(failure);
            });
        } catch (RejectedExecutionException e) {
            whenDone.done(e);
        }
    }

    @Override
    public void close(int code, String reason) {
        try {
            if (session.isOpen()) {
                session.close(new CloseStatus(code, clip(reason)));
            }
        } catch (IOException | RuntimeException e) {
            log.debug("session {}: close({}) failed: {}", session.getId(), code, e.toString());
        }
    }

    static String clip(String reason) {
        if (reason == null) {
            return "";
        }
        String s = reason;
        while (s.getBytes(StandardCharsets.UTF_8).length > MAX_REASON_BYTES) {
            s = s.substring(0, s.length() - 1);
        }
        return s;
    }

    /** Sends through {@link jakarta.websocket.RemoteEndpoint.Async}; loaded only when Jakarta WebSocket is present. */
    static final class JakartaSender {
        private final jakarta.websocket.RemoteEndpoint.Async remote;

        private JakartaSender(jakarta.websocket.RemoteEndpoint.Async remote) {
            this.remote = remote;
        }

        static JakartaSender of(WebSocketSession session) {
            try {
                jakarta.websocket.Session nativeSession = session instanceof NativeWebSocketSession n
                        ? n.getNativeSession(jakarta.websocket.Session.class) : null;
                return nativeSession == null ? null : new JakartaSender(nativeSession.getAsyncRemote());
            } catch (RuntimeException e) {
                return null; // not a standard session, or already closed: fall back to blocking sends
            }
        }

        void text(String text, SendCallback whenDone) {
            try {
                remote.sendText(text, result -> whenDone.done(result.isOK() ? null : failure(result)));
            } catch (RuntimeException e) {
                whenDone.done(e);
            }
        }

        void binary(ByteBuffer data, SendCallback whenDone) {
            try {
                remote.sendBinary(data, result -> whenDone.done(result.isOK() ? null : failure(result)));
            } catch (RuntimeException e) {
                whenDone.done(e);
            }
        }

        private static Throwable failure(jakarta.websocket.SendResult result) {
            Throwable t = result.getException();
            return t != null ? t : new IOException("send failed");
        }
    }
}

package dev.realtime.jakarta;

import dev.realtime.core.Handshake;
import dev.realtime.core.Transport;
import jakarta.websocket.CloseReason;
import jakarta.websocket.SendHandler;
import jakarta.websocket.Session;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The core {@link Transport} over a Jakarta WebSocket {@link Session}: sends go through the session's async remote
 * and complete the hub's callback from the container's {@link SendHandler}; {@link #close} maps to
 * {@link Session#close(CloseReason)}. On a Tyrus server session without extensions it also takes the hub's
 * pre-encoded frames ({@link #acceptsWire()}) and writes them straight to the connection (see {@code TyrusWire}).
 *
 * <p><b>Thread-safety.</b> The hub's per-connection writer calls the send methods one at a time, as the
 * {@link Transport} contract promises; {@link #close} may be called from any thread, any number of times, and
 * never throws. Created by {@link RealtimeEndpoint} when a connection opens; lives as long as the session.
 *
 * @since 0.1
 */
public final class JakartaTransport implements Transport {
    private static final Logger log = LoggerFactory.getLogger(JakartaTransport.class);
    /** Close reasons are limited to 123 bytes of UTF-8 by RFC 6455. */
    private static final int MAX_REASON_BYTES = 123;

    private final Session session;
    private final Handshake handshake;
    /** Direct frame writes on a Tyrus server session, or null (then every send goes through the async remote). */
    private final WireWriter wire;

    /**
     * @param session   the open session this transport writes to
     * @param handshake the upgrade request as captured at handshake time
     */
    public JakartaTransport(Session session, Handshake handshake) {
        this.session = Objects.requireNonNull(session, "session");
        this.handshake = Objects.requireNonNull(handshake, "handshake");
        this.wire = TyrusWire.of(session);
    }

    @Override
    public Handshake handshake() {
        return handshake;
    }

    @Override
    public void sendText(String text, SendCallback whenDone) {
        try {
            session.getAsyncRemote().sendText(text, result -> whenDone.done(result.isOK() ? null : failure(result)));
        } catch (RuntimeException e) {
            whenDone.done(e);
        }
    }

    @Override
    public void sendBinary(ByteBuffer data, SendCallback whenDone) {
        try {
            session.getAsyncRemote().sendBinary(data, result -> whenDone.done(result.isOK() ? null : failure(result)));
        } catch (RuntimeException e) {
            whenDone.done(e);
        }
    }

    /** True on a Tyrus server session without extensions: the hub's pre-encoded frames are written directly. */
    @Override
    public boolean acceptsWire() {
        return wire != null;
    }

    @Override
    public void sendWire(byte[] frames, SendCallback whenDone) {
        if (wire == null) {
            Transport.super.sendWire(frames, whenDone);
            return;
        }
        try {
            wire.write(frames, whenDone);
        } catch (RuntimeException e) {
            whenDone.done(e);
        }
    }

    /**
     * Joined in the connection's reused buffer on Grizzly ({@link GrizzlyDirect}, up to its 2 KiB); else, and for
     * larger batches, joined into one array as by default.
     */
    @Override
    public void sendWire(byte[][] frames, int count, SendCallback whenDone) {
        try {
            if (wire instanceof GrizzlyDirect direct && direct.writeJoined(frames, count, whenDone)) {
                return;
            }
        } catch (RuntimeException e) {
            whenDone.done(e);
            return;
        }
        Transport.super.sendWire(frames, count, whenDone);
    }

    @Override
    public void close(int code, String reason) {
        try {
            if (session.isOpen()) {
                session.close(new CloseReason(CloseReason.CloseCodes.getCloseCode(code), clip(reason)));
            }
        } catch (Exception e) {
            log.debug("session {}: close({}) failed: {}", session.getId(), code, e.toString());
        }
    }

    /** The underlying session (for adapters and tests in this module). */
    Session session() {
        return session;
    }

    private static Throwable failure(jakarta.websocket.SendResult result) {
        Throwable t = result.getException();
        return t != null ? t : new IllegalStateException("send failed");
    }

    static String clip(String reason) {
        if (reason == null) {
            return "";
        }
        byte[] bytes = reason.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= MAX_REASON_BYTES) {
            return reason;
        }
        // cut on a character boundary
        String s = reason;
        while (s.getBytes(StandardCharsets.UTF_8).length > MAX_REASON_BYTES) {
            s = s.substring(0, s.length() - 1);
        }
        return s;
    }
}

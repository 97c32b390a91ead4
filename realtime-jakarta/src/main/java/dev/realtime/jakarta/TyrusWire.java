package dev.realtime.jakarta;

import dev.realtime.core.Transport;
import jakarta.websocket.Session;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import org.glassfish.tyrus.spi.CompletionHandler;
import org.glassfish.tyrus.spi.Writer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Direct writes of pre-encoded WebSocket frames to a Tyrus server session: the connection's
 * {@link org.glassfish.tyrus.spi.Writer} (Tyrus's SPI over the Grizzly connection). {@code sendText} on a Tyrus
 * session builds a {@code TextFrame} per call, re-encodes the string to UTF-8, copies it into a new frame array,
 * takes the protocol handler's lock and re-schedules the session's idle timer; a fan-out pays that once per
 * recipient. Writing the frame bytes the hub encoded once skips all of it, and lets several queued frames go out
 * in one write.
 *
 * <p>Tyrus exposes no public accessor for that writer, so it is read reflectively, once per session, from
 * {@code TyrusRemoteEndpoint.webSocket → TyrusWebSocket.protocolHandler → ProtocolHandler.writer} (Tyrus 2.1.x).
 * It is used only on a server session (frames unmasked) with no negotiated extension; when any of that does not
 * hold, or the fields are not there (another Tyrus version or another container), {@link #of} answers null and
 * the transport keeps to the standard API. Stateless apart from the writer; thread-safe as the writer is.
 */
final class TyrusWire implements WireWriter {
    private static final Logger log = LoggerFactory.getLogger(TyrusWire.class);
    private static final String SESSION = "org.glassfish.tyrus.core.TyrusSession";

    /** Tyrus's fields, or null when this Tyrus does not have them. Immutable after class initialization. */
    private static final Field[] PATH = fields();

    private final Writer writer;

    private TyrusWire(Writer writer) {
        this.writer = writer;
    }

    /**
     * Direct writes for {@code session}: past Grizzly's filter chain when Tyrus runs on Grizzly
     * ({@link GrizzlyDirect}), else through Tyrus's writer; null when not possible (see the class comment).
     */
    static WireWriter of(Session session) {
        if (PATH == null || !session.getClass().getName().equals(SESSION)
                || !session.getNegotiatedExtensions().isEmpty()) {
            return null;
        }
        try {
            Object webSocket = PATH[0].get(session.getAsyncRemote());
            Object handler = PATH[1].get(webSocket);
            if (PATH[2].getBoolean(handler)) {
                return null; // a client session: its frames must be masked
            }
            Object writer = PATH[3].get(handler);
            if (!(writer instanceof Writer w)) {
                return null;
            }
            WireWriter direct = grizzly(w);
            return direct != null ? direct : new TyrusWire(w);
        } catch (ReflectiveOperationException | RuntimeException e) {
            log.debug("no direct frame writes for session {}: {}", session.getId(), e.toString());
            return null;
        }
    }

    private static WireWriter grizzly(Writer w) {
        try {
            return GrizzlyDirect.of(w);
        } catch (LinkageError e) {
            return null; // Tyrus without Grizzly
        }
    }

    @Override
    public void write(byte[] frames, Transport.SendCallback whenDone) {
        writer.write(ByteBuffer.wrap(frames), new CompletionHandler<>() {
            @Override
            public void completed(ByteBuffer result) {
                whenDone.done(null);
            }

            @Override
            public void failed(Throwable throwable) {
                whenDone.done(throwable);
            }

            @Override
            public void cancelled() {
                whenDone.done(new java.util.concurrent.CancellationException("write cancelled"));
            }
        });
    }

    private static Field[] fields() {
        try {
            Field webSocket = Class.forName("org.glassfish.tyrus.core.TyrusRemoteEndpoint").getDeclaredField("webSocket");
            Field handler = Class.forName("org.glassfish.tyrus.core.TyrusWebSocket").getDeclaredField("protocolHandler");
            Class<?> ph = Class.forName("org.glassfish.tyrus.core.ProtocolHandler");
            Field client = ph.getDeclaredField("client");
            Field writer = ph.getDeclaredField("writer");
            Field[] path = {webSocket, handler, client, writer};
            for (Field f : path) {
                f.setAccessible(true);
            }
            return path;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return null;
        }
    }
}

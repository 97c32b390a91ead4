package dev.realtime.jakarta.server;

import java.nio.charset.StandardCharsets;
import org.glassfish.grizzly.Buffer;
import org.glassfish.grizzly.Connection;
import org.glassfish.grizzly.CompletionHandler;
import org.glassfish.grizzly.EmptyCompletionHandler;
import org.glassfish.grizzly.Grizzly;
import org.glassfish.grizzly.WriteResult;
import org.glassfish.grizzly.attributes.Attribute;
import org.glassfish.grizzly.filterchain.FilterChainContext;
import org.glassfish.grizzly.memory.Buffers;

/**
 * Writes the server's filters make on their own: a refusal, then the close; a WebSocket close frame, after which
 * no other frame leaves the connection (RFC 6455 §5.5.1). Called on the connection's I/O path; stateless.
 */
final class FilterWrites {
    /** The close frame the server wrote itself on a connection, for {@link #droppedAfterOwnClose}. */
    private static final Attribute<Object> OWN_CLOSE =
            Grizzly.DEFAULT_ATTRIBUTE_BUILDER.createAttribute("dev.realtime.ownCloseFrame");

    private FilterWrites() {
    }

    /**
     * Writes the server's own close frame {@code frame} from a filter of an upgraded connection, and closes the
     * connection once it is out when {@code thenClose}. From then on every other write is dropped: the hub's in
     * {@code GrizzlyDirect} (the caller has marked the guard's state first), the WebSocket layer's (its own close
     * frame, later) in {@link #droppedAfterOwnClose}.
     */
    static void ownClose(FilterChainContext ctx, Buffer frame, boolean thenClose) {
        OWN_CLOSE.set(ctx.getConnection(), frame);
        if (thenClose) {
            thenClose(ctx, frame);
        } else {
            ctx.write(null, frame, null, (org.glassfish.grizzly.asyncqueue.MessageCloner) null);
        }
    }

    /**
     * For a filter's {@code handleWrite} below the codec: true when the connection's own close frame is out and
     * this write is another, which is then dropped and reported complete to its writer (it goes nowhere, as if the
     * peer had dropped it; the connection is closing).
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    static boolean droppedAfterOwnClose(FilterChainContext ctx) {
        Object own = OWN_CLOSE.peek(ctx.getConnection());
        Object message = ctx.getMessage();
        if (own == null || own == message) {
            return false;
        }
        if (message instanceof Buffer b) {
            b.tryDispose();
        }
        CompletionHandler handler = ctx.getTransportContext().getCompletionHandler();
        if (handler != null) {
            handler.completed(WriteResult.create((Connection) ctx.getConnection(), message, null, 0));
        }
        return true;
    }

    /** A server close frame (unmasked) with {@code code} and a short ASCII {@code reason}. */
    static Buffer closeFrame(int code, String reason) {
        byte[] text = reason.getBytes(StandardCharsets.US_ASCII);
        byte[] frame = new byte[4 + text.length];
        frame[0] = (byte) 0x88;
        frame[1] = (byte) (2 + text.length);
        frame[2] = (byte) (code >> 8);
        frame[3] = (byte) (code & 0xFF);
        System.arraycopy(text, 0, frame, 4, text.length);
        return Buffers.wrap(org.glassfish.grizzly.memory.MemoryManager.DEFAULT_MEMORY_MANAGER, frame);
    }

    /** Writes {@code message} from a filter and closes the connection once it is out (or failed). */
    static void thenClose(FilterChainContext ctx, Object message) {
        Connection<?> connection = ctx.getConnection();
        ctx.write(null, message, new EmptyCompletionHandler<org.glassfish.grizzly.WriteResult>() {
            @Override
            public void completed(org.glassfish.grizzly.WriteResult result) {
                connection.closeSilently();
            }

            @Override
            public void failed(Throwable throwable) {
                connection.closeSilently();
            }
        }, (org.glassfish.grizzly.asyncqueue.MessageCloner) null);
    }
}

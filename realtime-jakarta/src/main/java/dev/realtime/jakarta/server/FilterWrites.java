package dev.realtime.jakarta.server;

import java.nio.charset.StandardCharsets;
import org.glassfish.grizzly.Buffer;
import org.glassfish.grizzly.Connection;
import org.glassfish.grizzly.CompletionHandler;
import org.glassfish.grizzly.EmptyCompletionHandler;
import org.glassfish.grizzly.WriteResult;
import org.glassfish.grizzly.filterchain.FilterChainContext;
import org.glassfish.grizzly.memory.Buffers;

/**
 * Writes the server's filters make on their own: a refusal, then the close; a WebSocket close frame, after which
 * no other frame leaves the connection (RFC 6455 §5.5.1). Called on the connection's I/O path; stateless.
 */
final class FilterWrites {
    private FilterWrites() {
    }

    /**
     * For a filter's {@code handleWrite} below the codec: true when the server's own close frame {@code own} is out
     * (not null) and this write is another, which is then dropped and reported complete to its writer (it goes
     * nowhere, as if the peer had dropped it; the connection is closing).
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    static boolean droppedAfter(FilterChainContext ctx, Object own) {
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

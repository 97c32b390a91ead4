package dev.realtime.jakarta.server;

import java.nio.charset.StandardCharsets;
import org.glassfish.grizzly.Buffer;
import org.glassfish.grizzly.Connection;
import org.glassfish.grizzly.EmptyCompletionHandler;
import org.glassfish.grizzly.filterchain.FilterChainContext;
import org.glassfish.grizzly.memory.Buffers;

/** Writes the server's filters make on their own: a refusal, then the close; a WebSocket close frame. */
final class FilterWrites {
    private FilterWrites() {
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

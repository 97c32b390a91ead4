package dev.realtime.jakarta.server;

import jakarta.websocket.CloseReason;
import java.nio.ByteBuffer;
import org.glassfish.grizzly.Buffer;
import org.glassfish.grizzly.Connection;
import org.glassfish.grizzly.attributes.AttributeHolder;
import org.glassfish.grizzly.http.HttpServerFilter;
import org.glassfish.grizzly.memory.ByteBufferArray;
import org.glassfish.tyrus.container.grizzly.client.TaskProcessor;
import org.glassfish.tyrus.spi.ReadHandler;

/**
 * The read path of an upgraded WebSocket connection, from the raw filter straight to Tyrus's read handler,
 * as Tyrus's own Grizzly filter does it (through the connection's task processor), but without the HTTP codec
 * in between. That lets the connection drop the HTTP codec's state: Grizzly keeps the upgrade request
 * ({@code ServerHttpRequestImpl} with its response, header arrays and some 36 {@code DataChunk}s, 8-10 KB) as the
 * connection's "request in process" for as long as the WebSocket lives, only so that later bytes pass through it
 * unparsed. Writes still go down the whole filter chain (the codec passes raw buffers through).
 *
 * <p>{@link #attach} finds Tyrus's connection and task processor among the Grizzly connection's attributes (set by
 * Tyrus's filter when the handshake succeeded; the names are Tyrus 2.1.x's) and answers null when they are not
 * there, in which case reads keep taking the standard path. Used by the connection's read path only.
 */
final class UpgradedReads {
    private static final String TYRUS_CONNECTION =
            "org.glassfish.tyrus.container.grizzly.server.GrizzlyServerFilter.Connection";
    private static final String TASK_PROCESSOR = TaskProcessor.class.getName() + ".TaskProcessor";
    private static final String KEEP_ALIVE = "HttpServerFilter.KeepAliveContext";

    private final org.glassfish.tyrus.spi.Connection tyrus;
    private final ReadHandler handler;
    private final TaskProcessor tasks;

    private UpgradedReads(org.glassfish.tyrus.spi.Connection tyrus, TaskProcessor tasks) {
        this.tyrus = tyrus;
        this.handler = tyrus.getReadHandler();
        this.tasks = tasks;
    }

    /** Direct reads for an upgraded {@code connection}, dropping its HTTP state; null when Tyrus's state is missing. */
    static UpgradedReads attach(Connection<?> connection) {
        AttributeHolder attributes = connection.getAttributes();
        if (attributes == null) {
            return null;
        }
        Object tyrus = attributes.getAttribute(TYRUS_CONNECTION);
        Object tasks = attributes.getAttribute(TASK_PROCESSOR);
        if (!(tyrus instanceof org.glassfish.tyrus.spi.Connection c) || !(tasks instanceof TaskProcessor t)) {
            return null;
        }
        attributes.removeAttribute(HttpServerFilter.HTTP_SERVER_REQUEST_ATTR_NAME);
        attributes.removeAttribute(KEEP_ALIVE);
        return new UpgradedReads(c, t);
    }

    /** Hands the bytes of one read to Tyrus, in order. */
    void read(Buffer buffer) {
        if (!buffer.hasRemaining()) {
            return;
        }
        if (!buffer.isComposite()) {
            tasks.processTask(new Read(buffer.toByteBuffer(), handler));
            return;
        }
        ByteBufferArray array = buffer.toByteBufferArray();
        ByteBuffer[] parts = array.getArray();
        for (int i = 0; i < array.size(); i++) {
            tasks.processTask(new Read(parts[i], handler));
        }
        array.recycle();
    }

    /**
     * Closes the connection through Tyrus, after the reads handed over before (in order, through the task
     * processor): Tyrus closes the Grizzly connection and its endpoint sees {@code 1009}. Any thread may call it.
     */
    void closeTooBig() {
        tasks.processTask(new TaskProcessor.Task() {
            @Override
            public void execute() {
                tyrus.close(new CloseReason(CloseReason.CloseCodes.TOO_BIG, "message too large"));
            }
        });
    }

    /** One read for the task processor. */
    private static final class Read extends TaskProcessor.Task {
        private final ByteBuffer bytes;
        private final ReadHandler handler;

        Read(ByteBuffer bytes, ReadHandler handler) {
            this.bytes = bytes;
            this.handler = handler;
        }

        @Override
        public void execute() {
            handler.handle(bytes);
        }
    }
}

package dev.realtime.jakarta;

import dev.realtime.core.Transport;
import java.lang.reflect.Field;
import org.glassfish.grizzly.Connection;
import org.glassfish.grizzly.EmptyCompletionHandler;
import org.glassfish.grizzly.WriteResult;
import org.glassfish.grizzly.asyncqueue.AsyncQueueEnabledTransport;
import org.glassfish.grizzly.asyncqueue.AsyncQueueWriter;
import org.glassfish.grizzly.asyncqueue.WritableMessage;
import org.glassfish.grizzly.memory.Buffers;
import org.glassfish.grizzly.memory.MemoryManager;

/**
 * Writes of pre-encoded frames straight into a Grizzly connection's asynchronous write queue, past the filter
 * chain: on an upgraded connection every filter's {@code handleWrite} only passes raw bytes on (the HTTP codec, the
 * handshake and guard filters), yet walking the chain cost about two thirds of each send in the fan-out profile.
 * Tyrus's own writes (pings, pongs, close frames) still take the chain; the write queue keeps every write whole and
 * in order. One write is in flight at a time (the hub's contract for a connection), so one completion handler is
 * reused. Loaded only when Tyrus runs on Grizzly.
 */
final class GrizzlyDirect extends EmptyCompletionHandler<WriteResult<WritableMessage, Object>> implements WireWriter {
    private static final String GRIZZLY_WRITER = "org.glassfish.tyrus.container.grizzly.client.GrizzlyWriter";

    private final Connection<Object> connection;
    private final AsyncQueueWriter<Object> queue;
    private final MemoryManager memory;
    /** The callback of the write in flight; set before the write, taken by its completion. */
    private volatile Transport.SendCallback pending;

    private GrizzlyDirect(Connection<Object> connection, AsyncQueueWriter<Object> queue) {
        this.connection = connection;
        this.queue = queue;
        this.memory = connection.getTransport().getMemoryManager();
    }

    /** Direct writes under Tyrus's {@code writer}, or null when it is not Tyrus's Grizzly writer. */
    @SuppressWarnings("unchecked")
    static GrizzlyDirect of(Object writer) {
        if (!writer.getClass().getName().equals(GRIZZLY_WRITER)) {
            return null;
        }
        try {
            Field f = writer.getClass().getDeclaredField("connection");
            f.setAccessible(true);
            Connection<Object> c = (Connection<Object>) f.get(writer);
            if (c != null && c.getTransport() instanceof AsyncQueueEnabledTransport t) {
                return new GrizzlyDirect(c, (AsyncQueueWriter<Object>) t.getAsyncQueueIO().getWriter());
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
        return null;
    }

    @Override
    public void write(byte[] frames, Transport.SendCallback whenDone) {
        pending = whenDone;
        queue.write(connection, Buffers.wrap(memory, frames), this);
    }

    @Override
    public void completed(WriteResult<WritableMessage, Object> result) {
        finish(null);
    }

    @Override
    public void failed(Throwable throwable) {
        finish(throwable);
    }

    @Override
    public void cancelled() {
        finish(new java.util.concurrent.CancellationException("write cancelled"));
    }

    private void finish(Throwable failure) {
        Transport.SendCallback cb = pending;
        pending = null;
        if (cb != null) {
            cb.done(failure);
        }
    }
}

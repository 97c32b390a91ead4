package dev.realtime.jakarta;

import dev.realtime.core.Transport;
import java.lang.reflect.Field;
import org.glassfish.grizzly.Connection;
import org.glassfish.grizzly.EmptyCompletionHandler;
import org.glassfish.grizzly.WriteResult;
import org.glassfish.grizzly.asyncqueue.AsyncQueueEnabledTransport;
import org.glassfish.grizzly.asyncqueue.AsyncQueueWriter;
import org.glassfish.grizzly.asyncqueue.WritableMessage;
import org.glassfish.grizzly.memory.HeapBuffer;

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

    /** Batches up to this many bytes are joined in {@link #scratch}. */
    static final int SCRATCH_MAX = 2048;
    private static final byte[] NOTHING = new byte[0];

    private final Connection<Object> connection;
    private final AsyncQueueWriter<Object> queue;

    /** Reused by every write (made at the first); see {@link WireBuffer}. */
    private WireBuffer buffer;
    /** Where batches are joined (made at the first, grown up to {@link #SCRATCH_MAX}); one write at a time. */
    private byte[] scratch;
    /** The callback of the write in flight; set before the write, taken by its completion. */
    private volatile Transport.SendCallback pending;

    private GrizzlyDirect(Connection<Object> connection, AsyncQueueWriter<Object> queue) {
        this.connection = connection;
        this.queue = queue;
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
        queue.write(connection, buffer().point(frames, frames.length), this);
    }

    /**
     * Writes {@code frames[0..count)} as one write. Up to {@link #SCRATCH_MAX} bytes are joined in an array this
     * connection keeps and reuses (one write is in flight at a time, and the write queue copies the bytes out when
     * it writes them), so a batch of queued frames leaves no garbage; larger batches get an array of their own.
     */
    void write(byte[][] frames, int count, Transport.SendCallback whenDone) {
        int total = 0;
        for (int i = 0; i < count; i++) {
            total += frames[i].length;
        }
        byte[] into = total <= SCRATCH_MAX ? scratch(total) : new byte[total];
        int at = 0;
        for (int i = 0; i < count; i++) {
            System.arraycopy(frames[i], 0, into, at, frames[i].length);
            at += frames[i].length;
        }
        pending = whenDone;
        queue.write(connection, buffer().point(into, total), this);
    }

    private byte[] scratch(int size) {
        byte[] s = scratch;
        if (s == null || s.length < size) {
            s = new byte[Math.min(SCRATCH_MAX, Integer.highestOneBit(Math.max(size, 128) - 1) << 1)];
            scratch = s;
        }
        return s;
    }

    private WireBuffer buffer() {
        WireBuffer b = buffer;
        if (b == null) {
            b = new WireBuffer();
            buffer = b;
        }
        return b;
    }

    /**
     * A heap buffer pointed at each write's bytes in turn: one per connection instead of one per write (56 B of
     * garbage per recipient). Safe because one write is in flight at a time and the write queue is done with the
     * buffer when it completes the write (what it does after, {@code release()}, is a no-op: the buffer may not be
     * disposed); it copies the bytes into its own direct buffer to write them, so nothing keeps a view.
     */
    private static final class WireBuffer extends HeapBuffer {
        WireBuffer() {
            super(NOTHING, 0, 0);
        }

        WireBuffer point(byte[] bytes, int length) {
            heap = bytes;
            offset = 0;
            pos = 0;
            cap = length;
            lim = length;
            mark = -1;
            byteBuffer = null;
            return this;
        }

        /** Never: the bytes are the hub's, shared by every recipient of an event. */
        @Override
        public void dispose() {
        }
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
        WireBuffer b = buffer;
        if (b != null) {
            b.point(NOTHING, 0); // an idle connection keeps no frame (its greeting is its own) alive
        }
        Transport.SendCallback cb = pending;
        pending = null;
        if (cb != null) {
            cb.done(failure);
        }
    }
}

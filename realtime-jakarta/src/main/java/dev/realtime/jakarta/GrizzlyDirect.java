package dev.realtime.jakarta;

import dev.realtime.core.Transport;
import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.function.BooleanSupplier;
import org.glassfish.grizzly.Buffer;
import org.glassfish.grizzly.Connection;
import org.glassfish.grizzly.EmptyCompletionHandler;
import org.glassfish.grizzly.IOEvent;
import org.glassfish.grizzly.WriteResult;
import org.glassfish.grizzly.asyncqueue.AsyncQueueEnabledTransport;
import org.glassfish.grizzly.asyncqueue.AsyncQueueWriter;
import org.glassfish.grizzly.asyncqueue.AsyncWriteQueueRecord;
import org.glassfish.grizzly.asyncqueue.TaskQueue;
import org.glassfish.grizzly.asyncqueue.WritableMessage;
import org.glassfish.grizzly.memory.Buffers;
import org.glassfish.grizzly.memory.HeapBuffer;
import org.glassfish.grizzly.nio.NIOConnection;

/**
 * Writes of pre-encoded frames straight to a Grizzly connection's socket, past the filter chain: on an upgraded
 * connection every filter's {@code handleWrite} only passes raw bytes on (the HTTP codec, the handshake and guard
 * filters), yet walking the chain cost about two thirds of each send in the fan-out profile.
 *
 * <p>When the connection's write queue is idle (nothing queued, no write in flight) a write reserves its bytes in
 * the queue, as Grizzly's own writer does, and calls the socket channel itself: no queue record, no completion
 * bookkeeping, no probe walk (7 % of the server's CPU per delivered message at 1,000 subscribers, in interleaved
 * runs). A write the socket does not take whole becomes the queue's current record, and Grizzly's selector
 * writes the rest when the socket is writable; a write that finds the queue busy (Tyrus's own pings, pongs and
 * close frames take the chain and the queue) is queued behind it. Either way every write stays whole and in
 * order. One write is in flight at a time (the hub's contract for a connection), so one completion handler is
 * reused. Loaded only when Tyrus runs on Grizzly.
 *
 * <p>Once the standalone server's guard (its state in the connection attribute {@value #GUARD_STATE}) has marked
 * the connection, before it writes a close frame of its own for an oversized or unmasked client frame, writes are
 * dropped and complete without error: RFC 6455 §5.5.1 lets no frame follow a close frame, and the client recovers
 * what a history stream missed by offset when it reconnects (an ack or a plain room emit dropped there is lost, as
 * with any connection that closes). A write that reserves the queue after the mark is dropped, whether it found the
 * queue idle or reserved behind the close frame; one that finds the queue busy is checked before it is queued, so
 * only a write that passed that check just before the mark may still follow (closing that window would take a lock
 * on every busy-path write).
 */
final class GrizzlyDirect extends EmptyCompletionHandler<WriteResult<WritableMessage, Object>> implements WireWriter {
    private static final String GRIZZLY_WRITER = "org.glassfish.tyrus.container.grizzly.client.GrizzlyWriter";

    /**
     * Name of the connection attribute with the standalone server's guard state ({@code ConnectionGuard}), which
     * answers, as a {@link BooleanSupplier}, whether the server's own close frame is out.
     */
    static final String GUARD_STATE = "dev.realtime.guard"; // = ConnectionGuard.STATE_ATTRIBUTE (another package)
    private static final BooleanSupplier NO_GUARD = () -> false;

    /** Batches up to this many bytes are joined in {@link #scratch}. */
    static final int SCRATCH_MAX = 2048;

    private final NIOConnection connection;
    private final AsyncQueueWriter<Object> queue;
    private final TaskQueue<AsyncWriteQueueRecord> tasks;
    private final SocketChannel channel;
    /** Whether the server's own close frame is out (the guard's state, looked up once; never, without a guard). */
    private final BooleanSupplier closeSent;
    /** Where batches are joined (made at the first, grown up to {@link #SCRATCH_MAX}); one write at a time. */
    private Scratch scratch;
    /** The callback of the write in flight; set before the write, taken by its completion. */
    private volatile Transport.SendCallback pending;

    private GrizzlyDirect(NIOConnection connection, AsyncQueueWriter<Object> queue, SocketChannel channel) {
        this.connection = connection;
        this.queue = queue;
        this.tasks = connection.getAsyncWriteQueue();
        this.channel = channel;
        Object guard = connection.getAttributes() == null ? null
                : connection.getAttributes().getAttribute(GUARD_STATE);
        this.closeSent = guard instanceof BooleanSupplier b ? b : NO_GUARD;
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
            if ((Connection<?>) c instanceof NIOConnection nio && nio.getChannel() instanceof SocketChannel channel
                    && nio.getAsyncWriteQueue() != null && c.getTransport() instanceof AsyncQueueEnabledTransport t) {
                return new GrizzlyDirect(nio, (AsyncQueueWriter<Object>) t.getAsyncQueueIO().getWriter(), channel);
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
        return null;
    }

    @Override
    public void write(byte[] frames, Transport.SendCallback whenDone) {
        pending = whenDone;
        if (reserveIdle(frames.length, frames, null)) {
            sendReserved(ByteBuffer.wrap(frames), null);
        }
    }

    /**
     * Writes {@code frames[0..count)} as one write when they come to at most {@link #SCRATCH_MAX} bytes, joined in a
     * buffer this connection keeps and reuses (one write is in flight at a time, and the socket or the write queue is
     * done with the bytes when the write completes), so a batch of queued frames leaves no garbage.
     *
     * @return false, having written nothing, when they are larger (the caller joins them into an array of their own)
     */
    boolean writeJoined(byte[][] frames, int count, Transport.SendCallback whenDone) {
        int total = 0;
        for (int i = 0; i < count; i++) {
            total += frames[i].length;
        }
        if (total > SCRATCH_MAX) {
            return false;
        }
        Scratch s = scratch;
        if (s == null || s.capacity() < total) {
            s = new Scratch(Math.min(SCRATCH_MAX, Integer.highestOneBit(Math.max(total, 128) - 1) << 1));
            scratch = s;
        }
        pending = whenDone;
        s.fill(frames, count, total);
        if (reserveIdle(total, null, s)) {
            sendReserved(s.view(total), s);
        }
        return true;
    }

    /**
     * Reserves {@code n} bytes in the write queue when it is idle, and answers true: the caller writes them to the
     * socket. Otherwise hands the write ({@code frames}, or {@code joined} when not null) to the queue and answers
     * false: through Grizzly's writer when the queue is busy, or, when another write reserved in between, as a record
     * queued behind that write, as Grizzly's writer queues a write that finds the queue busy.
     */
    private boolean reserveIdle(int n, byte[] frames, Scratch joined) {
        if (tasks.isEmpty() && connection.isOpen()) {
            if (tasks.reserveSpace(n) == n) {
                if (!closeSent.getAsBoolean()) {
                    return true;
                }
                releaseUnsent(n);
                return false;
            }
            if (closeSent.getAsBoolean()) { // the close frame may be the write that reserved first
                releaseUnsent(n);
                return false;
            }
            tasks.offer(AsyncWriteQueueRecord.create(connection, message(frames, joined), this, null, null, false));
            return false;
        }
        if (closeSent.getAsBoolean()) {
            finish(null);
            return false;
        }
        queue.write(asObject(connection), message(frames, joined), this);
        return false;
    }

    /** Gives back {@code n} reserved bytes of a write dropped after a close frame, and completes it. */
    private void releaseUnsent(int n) {
        try {
            if (tasks.releaseSpaceAndNotify(n) != 0) {
                connection.simulateIOEvent(IOEvent.WRITE); // someone queued behind the reservation
            }
        } catch (IOException | RuntimeException e) {
            connection.terminateWithReason(e instanceof IOException io ? io : new IOException(e));
        }
        finish(null);
    }

    @SuppressWarnings("unchecked")
    private static Connection<Object> asObject(NIOConnection c) {
        return (Connection<Object>) (Connection<?>) c;
    }

    private Buffer message(byte[] frames, Scratch joined) {
        return joined != null ? joined : Buffers.wrap(connection.getMemoryManager(), frames);
    }

    /**
     * Writes reserved bytes ({@code bytes}, a view of {@code joined} when not null) to the socket and completes the
     * write; what the socket does not take becomes the queue's current record, which Grizzly's selector writes when
     * the socket is writable (the rest stays reserved: the record releases it as it goes out).
     */
    private void sendReserved(ByteBuffer bytes, Scratch joined) {
        int n = bytes.remaining();
        int written;
        try {
            written = channel.write(bytes);
            int left = tasks.releaseSpaceAndNotify(written);
            if (written == n && left != 0) {
                connection.simulateIOEvent(IOEvent.WRITE); // someone queued behind this write
            }
        } catch (IOException | RuntimeException e) {
            connection.terminateWithReason(e instanceof IOException io ? io : new IOException(e));
            finish(e);
            return;
        }
        if (written == n) {
            finish(null);
            return;
        }
        Buffer rest = joined != null ? joined.position(written) : Buffers.wrap(connection.getMemoryManager(), bytes);
        tasks.setCurrentElement(AsyncWriteQueueRecord.create(connection, rest, this, null, null, false));
        try {
            connection.enableIOEvent(IOEvent.WRITE);
        } catch (IOException e) {
            connection.terminateWithReason(e); // the queue fails the current record, which tells the callback
        }
    }

    /**
     * A heap buffer over an array of its own, refilled for each batch, with one {@link ByteBuffer} view over the same
     * array. Only int fields change per write: storing a new reference into a long-lived object on every write would
     * cost more in the collector's write barrier and concurrent refinement (measured: 28 % of the server's CPU at
     * 1,000 subscribers and 20k msgs/s) than the garbage it saves. Safe because one write is in flight at a time and
     * the socket or the write queue is done with the bytes when the write completes (what the queue does after,
     * {@code release()}, is a no-op: the buffer may not be disposed).
     */
    private static final class Scratch extends HeapBuffer {
        private final ByteBuffer view;

        Scratch(int capacity) {
            super(new byte[capacity], 0, capacity);
            view = ByteBuffer.wrap(heap);
        }

        void fill(byte[][] frames, int count, int total) {
            int at = 0;
            for (int i = 0; i < count; i++) {
                System.arraycopy(frames[i], 0, heap, at, frames[i].length);
                at += frames[i].length;
            }
            pos = 0;
            lim = total;
            mark = -1;
        }

        ByteBuffer view(int total) {
            return view.limit(total).position(0);
        }

        /** Never: the connection reuses it. */
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
        Transport.SendCallback cb = pending;
        pending = null;
        if (cb != null) {
            cb.done(failure);
        }
    }
}

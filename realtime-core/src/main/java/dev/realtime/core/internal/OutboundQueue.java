package dev.realtime.core.internal;

import dev.realtime.core.Transport;
import java.nio.ByteBuffer;

/**
 * The single writer of one connection: a bounded queue drained by chained asynchronous sends, so that exactly
 * one write is in flight per connection and publishers never block.
 *
 * <p>Conflation: once enough frames are waiting (16 by default), a frame with a conflation key replaces a
 * still-queued frame with the same key (the old one is dropped, the new one goes to the tail, so publish order is
 * kept). Frames without a key (completions, errors, acks) are never dropped. When more than {@code capacity}
 * frames, or more than {@code maxBytes} bytes, are queued the queue is "over the bound"; the owner closes the
 * connection when it stays over for too long or reaches twice the bound.
 *
 * <p>Wire mode: when the transport {@linkplain Transport#acceptsWire() takes wire frames}, each frame is encoded
 * to its WebSocket bytes through the hub's {@link WireFrames} (once per event for a fan-out, the bytes shared by
 * every recipient) and the frames waiting when a write starts go out together in one write, up to
 * {@link #BATCH_BYTES}. Otherwise each frame part is one {@code sendText}/{@code sendBinary}.
 *
 * <p>The drain loop starts on the hub's writer (a {@link WriteScheduler}), so a publisher fanning out to many
 * connections only enqueues and the sends spread over at most one writer per core; completions arriving on
 * transport threads continue the loop there. Thread-safe; the queue state is guarded by {@code this}, which is
 * held once per write for bookkeeping (encoding and sends happen outside it); a send and its completion hand
 * the loop over through {@code sendPhase} without it.
 */
final class OutboundQueue {
    /** Reasons the owner is told about. */
    interface Owner {
        void sent(int frames);

        void conflated();

        void overflow(String reason);

        void sendFailed(Throwable failure);

        /** The monotonic time in nanoseconds (the hub's ticker; a fake one in tests). */
        default long nanoTime() {
            return System.nanoTime();
        }
    }

    /**
     * Frames that must be waiting before progress is conflated: a short burst to a client that keeps up is
     * delivered whole; only a client that falls behind gets "latest wins".
     */
    private final int conflateAfter;

    /** Largest write of several queued frames, in bytes (a single larger frame still goes alone). */
    static final int BATCH_BYTES = 32 * 1024;

    private final Transport transport;
    /** The transport when it is an Engine.IO session (which may be long-polling), else null. */
    private final EngineIoTransport polls;
    private final Owner owner;
    /** The hub's frame encoder in wire mode, else null. */
    private final WireFrames wire;
    private final long maxBytes;
    /** Runs the drain loop off the caller's thread (so a publisher only enqueues), or null to drain inline. */
    private final java.util.concurrent.Executor writer;
    private final Runnable drainTask = this::drain;
    /** One completion callback for every send, not one allocation per frame. */
    private final Transport.SendCallback sentCallback = this::onSent;
    private final int capacity;
    /** The frames waiting; created when one first has to wait (most connections keep up). Guarded by this. */
    private PendingFrames pending;
    /** Frames in the write in flight, counted when it completes; written before the send, read by its completion. */
    private volatile int inFlight;
    /** The frame being written, and the index of its next part. Guarded by this. */
    private Frame current;
    private int part;
    /** Whether a send is in flight or the drain loop is running. Guarded by this. */
    private boolean busy;
    /**
     * The hand-off between the drain loop and a send's completion, without the lock: {@link #IN_CALL} while the
     * send call is on the loop's stack; a completion that finds it there sets {@link #DONE_INLINE} and the loop
     * goes on; a loop that returns from the call first sets {@link #RETURNED} and the completion continues the
     * drain on its own thread.
     */
    private volatile int sendPhase;
    private static final int IN_CALL = 1;
    private static final int RETURNED = 2;
    private static final int DONE_INLINE = 3;
    private static final int FAILED = 4;
    private static final java.lang.invoke.VarHandle SEND_PHASE;

    static {
        try {
            SEND_PHASE = java.lang.invoke.MethodHandles.lookup().findVarHandle(OutboundQueue.class, "sendPhase",
                    int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
    /** When the queue went over the bound (System.nanoTime), or 0. Guarded by this. */
    private long overSince;
    private boolean closed;
    /** Set by {@link #closeAfterDrain}: what to run when the queue is empty. Guarded by this. */
    private Runnable afterDrain;

    OutboundQueue(Transport transport, Owner owner, int capacity, long maxBytes, int conflateAfter,
                  java.util.concurrent.Executor writer, WireFrames wire) {
        this.writer = writer;
        this.maxBytes = maxBytes;
        this.wire = wire != null && transport.acceptsWire() ? wire : null;
        this.conflateAfter = conflateAfter;
        this.transport = transport;
        this.polls = transport instanceof EngineIoTransport t ? t : null;
        this.owner = owner;
        this.capacity = capacity;
    }

    /** Queues a frame; returns false when the queue is closed. */
    boolean offer(Frame frame) {
        boolean start;
        String overflow = null;
        synchronized (this) {
            if (closed) {
                return false;
            }
            if (!busy && current == null && live() == 0) {
                // fast path, the common case of a client keeping up: nothing queued, nothing in flight, so the
                // frame goes straight out without a slot or conflation bookkeeping
                busy = true;
                current = frame;
                part = 0;
                start = true;
            } else {
                start = enqueueLocked(frame);
                overflow = overflowLocked();
            }
        }
        if (overflow != null) {
            owner.overflow(overflow);
            return false;
        }
        if (start) {
            startDrain();
        }
        return true;
    }

    private void startDrain() {
        if (writer == null) {
            drain();
            return;
        }
        try {
            writer.execute(drainTask);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            drain(); // the hub is shutting down: finish on this thread
        }
    }

    /** Queues behind what is pending; returns whether the drain loop must be started. Caller holds the lock. */
    private boolean enqueueLocked(Frame frame) {
        if (pending == null) {
            pending = new PendingFrames(conflateAfter);
        }
        if (pending.add(frame)) {
            owner.conflated();
        }
        boolean start = !busy;
        if (start) {
            busy = true;
        }
        return start;
    }

    private int live() {
        return pending == null ? 0 : pending.live();
    }

    /** Notes when the queue went over the bound; the reason to close when it reached twice the bound. */
    private String overflowLocked() {
        int live = pending.live();
        long bytes = pending.bytes();
        if (live > capacity || bytes > maxBytes) {
            if (overSince == 0) {
                overSince = owner.nanoTime();
            }
            if (live > 2 * capacity) {
                return "slow consumer: " + live + " frames queued";
            }
            if (bytes > 2 * maxBytes) {
                return "slow consumer: " + bytes + " bytes queued";
            }
        }
        return null;
    }

    /** Nanoseconds the queue has been over the bound, or 0. */
    synchronized long overBoundNanos(long nowNanos) {
        return overSince == 0 ? 0 : nowNanos - overSince;
    }

    synchronized int size() {
        return live();
    }

    /** Drops everything queued; later offers are refused. */
    synchronized void close() {
        closed = true;
        pending = null;
        afterDrain = null;
    }

    /**
     * Refuses new frames but lets the queued ones (an error frame, say) go out, then runs {@code then}; runs it at
     * once when nothing is pending. The owner bounds the wait.
     */
    void closeAfterDrain(Runnable then) {
        boolean now;
        synchronized (this) {
            closed = true;
            now = !busy && live() == 0 && current == null;
            if (!now) {
                afterDrain = then;
            }
        }
        if (now) {
            then.run();
        }
    }

    /** Runs the pending close once everything queued before it has been written. */
    private void drained() {
        Runnable then;
        synchronized (this) {
            then = afterDrain;
            afterDrain = null;
        }
        if (then != null) {
            then.run();
        }
    }

    private void drain() {
        if (wire != null) {
            drainWire();
            return;
        }
        // a long-polling session answers its waiting GET once per pass, with every frame of the pass
        if (polls == null || !polls.holdAnswers()) {
            drainFrames();
            return;
        }
        try {
            drainFrames();
        } finally {
            polls.releaseAnswers();
        }
    }

    private void drainFrames() {
        while (true) {
            Frame frame;
            int index;
            synchronized (this) {
                if (current == null) {
                    Frame next = nextFrame();
                    if (next == null) {
                        busy = false;
                        break;
                    }
                    current = next;
                    part = 0;
                }
                frame = current;
                index = part++;
                if (part >= frame.parts()) {
                    current = null;
                }
                inFlight = 1;
                sendPhase = IN_CALL;
            }
            sendPart(frame, index);
            if (!continueAfterSend()) {
                return; // the completion callback continues the drain (or the send failed)
            }
        }
        drained();
    }

    /**
     * Wire mode: every frame waiting (up to {@link #BATCH_BYTES}) in one write. A lone frame (a client that keeps
     * up) is written as the event's shared bytes, with no array or copy made for it.
     */
    private void drainWire() {
        while (true) {
            Frame first = null;
            Frame[] batch = null;
            int n = 0;
            synchronized (this) {
                long size = 0;
                if (current != null) {
                    first = current;
                    size = PendingFrames.size(current);
                    current = null;
                    n = 1;
                }
                Frame next;
                while (size < BATCH_BYTES && pending != null && (next = pending.peek()) != null) {
                    long s = PendingFrames.size(next);
                    if (n > 0 && size + s > BATCH_BYTES) {
                        break;
                    }
                    nextFrame();
                    if (n == 0) {
                        first = next;
                    } else {
                        if (batch == null) {
                            batch = new Frame[8];
                            batch[0] = first;
                        } else if (n == batch.length) {
                            batch = java.util.Arrays.copyOf(batch, n * 2);
                        }
                        batch[n] = next;
                    }
                    n++;
                    size += s;
                }
                if (n == 0) {
                    busy = false;
                    break;
                }
                int parts = first.parts();
                for (int i = 1; i < n; i++) {
                    parts += batch[i].parts();
                }
                inFlight = parts;
                sendPhase = IN_CALL;
            }
            sendWire(first, batch, n);
            if (!continueAfterSend()) {
                return; // the completion callback continues the drain (or the send failed)
            }
        }
        drained();
    }

    private void sendWire(Frame single, Frame[] batch, int n) {
        try {
            if (n == 1) {
                transport.sendWire(wire.encode(single), sentCallback);
            } else {
                transport.sendWire(wire.batch(batch, n), n, sentCallback);
            }
        } catch (RuntimeException e) {
            onSent(e);
        }
    }

    /** Takes the oldest waiting frame (null when none) and clears the over-the-bound mark once back under it. */
    private Frame nextFrame() {
        Frame f = pending == null ? null : pending.poll();
        if (f != null && pending.live() <= capacity && pending.bytes() <= maxBytes) {
            overSince = 0;
        }
        return f;
    }

    private void sendPart(Frame frame, int index) {
        Transport.SendCallback done = sentCallback;
        try {
            if (frame.text() != null) {
                if (index == 0) {
                    transport.sendText(frame.text(), done);
                } else {
                    transport.sendBinary(frame.binaries().get(index - 1).duplicate(), done);
                }
            } else {
                ByteBuffer b = frame.binaries().get(index);
                transport.sendBinary(b.duplicate(), done);
            }
        } catch (RuntimeException e) {
            onSent(e);
        }
    }

    /** After a send call returned: true when its completion already ran inline, so this loop goes on. */
    private boolean continueAfterSend() {
        return !SEND_PHASE.compareAndSet(this, IN_CALL, RETURNED) && sendPhase == DONE_INLINE;
    }

    private void onSent(Throwable failure) {
        if (failure != null) {
            synchronized (this) {
                busy = false;
            }
            sendPhase = FAILED;
            close();
            owner.sendFailed(failure);
            return;
        }
        int frames = inFlight;
        boolean inline = SEND_PHASE.compareAndSet(this, IN_CALL, DONE_INLINE);
        owner.sent(frames);
        if (!inline) {
            drain();
        }
    }
}

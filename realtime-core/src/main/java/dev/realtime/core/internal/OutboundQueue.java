package dev.realtime.core.internal;

import dev.realtime.core.Transport;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.HashMap;

/**
 * The single writer of one connection: a bounded queue drained by chained asynchronous sends, so that exactly
 * one frame is in flight per connection and publishers never block.
 *
 * <p>Conflation: once enough frames are waiting (16 by default), a frame with a conflation key replaces a
 * still-queued frame with the same key (the old one is dropped, the new one goes to the tail, so publish order is
 * kept). Frames without a key (completions, errors,
 * acks) are never dropped. When more than {@code capacity} frames are queued the queue is "over the bound"; the
 * owner closes the connection when it stays over for too long or reaches twice the bound.
 *
 * <p>The drain loop starts on the hub's writer executor, so a publisher fanning out to many connections only
 * enqueues and the sends spread over the writer threads; completions arriving on transport threads continue the
 * loop there. Thread-safe; all mutable state is guarded by {@code this}. Sends happen outside the lock.
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

    private static final class Slot {
        final Frame frame;
        boolean dropped;

        Slot(Frame frame) {
            this.frame = frame;
        }
    }

    /**
     * Frames that must be waiting before progress is conflated: a short burst to a client that keeps up is
     * delivered whole; only a client that falls behind gets "latest wins".
     */
    private final int conflateAfter;

    private final Transport transport;
    private final Owner owner;
    /** Runs the drain loop off the caller's thread (so a publisher only enqueues), or null to drain inline. */
    private final java.util.concurrent.Executor writer;
    private final Runnable drainTask = this::drain;
    /** One completion callback for every send, not one allocation per frame. */
    private final Transport.SendCallback sentCallback = this::onSent;
    private final int capacity;
    /** Queued slots, oldest first; dropped ones are skipped. Guarded by this. */
    private final ArrayDeque<Slot> queue = new ArrayDeque<>();
    /** Queued conflatable slots by key. Guarded by this. */
    private final HashMap<String, Slot> byKey = new HashMap<>();
    /** Queued frames not dropped. Guarded by this. */
    private int live;
    /** The frame being written, and the index of its next part. Guarded by this. */
    private Frame current;
    private int part;
    /** Whether a send is in flight or the drain loop is running. Guarded by this. */
    private boolean busy;
    /** Set while a send call is on the stack of the drain loop; lets inline completions continue the loop. */
    private boolean inSendCall;
    private boolean completedInline;
    /** When the queue went over the bound (System.nanoTime), or 0. Guarded by this. */
    private long overSince;
    private boolean closed;
    /** Set by {@link #closeAfterDrain}: what to run when the queue is empty. Guarded by this. */
    private Runnable afterDrain;

    OutboundQueue(Transport transport, Owner owner, int capacity, int conflateAfter,
                  java.util.concurrent.Executor writer) {
        this.writer = writer;
        this.conflateAfter = conflateAfter;
        this.transport = transport;
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
            if (!busy && current == null && live == 0) {
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
        String key = frame.conflationKey();
        if (key != null && live >= conflateAfter) {
            Slot old = byKey.get(key);
            if (old != null) {
                old.dropped = true;
                live--;
                owner.conflated();
            }
        }
        Slot slot = new Slot(frame);
        queue.addLast(slot);
        live++;
        if (key != null) {
            byKey.put(key, slot);
        }
        boolean start = !busy;
        if (start) {
            busy = true;
        }
        return start;
    }

    /** Notes when the queue went over the bound; the reason to close when it reached twice the bound. */
    private String overflowLocked() {
        if (live > capacity) {
            if (overSince == 0) {
                overSince = owner.nanoTime();
            }
            if (live > 2 * capacity) {
                return "slow consumer: " + live + " frames queued";
            }
        }
        return null;
    }

    /** Nanoseconds the queue has been over the bound, or 0. */
    synchronized long overBoundNanos(long nowNanos) {
        return overSince == 0 ? 0 : nowNanos - overSince;
    }

    synchronized int size() {
        return live;
    }

    /** Drops everything queued; later offers are refused. */
    synchronized void close() {
        closed = true;
        queue.clear();
        byKey.clear();
        live = 0;
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
            now = !busy && live == 0 && current == null;
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
        while (true) {
            Frame frame;
            int index;
            synchronized (this) {
                if (current == null) {
                    Slot slot = nextSlot();
                    if (slot == null) {
                        busy = false;
                        break;
                    }
                    current = slot.frame;
                    part = 0;
                }
                frame = current;
                index = part++;
                if (part >= frame.parts()) {
                    current = null;
                }
                inSendCall = true;
                completedInline = false;
            }
            sendPart(frame, index);
            synchronized (this) {
                inSendCall = false;
                if (!completedInline) {
                    return; // the completion callback continues the drain
                }
            }
        }
        drained();
    }

    private Slot nextSlot() {
        Slot slot;
        while ((slot = queue.pollFirst()) != null) {
            if (slot.dropped) {
                continue;
            }
            live--;
            String key = slot.frame.conflationKey();
            if (key != null && byKey.get(key) == slot) {
                byKey.remove(key);
            }
            if (live <= capacity) {
                overSince = 0;
            }
            return slot;
        }
        return null;
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

    private void onSent(Throwable failure) {
        if (failure != null) {
            synchronized (this) {
                busy = false;
                inSendCall = false;
            }
            close();
            owner.sendFailed(failure);
            return;
        }
        owner.sent(1);
        synchronized (this) {
            if (inSendCall) {
                completedInline = true;
                return;
            }
        }
        drain();
    }
}

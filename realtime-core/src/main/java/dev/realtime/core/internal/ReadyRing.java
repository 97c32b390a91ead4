package dev.realtime.core.internal;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A bounded lock-free queue for many producers and many consumers that allocates nothing per element (D. Vyukov's
 * bounded MPMC queue: each cell carries a sequence number that says whose turn it is, so a reused cell cannot be
 * mistaken for a fresh one). {@link #offer} answers false when full; the caller keeps another queue for that.
 *
 * <p>Visibility: an element is visible to {@link #poll} and {@link #isEmpty} once its {@code offer} has returned
 * (the cell's sequence is published with a volatile write). While an earlier {@code offer} is still between its
 * claim and its publication, later elements wait behind it, and both methods may answer "empty"; a caller that, like
 * {@link WriteScheduler}, checks for a consumer after each of its own offers loses nothing. Thread-safe.
 */
final class ReadyRing<T> {
    private final int mask;
    private final AtomicLongArray sequence;
    private final AtomicReferenceArray<T> items;
    private final AtomicLong head = new AtomicLong();
    private final AtomicLong tail = new AtomicLong();

    /** @param capacity a power of two, at least 2 */
    ReadyRing(int capacity) {
        if (capacity < 2 || Integer.bitCount(capacity) != 1) {
            throw new IllegalArgumentException("capacity must be a power of two >= 2: " + capacity);
        }
        this.mask = capacity - 1;
        this.sequence = new AtomicLongArray(capacity);
        this.items = new AtomicReferenceArray<>(capacity);
        for (int i = 0; i < capacity; i++) {
            sequence.set(i, i);
        }
    }

    /** Adds {@code item} (not null); false when the ring is full. */
    boolean offer(T item) {
        long pos = tail.get();
        while (true) {
            int i = (int) pos & mask;
            long dif = sequence.get(i) - pos;
            if (dif == 0) {
                if (tail.compareAndSet(pos, pos + 1)) {
                    items.setPlain(i, item);
                    sequence.set(i, pos + 1); // publishes the item
                    return true;
                }
                pos = tail.get();
            } else if (dif < 0) {
                return false; // the cell a lap ago is not consumed yet: full
            } else {
                pos = tail.get(); // another producer took this cell
            }
        }
    }

    /** Takes the oldest published element, or null. */
    T poll() {
        long pos = head.get();
        while (true) {
            int i = (int) pos & mask;
            long dif = sequence.get(i) - (pos + 1);
            if (dif == 0) {
                if (head.compareAndSet(pos, pos + 1)) {
                    T item = items.getPlain(i);
                    items.setPlain(i, null);
                    sequence.set(i, pos + mask + 1); // the cell is free for the producer a lap ahead
                    return item;
                }
                pos = head.get();
            } else if (dif < 0) {
                return null; // not published yet: empty for now
            } else {
                pos = head.get(); // another consumer took this cell
            }
        }
    }

    /** True when no published element waits at the head (a racing offer may make it stale at once). */
    boolean isEmpty() {
        long pos = head.get();
        return sequence.get((int) pos & mask) - (pos + 1) < 0;
    }
}

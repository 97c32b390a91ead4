package dev.realtime.core.internal;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.HashMap;

/**
 * The frames waiting in one connection's {@link OutboundQueue}, oldest first, with their count and size and the
 * conflation of progress: once {@code conflateAfter} conflatable frames wait, a frame with a conflation key
 * replaces the one still waiting with the same key (the old one is dropped, the new one goes to the tail). Only
 * frames with a key count: frames that must all go out (a resume's replay of history, completions, errors) do not
 * make the live progress behind them conflate, so a client that resumes gets the replay and every event published
 * meanwhile, and conflation starts only once progress itself piles up. The key index exists only while conflation
 * is possible (a client that keeps up never pays a map insert per frame) and is dropped when the queue empties.
 * Created by the queue when a frame first has to wait. Not thread-safe: guarded by the queue's lock.
 */
final class PendingFrames {
    private static final class Slot {
        final Frame frame;
        boolean dropped;

        Slot(Frame frame) {
            this.frame = frame;
        }
    }

    private final int conflateAfter;
    private final ArrayDeque<Slot> slots = new ArrayDeque<>(4);
    /** Waiting conflatable slots by key, once {@link #conflateAfter} of them waited; null when the queue empties. */
    private HashMap<String, Slot> byKey;
    /** Frames waiting and not dropped, and their size ({@link #size}). */
    private int live;
    private long bytes;
    /** Frames waiting and not dropped that have a conflation key. */
    private int keyed;

    PendingFrames(int conflateAfter) {
        this.conflateAfter = conflateAfter;
    }

    int live() {
        return live;
    }

    long bytes() {
        return bytes;
    }

    /** Queues {@code frame} at the tail; true when it replaced (dropped) a waiting frame with its key. */
    boolean add(Frame frame) {
        String key = frame.conflationKey();
        boolean conflated = false;
        if (key != null && keyed >= conflateAfter) {
            if (byKey == null) {
                index();
            }
            Slot old = byKey.get(key);
            if (old != null) {
                old.dropped = true;
                live--;
                keyed--;
                bytes -= size(old.frame);
                conflated = true;
            }
        }
        Slot slot = new Slot(frame);
        slots.addLast(slot);
        live++;
        bytes += size(frame);
        if (key != null) {
            keyed++;
            if (byKey != null) {
                byKey.put(key, slot);
            }
        }
        return conflated;
    }

    /** The oldest waiting frame, left in place, or null. */
    Frame peek() {
        Slot slot;
        while ((slot = slots.peekFirst()) != null && slot.dropped) {
            slots.pollFirst();
        }
        return slot == null ? null : slot.frame;
    }

    /** Takes the oldest waiting frame, or null. */
    Frame poll() {
        Slot slot;
        while ((slot = slots.pollFirst()) != null) {
            if (slot.dropped) {
                continue;
            }
            live--;
            bytes -= size(slot.frame);
            String key = slot.frame.conflationKey();
            if (key != null) {
                keyed--;
                if (byKey != null && byKey.get(key) == slot) {
                    byKey.remove(key);
                }
            }
            if (live == 0) {
                byKey = null;
            }
            return slot.frame;
        }
        return null;
    }

    /** What a frame counts against the byte bound: the UTF-16 length of its text plus its binary bytes. */
    static long size(Frame f) {
        long n = f.text() == null ? 0 : f.text().length();
        java.util.List<ByteBuffer> binaries = f.binaries();
        for (int i = 0, k = binaries.size(); i < k; i++) { // no iterator: this runs for every queued frame
            n += binaries.get(i).remaining();
        }
        return n;
    }

    private void index() {
        byKey = new HashMap<>();
        for (Slot s : slots) {
            String k = s.frame.conflationKey();
            if (!s.dropped && k != null) {
                byKey.put(k, s);
            }
        }
    }
}

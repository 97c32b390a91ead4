package dev.realtime.core.history;

import dev.realtime.core.broker.Envelope;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The single-node {@link RecoveryLog}: a ring of recent envelopes bounded by count, bytes (the UTF-8-ish size of
 * event, data and rooms; default 64 MB) and age. Old entries leave on every append and on {@link #expire()},
 * which the hub calls from its scheduler, so memory is released even when nobody recovers. Ids start at a
 * value derived from the start time, so ids from an earlier run of the process are never mistaken for current
 * ones. Thread-safe; all state guarded by {@code this}.
 *
 * @since 0.1
 */
public final class InMemoryRecoveryLog implements RecoveryLog {
    private final int maxEntries;
    private final Duration retention;
    private final Clock clock;
    /** Default byte bound of {@link #InMemoryRecoveryLog(int, Duration, Clock)}. */
    public static final long DEFAULT_MAX_BYTES = 64L << 20;

    private final long maxBytes;
    private final ArrayDeque<Envelope> entries = new ArrayDeque<>();
    /** Estimated bytes held by {@link #entries}. */
    private long bytes;
    /** Id of the latest appended envelope. */
    private long top;
    /** Id of the first envelope this log ever held minus one: ids at or above it are answerable. */
    private final long base;

    public InMemoryRecoveryLog(int maxEntries, Duration retention, Clock clock) {
        this(maxEntries, DEFAULT_MAX_BYTES, retention, clock);
    }

    /** A log bounded by {@code maxEntries}, about {@code maxBytes} of envelopes, and {@code retention}. */
    public InMemoryRecoveryLog(int maxEntries, long maxBytes, Duration retention, Clock clock) {
        if (maxEntries < 1 || maxBytes < 1) {
            throw new IllegalArgumentException("maxEntries and maxBytes must be >= 1: " + maxEntries + ", " + maxBytes);
        }
        this.maxEntries = maxEntries;
        this.maxBytes = maxBytes;
        this.retention = retention;
        this.clock = clock;
        this.base = clock.millis() << 20;
        this.top = base;
    }

    @Override
    public synchronized long append(Envelope envelope) {
        long id = ++top;
        entries.addLast(envelope.withLogId(id));
        bytes += size(envelope);
        while (entries.size() > maxEntries || (bytes > maxBytes && entries.size() > 1)) {
            bytes -= size(entries.removeFirst());
        }
        expireOld();
        return id;
    }

    /** Drops entries older than the retention; called by the hub's scheduler. */
    @Override
    public synchronized void expire() {
        expireOld();
    }

    /** Entries held now. */
    public synchronized int size() {
        return entries.size();
    }

    /** Estimated bytes held now. */
    public synchronized long bytes() {
        return bytes;
    }

    private void expireOld() {
        Instant oldest = clock.instant().minus(retention);
        while (!entries.isEmpty() && entries.peekFirst().timestamp().isBefore(oldest)) {
            bytes -= size(entries.removeFirst());
        }
    }

    /** Two bytes per char (the JVM's worst case for these strings) plus the record's own overhead. */
    private static long size(Envelope e) {
        long n = 96 + 2L * (e.event().length() + (e.data() == null ? 0 : e.data().length()));
        for (String r : e.rooms()) {
            n += 40 + 2L * r.length();
        }
        return n;
    }

    @Override
    public synchronized Optional<List<Envelope>> readAfter(long afterId, int limit) {
        expireOld();
        long firstKept = entries.isEmpty() ? top + 1 : entries.peekFirst().logId();
        if (afterId < base || afterId > top || afterId < firstKept - 1) {
            return Optional.empty();
        }
        List<Envelope> out = new ArrayList<>();
        for (Envelope e : entries) {
            if (e.logId() > afterId) {
                if (out.size() >= limit) {
                    return Optional.empty(); // more missed than we are willing to replay: treat as a gap
                }
                out.add(e);
            }
        }
        return Optional.of(out);
    }
}

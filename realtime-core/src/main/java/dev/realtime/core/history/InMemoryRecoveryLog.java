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
 * The single-node {@link RecoveryLog}: a ring of recent envelopes bounded by count and age. Ids start at a
 * value derived from the start time, so ids from an earlier run of the process are never mistaken for current
 * ones. Thread-safe; all state guarded by {@code this}.
 *
 * @since 0.1
 */
public final class InMemoryRecoveryLog implements RecoveryLog {
    private final int maxEntries;
    private final Duration retention;
    private final Clock clock;
    private final ArrayDeque<Envelope> entries = new ArrayDeque<>();
    /** Id of the latest appended envelope. */
    private long top;
    /** Id of the first envelope this log ever held minus one: ids at or above it are answerable. */
    private final long base;

    public InMemoryRecoveryLog(int maxEntries, Duration retention, Clock clock) {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries must be >= 1: " + maxEntries);
        }
        this.maxEntries = maxEntries;
        this.retention = retention;
        this.clock = clock;
        this.base = clock.millis() << 20;
        this.top = base;
    }

    @Override
    public synchronized long append(Envelope envelope) {
        long id = ++top;
        entries.addLast(envelope.withLogId(id));
        while (entries.size() > maxEntries) {
            entries.removeFirst();
        }
        return id;
    }

    @Override
    public synchronized Optional<List<Envelope>> readAfter(long afterId, int limit) {
        Instant oldest = clock.instant().minus(retention);
        while (!entries.isEmpty() && entries.peekFirst().timestamp().isBefore(oldest)) {
            entries.removeFirst();
        }
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

package dev.realtime.core.history;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

/**
 * History kept in this JVM: per stream a ring of the last {@code maxEntries} events, each kept for
 * {@code retention}. A stream untouched for {@code retention} is dropped entirely; when it is written again it
 * starts a new epoch at offset 1.
 *
 * <p>Thread-safe: each stream is guarded by its own monitor, so appends to different streams never contend.
 * Time comes from the injected {@link Clock}, which also drives expiry of whole streams.
 *
 * @since 0.1
 */
public final class InMemoryHistoryStore implements HistoryStore {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final int maxEntries;
    private final Duration retention;
    private final Clock clock;
    /** Streams by name; Caffeine drops a stream once it has not been written for {@code retention}. */
    private final Cache<String, Stream> streams;
    /** Owners by stream, kept while read or written within the retention. */
    private final Cache<String, String> owners;
    /** Entries by stream and idempotency key, for the retention. */
    private final Cache<String, HistoryEntry> idempotent;

    public InMemoryHistoryStore(int maxEntries, Duration retention, Clock clock) {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries must be >= 1: " + maxEntries);
        }
        if (retention.isNegative() || retention.isZero()) {
            throw new IllegalArgumentException("retention must be positive: " + retention);
        }
        this.maxEntries = maxEntries;
        this.retention = retention;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.streams = Caffeine.newBuilder()
                .expireAfterWrite(retention)
                .ticker(() -> TimeUnitsHelper.nanos(clock))
                .build();
        this.owners = Caffeine.newBuilder().expireAfterAccess(retention)
                .ticker(() -> TimeUnitsHelper.nanos(clock)).build();
        this.idempotent = Caffeine.newBuilder().expireAfterWrite(retention).maximumSize(1_000_000)
                .ticker(() -> TimeUnitsHelper.nanos(clock)).build();
    }

    @Override
    public StreamPosition newEpoch(String stream) {
        Stream fresh = new Stream(stream, newEpoch());
        streams.put(stream, fresh);
        return fresh.position();
    }

    @Override
    public void recordOwner(String stream, String owner) {
        owners.put(Objects.requireNonNull(stream, "stream"), Objects.requireNonNull(owner, "owner"));
    }

    @Override
    public java.util.Optional<String> owner(String stream) {
        return java.util.Optional.ofNullable(owners.getIfPresent(stream));
    }

    @Override
    public HistoryEntry append(String stream, String event, String data, Instant timestamp, String idempotencyKey) {
        if (idempotencyKey == null) {
            return append(stream, event, data, timestamp);
        }
        boolean[] fresh = {false};
        HistoryEntry entry = idempotent.get(stream + '\u0000' + idempotencyKey, k -> {
            fresh[0] = true;
            return append(stream, event, data, timestamp);
        });
        return fresh[0] ? entry : entry.asDuplicate();
    }

    @Override
    public HistoryEntry append(String stream, String event, String data, Instant timestamp) {
        Stream s = streams.get(stream, name -> new Stream(name, newEpoch()));
        HistoryEntry entry = s.append(event, data, timestamp, maxEntries);
        streams.put(stream, s); // refreshes the write time, so an active stream is never dropped
        return entry;
    }

    @Override
    public HistoryPage read(String stream, long after, int limit) {
        Stream s = streams.getIfPresent(stream);
        if (s == null) {
            StreamPosition fresh = new StreamPosition(0, "none");
            return new HistoryPage(List.of(), fresh, after == 0);
        }
        return s.read(after, limit, clock.instant().minus(retention));
    }

    @Override
    public StreamPosition position(String stream) {
        Stream s = streams.getIfPresent(stream);
        return s == null ? new StreamPosition(0, "none") : s.position();
    }

    private static String newEpoch() {
        byte[] bytes = new byte[6];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /**
     * One stream's ring, kept as parallel arrays (event name, payload, time) that grow to {@code maxEntries}:
     * an entry costs no objects of its own beyond its payload (148 B per entry with ~60-byte payloads, against
     * 192 B as one record and one {@code Instant} each). Offsets are contiguous, so they are not stored. {@link HistoryEntry} records are
     * made on read. All fields guarded by {@code this}.
     */
    private static final class Stream {
        private static final int INITIAL_CAPACITY = 8;

        private final String name;
        private final String epoch;
        private String[] events = new String[INITIAL_CAPACITY];
        private String[] data = new String[INITIAL_CAPACITY];
        private long[] seconds = new long[INITIAL_CAPACITY];
        private int[] nanos = new int[INITIAL_CAPACITY];
        /** Index of the oldest entry. */
        private int head;
        private int size;
        /** Offset of the latest appended entry. */
        private long top;

        Stream(String name, String epoch) {
            this.name = name;
            this.epoch = epoch;
        }

        synchronized HistoryEntry append(String event, String payload, Instant timestamp, int maxEntries) {
            HistoryEntry entry = new HistoryEntry(name, ++top, epoch, event, payload, timestamp);
            if (size == maxEntries) {
                dropOldest();
            } else if (size == events.length) {
                grow(maxEntries);
            }
            int i = index(size);
            events[i] = event;
            data[i] = payload;
            seconds[i] = timestamp.getEpochSecond();
            nanos[i] = timestamp.getNano();
            size++;
            return entry;
        }

        synchronized HistoryPage read(long after, int limit, Instant oldestKept) {
            while (size > 0 && instant(head).isBefore(oldestKept)) {
                dropOldest();
            }
            long firstKept = top - size + 1;
            boolean complete = after >= firstKept - 1 && after <= top;
            List<HistoryEntry> out = new ArrayList<>(Math.min(limit, size));
            if (after < top) {
                // entries are contiguous: start straight at the first one after 'after'
                for (long offset = Math.max(after + 1, firstKept); offset <= top && out.size() < limit; offset++) {
                    int i = index((int) (offset - firstKept));
                    out.add(new HistoryEntry(name, offset, epoch, events[i], data[i], instant(i)));
                }
            }
            return new HistoryPage(out, new StreamPosition(top, epoch), complete);
        }

        synchronized StreamPosition position() {
            return new StreamPosition(top, epoch);
        }

        private int index(int fromHead) {
            int i = head + fromHead;
            return i < events.length ? i : i - events.length;
        }

        private void dropOldest() {
            events[head] = null;
            data[head] = null;
            head = index(1);
            size--;
        }

        /** Doubles the ring (at most to {@code maxEntries}), oldest entry first. */
        private void grow(int maxEntries) {
            int capacity = (int) Math.min(maxEntries, 2L * events.length);
            String[] e = new String[capacity];
            String[] d = new String[capacity];
            long[] s = new long[capacity];
            int[] n = new int[capacity];
            for (int k = 0; k < size; k++) {
                int i = index(k);
                e[k] = events[i];
                d[k] = data[i];
                s[k] = seconds[i];
                n[k] = nanos[i];
            }
            events = e;
            data = d;
            seconds = s;
            nanos = n;
            head = 0;
        }

        private Instant instant(int i) {
            return Instant.ofEpochSecond(seconds[i], nanos[i]);
        }
    }

    /** Caffeine wants a nanosecond ticker; derive it from the injected clock so fake clocks drive expiry. */
    private static final class TimeUnitsHelper {
        static long nanos(Clock clock) {
            Instant now = clock.instant();
            return now.getEpochSecond() * 1_000_000_000L + now.getNano();
        }
    }
}

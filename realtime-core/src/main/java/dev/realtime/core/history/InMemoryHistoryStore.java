package dev.realtime.core.history;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
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

    /** One stream's ring. All fields guarded by {@code this}. */
    private static final class Stream {
        private final String name;
        private final String epoch;
        private final ArrayDeque<HistoryEntry> entries = new ArrayDeque<>();
        /** Offset of the latest appended entry. */
        private long top;

        Stream(String name, String epoch) {
            this.name = name;
            this.epoch = epoch;
        }

        synchronized HistoryEntry append(String event, String data, Instant timestamp, int maxEntries) {
            HistoryEntry entry = new HistoryEntry(name, ++top, epoch, event, data, timestamp);
            entries.addLast(entry);
            while (entries.size() > maxEntries) {
                entries.removeFirst();
            }
            return entry;
        }

        synchronized HistoryPage read(long after, int limit, Instant oldestKept) {
            while (!entries.isEmpty() && entries.peekFirst().timestamp().isBefore(oldestKept)) {
                entries.removeFirst();
            }
            long firstKept = entries.isEmpty() ? top + 1 : entries.peekFirst().offset();
            boolean complete = after >= firstKept - 1 && after <= top;
            List<HistoryEntry> out = new ArrayList<>(Math.min(limit, entries.size()));
            if (after < top) {
                // entries are contiguous: skip straight to the first one after 'after'
                long skip = Math.max(0, after - firstKept + 1);
                Iterator<HistoryEntry> it = entries.iterator();
                for (long i = 0; i < skip && it.hasNext(); i++) {
                    it.next();
                }
                while (it.hasNext() && out.size() < limit) {
                    out.add(it.next());
                }
            }
            return new HistoryPage(out, new StreamPosition(top, epoch), complete);
        }

        synchronized StreamPosition position() {
            return new StreamPosition(top, epoch);
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

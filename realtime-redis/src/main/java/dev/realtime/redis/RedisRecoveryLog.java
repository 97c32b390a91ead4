package dev.realtime.redis;

import dev.realtime.core.StoreException;
import dev.realtime.core.broker.Envelope;
import dev.realtime.core.history.RecoveryLog;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * {@link RecoveryLog} shared by every node: one Redis Stream ({@code recovery-log} under the prefix) holding each
 * envelope as compact JSON, trimmed to about {@link RedisOptions#recoveryLogSize()} entries and to
 * {@link RedisOptions#recoveryLogRetention()} of age (Redis time), in the same script as the {@code XADD}.
 *
 * <p><b>Ids.</b> Redis assigns stream ids {@code <ms>-<seq>}, strictly increasing for the whole cluster; the log
 * id is {@code (ms << 20) | seq}, so ids stay strictly increasing and comparable across nodes (a sequence number
 * of 2<sup>20</sup> or more within one millisecond is refused with {@link StoreException}).
 *
 * <p><b>Coverage.</b> {@link #readAfter} answers only when nothing after the id can have been trimmed: the id must
 * be at or after the oldest retained entry (or equal to the last id when every entry aged out), and not after the
 * last id ever generated; a log that vanished (expired, flushed, Redis restarted without persistence) covers
 * nothing. More than {@code limit} missed entries is also answered as a gap (empty), like the in-memory log.
 *
 * <p>An append that meets a broken pooled connection (after a Redis restart) is retried once; if only the reply
 * had been lost, the envelope is in the log twice and a recovering Socket.IO client could see it twice.
 *
 * <p>Thread-safe. Closing releases the pool when the log was built from a URL; a caller-owned client stays open.
 *
 * @since 0.1
 */
public final class RedisRecoveryLog implements RecoveryLog {
    private static final int SEQ_BITS = 20;
    private static final long SEQ_MASK = (1L << SEQ_BITS) - 1;

    /** KEYS: stream. ARGV: payload, approximate max length, retention ms. Returns the new entry's id. */
    private static final RedisClient.Script APPEND = new RedisClient.Script("""
            local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[2], '*', 'e', ARGV[1])
            local ms = tonumber(string.match(id, '^(%d+)-'))
            redis.call('XTRIM', KEYS[1], 'MINID', '~', ms - tonumber(ARGV[3]))
            redis.call('PEXPIRE', KEYS[1], ARGV[3])
            return id
            """);

    /**
     * KEYS: stream. ARGV: exclusive start id, count, retention ms. Trims what aged out (exactly), then returns
     * nil when the log does not exist, else {lastGeneratedId, firstId or '', entries}.
     */
    private static final RedisClient.Script READ = new RedisClient.Script("""
            if redis.call('EXISTS', KEYS[1]) == 0 then return false end
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            redis.call('XTRIM', KEYS[1], 'MINID', now - tonumber(ARGV[3]))
            local info = redis.call('XINFO', 'STREAM', KEYS[1])
            local last = ''
            local first = ''
            for i = 1, #info, 2 do
              if info[i] == 'last-generated-id' then last = info[i + 1] end
              if info[i] == 'first-entry' and info[i + 1] then first = info[i + 1][1] end
            end
            local entries = redis.call('XRANGE', KEYS[1], '(' .. ARGV[1], '+', 'COUNT', ARGV[2])
            return {last, first, entries}
            """);

    private final RedisClient client;
    private final String key;
    private final int maxEntries;
    private final long retentionMillis;

    /** A log over {@code options}' connection, bounded by the recovery-log size and retention settings. */
    public RedisRecoveryLog(RedisOptions options) {
        Objects.requireNonNull(options, "options");
        this.key = options.keyPrefix() + "recovery-log";
        this.maxEntries = options.recoveryLogSize();
        this.retentionMillis = options.recoveryLogRetention().toMillis();
        this.client = options.openClient();
    }

    @Override
    public long append(Envelope envelope) {
        String payload = EnvelopeCodec.encode(Objects.requireNonNull(envelope, "envelope"));
        Object id = client.writeRetryingOnce("recovery log append", j -> APPEND.run(j, List.of(key),
                List.of(payload, Integer.toString(maxEntries), Long.toString(retentionMillis))));
        return toLong((String) id);
    }

    @Override
    public Optional<List<Envelope>> readAfter(long afterId, int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must be >= 0: " + limit);
        }
        if (afterId < 0) {
            return Optional.empty();
        }
        Object reply = client.read("recovery log read", j -> READ.run(j, List.of(key),
                List.of(toStreamId(afterId), Integer.toString(limit + 1), Long.toString(retentionMillis))));
        if (!(reply instanceof List<?> r)) {
            return Optional.empty(); // no log: it expired, was flushed, or Redis restarted without persistence
        }
        long last = toLong((String) r.get(0));
        String first = (String) r.get(1);
        boolean covered = first.isEmpty() ? afterId == last : afterId >= toLong(first) && afterId <= last;
        List<?> raw = (List<?>) r.get(2);
        if (!covered || raw.size() > limit) {
            return Optional.empty();
        }
        List<Envelope> out = new ArrayList<>(raw.size());
        for (Object o : raw) {
            List<?> entry = (List<?>) o;
            long id = toLong((String) entry.get(0));
            List<?> fields = (List<?>) entry.get(1);
            String payload = null;
            for (int i = 0; i + 1 < fields.size(); i += 2) {
                if ("e".equals(fields.get(i))) {
                    payload = (String) fields.get(i + 1);
                }
            }
            try {
                out.add(EnvelopeCodec.decode(Objects.requireNonNull(payload, "no envelope field")).withLogId(id));
            } catch (RuntimeException e) {
                throw new StoreException("corrupt recovery log entry " + entry.get(0) + ": " + e.getMessage(), e);
            }
        }
        return Optional.of(out);
    }

    String key() {
        return key;
    }

    int maxEntries() {
        return maxEntries;
    }

    long retentionMillis() {
        return retentionMillis;
    }

    /** Releases the pool when this log opened it from a URL; a caller-owned client stays open. */
    @Override
    public void close() {
        client.close();
    }

    /** {@code <ms>-<seq>} to {@code (ms << 20) | seq}. */
    static long toLong(String streamId) {
        int dash = streamId.indexOf('-');
        long ms = Long.parseLong(streamId, 0, dash, 10);
        long seq = Long.parseLong(streamId, dash + 1, streamId.length(), 10);
        if (seq > SEQ_MASK) {
            throw new StoreException("recovery log id " + streamId + " has a sequence beyond 2^20 in one ms");
        }
        return (ms << SEQ_BITS) | seq;
    }

    /** Inverse of {@link #toLong}. */
    static String toStreamId(long id) {
        return (id >>> SEQ_BITS) + "-" + (id & SEQ_MASK);
    }
}

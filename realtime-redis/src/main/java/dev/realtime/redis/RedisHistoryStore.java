package dev.realtime.redis;

import dev.realtime.core.StoreException;
import dev.realtime.core.history.HistoryEntry;
import dev.realtime.core.history.HistoryPage;
import dev.realtime.core.history.HistoryStore;
import dev.realtime.core.history.StreamPosition;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

/**
 * {@link HistoryStore} in Redis, shared by every node: offsets agree cluster-wide because one Lua script assigns
 * them and writes the entry atomically.
 *
 * <p><b>Layout.</b> Per stream two keys under the prefix, in one hash slot: for {@code job:{id}} (seed 002's
 * naming) the list {@code job-history:{id}} of the last {@code historySize} entries and the hash
 * {@code job-history:{id}:meta} holding {@code epoch}, {@code top} (latest offset) and {@code ts} (last append,
 * on the store's clock); other streams use {@code history:{stream}}. Each list element is
 * {@code <offset>:<json>} with the event name, timestamp and payload.
 *
 * <p><b>Epochs and retention.</b> The append script creates a new random epoch (and starts at offset 1) whenever
 * the meta hash is missing — never written, expired, evicted, or Redis restarted without persistence — or when its
 * last append is older than {@code historyRetention} by the store's {@link Clock}; so a client holding an old
 * offset always learns of the gap. Both keys also get a Redis TTL of {@code historyRetention} on every append, so
 * idle streams are garbage-collected by Redis itself. Reads drop entries whose timestamp is older than the
 * retention, like the in-memory store. Retention decisions therefore follow the injected clock (a fake clock in
 * tests), while Redis TTLs only reclaim memory; with real clocks both agree.
 *
 * <p><b>Thread-safety and lifecycle.</b> Thread-safe. Closing releases the pool when the store was built from a
 * URL, and never closes a caller-owned client. Failures throw {@link StoreException}. An append that meets a
 * broken connection (typically a pooled connection from before a Redis restart) is retried once; a request id
 * checked by the script keeps the retry from appending twice when only the reply was lost. An append that still
 * fails may or may not have been applied.
 *
 * @since 0.1
 */
public final class RedisHistoryStore implements dev.realtime.core.history.AnnouncingHistoryStore {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String NO_EPOCH = "none";

    /**
     * The store step shared by both append scripts. KEYS: meta, list, owner, idempotency. ARGV: fresh epoch,
     * payload, max entries, ttl ms, now ms, retention ms, request id, idempotency key (or ''). The request id makes a
     * retry of the same append (after a lost reply) return the first result instead of appending twice, as long as
     * no other append to the stream came in between; the idempotency key does the same for a caller's retry at any
     * time within the retention. The owner key lives as long as the stream. Either returns early with
     * {offset, epoch, duplicate, ''} or leaves {@code top} and {@code epoch} set for the script's tail.
     */
    private static final String STORE = """
            if ARGV[8] ~= '' then
              local d = redis.call('GET', KEYS[4])
              if d then
                local o, e = string.match(d, '^(%d+):(.*)$')
                return {tonumber(o), e, 1, ''}
              end
            end
            local m = redis.call('HMGET', KEYS[1], 'epoch', 'ts', 'rq', 'top')
            if m[3] == ARGV[7] then return {tonumber(m[4]), m[1], 0, ''} end
            local epoch = m[1]
            if (not epoch) or (m[2] and tonumber(m[2]) < tonumber(ARGV[5]) - tonumber(ARGV[6])) then
              epoch = ARGV[1]
              redis.call('DEL', KEYS[1], KEYS[2])
              redis.call('HSET', KEYS[1], 'epoch', epoch, 'top', 0)
            end
            local top = redis.call('HINCRBY', KEYS[1], 'top', 1)
            redis.call('HSET', KEYS[1], 'ts', ARGV[5], 'rq', ARGV[7])
            redis.call('RPUSH', KEYS[2], top .. ':' .. ARGV[2])
            redis.call('LTRIM', KEYS[2], -tonumber(ARGV[3]), -1)
            redis.call('PEXPIRE', KEYS[1], ARGV[4])
            redis.call('PEXPIRE', KEYS[2], ARGV[4])
            redis.call('PEXPIRE', KEYS[3], ARGV[4])
            if ARGV[8] ~= '' then
              redis.call('SET', KEYS[4], top .. ':' .. epoch, 'PX', ARGV[4])
            end
            """;

    /** The store step alone. Returns {offset, epoch, duplicate, ''}. */
    private static final RedisClient.Script APPEND = new RedisClient.Script(STORE + """
            return {top, epoch, 0, ''}
            """);

    /**
     * The store step, then in the same script: the stored envelope into the recovery log (when ARGV[11] is '1')
     * and onto the broker's channel. KEYS: as {@link #STORE}, then the recovery log. ARGV 1-8 as {@link #STORE};
     * 9 the envelope template (compact JSON without offset, epoch and log id), 10 the channel, 11 log?, 12 log max
     * entries, 13 log retention ms. Returns {offset, epoch, duplicate, log id or ''}.
     */
    private static final RedisClient.Script APPEND_ANNOUNCE = new RedisClient.Script(STORE + """
            local env = string.sub(ARGV[9], 1, -2) .. ',"n":' .. top .. ',"p":"' .. epoch .. '"}'
            local id = ''
            local msg = env
            if ARGV[11] == '1' then
              id = redis.call('XADD', KEYS[5], 'MAXLEN', '~', ARGV[12], '*', 'e', env)
              local ms = tonumber(string.match(id, '^(%d+)-'))
              redis.call('XTRIM', KEYS[5], 'MINID', '~', ms - tonumber(ARGV[13]))
              redis.call('PEXPIRE', KEYS[5], ARGV[13])
              msg = string.sub(env, 1, -2) .. ',"li":"' .. id .. '"}'
            end
            redis.call('PUBLISH', ARGV[10], msg)
            return {top, epoch, 0, id}
            """);

    /** KEYS: meta, list. ARGV: fresh epoch, ttl ms, now ms. Starts the stream again under a new epoch. */
    private static final RedisClient.Script NEW_EPOCH = new RedisClient.Script("""
            redis.call('DEL', KEYS[1], KEYS[2])
            redis.call('HSET', KEYS[1], 'epoch', ARGV[1], 'top', 0, 'ts', ARGV[3])
            redis.call('PEXPIRE', KEYS[1], ARGV[2])
            return ARGV[1]
            """);

    /** KEYS: meta, list. ARGV: after, limit. Returns {} or {epoch, top, ts, firstOffset, {elements}}. */
    private static final RedisClient.Script READ = new RedisClient.Script("""
            local m = redis.call('HMGET', KEYS[1], 'epoch', 'top', 'ts')
            if not m[1] then return {} end
            local top = tonumber(m[2])
            local after = tonumber(ARGV[1])
            local limit = tonumber(ARGV[2])
            local len = redis.call('LLEN', KEYS[2])
            local first = top + 1
            local items = {}
            if len > 0 then
              first = tonumber(string.match(redis.call('LINDEX', KEYS[2], 0), '^(%d+):'))
              if after < top and limit > 0 then
                local start = after + 1 - first
                if start < 0 then start = 0 end
                items = redis.call('LRANGE', KEYS[2], start, start + limit - 1)
              end
            end
            return {m[1], m[2], m[3] or '0', first, items}
            """);

    private final RedisClient client;
    private final String prefix;
    private final int maxEntries;
    private final long retentionMillis;
    private final Clock clock;
    /** Where appends are announced in the same step (set by {@link RedisBackend}); null: history only. */
    private volatile Announce announce;

    /** The broker channel and recovery log this store announces to. */
    private record Announce(RedisBroker broker, String channel, RedisRecoveryLog log, String logKey, int logMax,
                            long logRetentionMillis) {
    }

    /** A store over {@code options}' connection, keeping {@code historySize} entries for {@code historyRetention}. */
    public RedisHistoryStore(RedisOptions options) {
        this(options, options.historySize(), options.historyRetention().toMillis());
    }

    private RedisHistoryStore(RedisOptions options, int maxEntries, long retentionMillis) {
        Objects.requireNonNull(options, "options");
        this.prefix = options.keyPrefix();
        this.maxEntries = maxEntries;
        this.retentionMillis = retentionMillis;
        this.clock = options.clock();
        this.client = options.openClient();
    }

    @Override
    public HistoryEntry append(String stream, String event, String data, Instant timestamp) {
        return append(stream, event, data, timestamp, null, Long.toHexString(RANDOM.nextLong()));
    }

    @Override
    public HistoryEntry append(String stream, String event, String data, Instant timestamp, String idempotencyKey) {
        return append(stream, event, data, timestamp, idempotencyKey, Long.toHexString(RANDOM.nextLong()));
    }

    /** {@link #append} with the request id that makes a retry of the same append a no-op. */
    HistoryEntry appendWithRequestId(String stream, String event, String data, Instant timestamp, String requestId) {
        return append(stream, event, data, timestamp, null, requestId);
    }

    private HistoryEntry append(String stream, String event, String data, Instant timestamp, String idempotencyKey,
                                String requestId) {
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(timestamp, "timestamp");
        String base = baseKey(stream);
        String key = idempotencyKey == null ? "" : idempotencyKey;
        List<String> args = List.of(newEpoch(), HistoryEntryCodec.encode(event, data, timestamp),
                Integer.toString(maxEntries), Long.toString(retentionMillis), Long.toString(clock.millis()),
                Long.toString(retentionMillis), requestId, key);
        Object reply = client.writeRetryingOnce("append to " + stream, j -> APPEND.run(j,
                List.of(base + ":meta", base, base + ":owner", base + ":idem:" + key), args));
        List<?> r = (List<?>) reply;
        long offset = (Long) r.get(0);
        String epoch = (String) r.get(1);
        if (((Long) r.get(2)) == 1L) {
            // a repeat: deliver what the first append stored (it may have aged out of the list: then this one)
            HistoryPage page = read(stream, offset - 1, 1);
            HistoryEntry first = page.entries().isEmpty() || page.entries().get(0).offset() != offset
                    ? new HistoryEntry(stream, offset, epoch, event, data, timestamp) : page.entries().get(0);
            return first.asDuplicate();
        }
        return new HistoryEntry(stream, offset, epoch, event, data, timestamp);
    }

    /** Announces appends through {@code broker}'s channel and into {@code log} in the same Lua script. */
    void announceThrough(RedisBroker broker, RedisRecoveryLog log) {
        this.announce = new Announce(broker, broker.channel(), log, log.key(), log.maxEntries(), log.retentionMillis());
    }

    @Override
    public boolean announcesThrough(dev.realtime.core.broker.Broker broker, dev.realtime.core.history.RecoveryLog log) {
        Announce a = announce;
        return a != null && a.broker() == broker && (log == null || log == a.log());
    }

    @Override
    public Announced appendAndAnnounce(dev.realtime.core.broker.Envelope template, String idempotencyKey,
                                       boolean logged) {
        Announce a = announce;
        if (a == null) {
            throw new IllegalStateException("this store announces nothing (not part of a RedisBackend)");
        }
        String stream = Objects.requireNonNull(template.stream(), "stream");
        String base = baseKey(stream);
        String key = idempotencyKey == null ? "" : idempotencyKey;
        List<String> args = List.of(newEpoch(),
                HistoryEntryCodec.encode(template.event(), template.data(), template.timestamp()),
                Integer.toString(maxEntries), Long.toString(retentionMillis), Long.toString(clock.millis()),
                Long.toString(retentionMillis), Long.toHexString(RANDOM.nextLong()), key,
                EnvelopeCodec.encode(template), a.channel(), logged ? "1" : "0", Integer.toString(a.logMax()),
                Long.toString(a.logRetentionMillis()));
        List<?> r = (List<?>) client.writeRetryingOnce("append and announce to " + stream, j -> APPEND_ANNOUNCE.run(j,
                List.of(base + ":meta", base, base + ":owner", base + ":idem:" + key, a.logKey()), args));
        long offset = (Long) r.get(0);
        String epoch = (String) r.get(1);
        String id = (String) r.get(3);
        long logId = id.isEmpty() ? 0 : RedisRecoveryLog.toLong(id);
        dev.realtime.core.broker.Envelope env = new dev.realtime.core.broker.Envelope(template.origin(),
                template.rooms(), template.event(), template.data(), stream, offset, epoch, template.timestamp(), logId);
        boolean duplicate = ((Long) r.get(2)) == 1L;
        if (duplicate) {
            // a repeat: deliver locally what the first append stored (it may have aged out: then this one)
            HistoryPage page = read(stream, offset - 1, 1);
            if (!page.entries().isEmpty() && page.entries().get(0).offset() == offset) {
                HistoryEntry first = page.entries().get(0);
                env = new dev.realtime.core.broker.Envelope(template.origin(), template.rooms(), first.event(),
                        first.data(), stream, offset, epoch, first.timestamp(), 0);
            }
        }
        return new Announced(env, duplicate);
    }

    @Override
    public StreamPosition newEpoch(String stream) {
        String base = baseKey(Objects.requireNonNull(stream, "stream"));
        String epoch = newEpoch();
        client.write("new epoch for " + stream, j -> NEW_EPOCH.run(j, List.of(base + ":meta", base),
                List.of(epoch, Long.toString(retentionMillis), Long.toString(clock.millis()))));
        return new StreamPosition(0, epoch);
    }

    /** KEYS: meta, list. ARGV: fresh epoch, ttl ms, now ms, expected epoch. A new epoch only from the expected one. */
    private static final RedisClient.Script NEW_EPOCH_IF = new RedisClient.Script("""
            local current = redis.call('HGET', KEYS[1], 'epoch')
            if current and current ~= ARGV[4] then
              return {current, tonumber(redis.call('HGET', KEYS[1], 'top') or '0')}
            end
            redis.call('DEL', KEYS[1], KEYS[2])
            redis.call('HSET', KEYS[1], 'epoch', ARGV[1], 'top', 0, 'ts', ARGV[3])
            redis.call('PEXPIRE', KEYS[1], ARGV[2])
            return {ARGV[1], 0}
            """);

    @Override
    public StreamPosition newEpochIf(String stream, String expectedEpoch) {
        String base = baseKey(Objects.requireNonNull(stream, "stream"));
        List<?> r = (List<?>) client.write("new epoch for " + stream, j -> NEW_EPOCH_IF.run(j,
                List.of(base + ":meta", base), List.of(newEpoch(), Long.toString(retentionMillis),
                        Long.toString(clock.millis()), Objects.requireNonNull(expectedEpoch, "expectedEpoch"))));
        return new StreamPosition((Long) r.get(1), (String) r.get(0));
    }

    @Override
    public void recordOwner(String stream, String owner) {
        Objects.requireNonNull(owner, "owner");
        String key = baseKey(Objects.requireNonNull(stream, "stream")) + ":owner";
        client.writeRetryingOnce("record the owner of " + stream,
                j -> j.set(key, owner, redis.clients.jedis.params.SetParams.setParams().px(retentionMillis)));
    }

    @Override
    public java.util.Optional<String> owner(String stream) {
        String key = baseKey(Objects.requireNonNull(stream, "stream")) + ":owner";
        return java.util.Optional.ofNullable(client.read("owner of " + stream, j -> j.get(key)));
    }

    @Override
    public HistoryPage read(String stream, long after, int limit) {
        Objects.requireNonNull(stream, "stream");
        if (after < 0) {
            throw new IllegalArgumentException("after must be >= 0: " + after);
        }
        if (limit < 0) {
            throw new IllegalArgumentException("limit must be >= 0: " + limit);
        }
        String base = baseKey(stream);
        List<?> r = (List<?>) client.read("read " + stream, j -> READ.run(j, List.of(base + ":meta", base),
                List.of(Long.toString(after), Integer.toString(limit))));
        long now = clock.millis();
        if (r.isEmpty() || stale(Long.parseLong((String) r.get(2)), now)) {
            return new HistoryPage(List.of(), new StreamPosition(0, NO_EPOCH), after == 0);
        }
        String epoch = (String) r.get(0);
        long top = Long.parseLong((String) r.get(1));
        long first = (Long) r.get(3);
        StreamPosition position = new StreamPosition(top, epoch);
        boolean complete = after >= first - 1 && after <= top;
        Instant oldestKept = Instant.ofEpochMilli(now - retentionMillis);
        List<HistoryEntry> entries = new ArrayList<>();
        for (Object item : (List<?>) r.get(4)) {
            HistoryEntry e = HistoryEntryCodec.decode(stream, epoch, (String) item);
            if (entries.isEmpty() && e.timestamp().isBefore(oldestKept)) {
                complete = false; // an entry after 'after' aged out: the reader missed it
                continue;
            }
            entries.add(e);
        }
        return new HistoryPage(entries, position, complete);
    }

    @Override
    public StreamPosition position(String stream) {
        String meta = baseKey(Objects.requireNonNull(stream, "stream")) + ":meta";
        List<String> m = client.read("position of " + stream, j -> j.hmget(meta, "epoch", "top", "ts"));
        if (m.get(0) == null || m.get(1) == null || stale(m.get(2) == null ? 0 : Long.parseLong(m.get(2)),
                clock.millis())) {
            return new StreamPosition(0, NO_EPOCH);
        }
        return new StreamPosition(Long.parseLong(m.get(1)), m.get(0));
    }

    /** Releases the pool when this store opened it from a URL; a caller-owned client stays open. */
    @Override
    public void close() {
        client.close();
    }

    private boolean stale(long lastAppendMillis, long now) {
        return lastAppendMillis < now - retentionMillis;
    }

    /** Seed 002 names job history {@code job-history:{jobId}}; the braces double as a Redis Cluster hash tag. */
    String baseKey(String stream) {
        return stream.startsWith("job:")
                ? prefix + "job-history:{" + stream.substring(4) + "}"
                : prefix + "history:{" + stream + "}";
    }

    private static String newEpoch() {
        byte[] bytes = new byte[6];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}

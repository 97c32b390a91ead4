package dev.realtime.redis;

import dev.realtime.core.presence.PresenceStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * {@link PresenceStore} in Redis, shared by every node, deduplicated per user across tabs and nodes.
 *
 * <p><b>Layout</b> (under the prefix): {@code presence:{room}} is a sorted set of user ids scored by the expiry of
 * the user's latest live connection; {@code presence:{room}:user:{userId}} a sorted set of that user's
 * connection ids scored by their expiry; {@code presence-conn:{connectionId}} the set of {@code room\nuserId} a
 * connection joined, so {@link #refresh} can find them. A connection's expiry is {@code now + presenceTtl} on the
 * store's {@link Clock} at its last join or refresh; expired entries are ignored by every read and purged by the
 * next write of that user in that room. Every key also gets a Redis TTL of twice the presence TTL on each write,
 * so a whole room of a crashed cluster disappears by itself. Each operation is one Lua script, so answers are
 * atomic across nodes (exactly one "first join" and one "last leave" per user even under races).
 *
 * <p>{@link #refresh} builds key names inside its script (the rooms are only known there), which requires a
 * non-clustered Redis (or one where all these keys share a slot).
 *
 * <p>Thread-safe. Closing releases the pool when the store was built from a URL; a caller-owned client stays open.
 * Failures throw {@link dev.realtime.core.StoreException}.
 *
 * @since 0.1
 */
public final class RedisPresenceStore implements PresenceStore {
    /** KEYS: room set, user set, connection index. ARGV: user, connection, now, expiry, gc ttl ms, room. */
    private static final RedisClient.Script JOIN = new RedisClient.Script("""
            redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', ARGV[3])
            local alive = redis.call('ZCARD', KEYS[2])
            redis.call('ZADD', KEYS[2], ARGV[4], ARGV[2])
            redis.call('ZADD', KEYS[1], 'GT', ARGV[4], ARGV[1])
            redis.call('SADD', KEYS[3], ARGV[6] .. '\\n' .. ARGV[1])
            for i = 1, 3 do redis.call('PEXPIRE', KEYS[i], ARGV[5]) end
            if alive == 0 then return 1 end
            return 0
            """);

    /** KEYS: room set, user set, connection index. ARGV: user, connection, now, room. */
    private static final RedisClient.Script LEAVE = new RedisClient.Script("""
            redis.call('SREM', KEYS[3], ARGV[4] .. '\\n' .. ARGV[1])
            redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', ARGV[3])
            local removed = redis.call('ZREM', KEYS[2], ARGV[2])
            local left = redis.call('ZCARD', KEYS[2])
            if left == 0 then
              redis.call('ZREM', KEYS[1], ARGV[1])
            else
              local latest = redis.call('ZREVRANGE', KEYS[2], 0, 0, 'WITHSCORES')
              redis.call('ZADD', KEYS[1], latest[2], ARGV[1])
            end
            if removed == 1 and left == 0 then return 1 end
            return 0
            """);

    /** ARGV: prefix, now, expiry, gc ttl ms, connection ids... */
    private static final RedisClient.Script REFRESH = new RedisClient.Script("""
            local prefix = ARGV[1]
            for i = 5, #ARGV do
              local conn = ARGV[i]
              local idx = prefix .. 'presence-conn:' .. conn
              local entries = redis.call('SMEMBERS', idx)
              for _, entry in ipairs(entries) do
                local nl = string.find(entry, '\\n', 1, true)
                local room = string.sub(entry, 1, nl - 1)
                local user = string.sub(entry, nl + 1)
                local roomKey = prefix .. 'presence:{' .. room .. '}'
                local userKey = roomKey .. ':user:' .. user
                local score = redis.call('ZSCORE', userKey, conn)
                if score and tonumber(score) > tonumber(ARGV[2]) then
                  redis.call('ZADD', userKey, ARGV[3], conn)
                  redis.call('ZADD', roomKey, 'GT', ARGV[3], user)
                  redis.call('PEXPIRE', userKey, ARGV[4])
                  redis.call('PEXPIRE', roomKey, ARGV[4])
                end
              end
              if #entries > 0 then redis.call('PEXPIRE', idx, ARGV[4]) end
            end
            return 0
            """);

    private final RedisClient client;
    private final String prefix;
    private final long ttlMillis;
    private final Clock clock;

    /** A store over {@code options}' connection with {@link RedisOptions#presenceTtl()} and its clock. */
    public RedisPresenceStore(RedisOptions options) {
        Objects.requireNonNull(options, "options");
        this.prefix = options.keyPrefix();
        this.ttlMillis = options.presenceTtl().toMillis();
        this.clock = options.clock();
        this.client = options.openClient();
    }

    @Override
    public boolean join(String room, String userId, String connectionId) {
        List<String> keys = keys(room, userId, connectionId);
        long now = clock.millis();
        Object r = client.write("presence join", j -> JOIN.run(j, keys, List.of(userId, connectionId,
                Long.toString(now), Long.toString(now + ttlMillis), Long.toString(2 * ttlMillis), room)));
        return Long.valueOf(1).equals(r);
    }

    @Override
    public boolean leave(String room, String userId, String connectionId) {
        List<String> keys = keys(room, userId, connectionId);
        long now = clock.millis();
        Object r = client.write("presence leave", j -> LEAVE.run(j, keys, List.of(userId, connectionId,
                Long.toString(now), room)));
        return Long.valueOf(1).equals(r);
    }

    @Override
    public Set<String> members(String room) {
        String key = roomKey(Objects.requireNonNull(room, "room"));
        long now = clock.millis();
        List<String> users = client.read("presence members",
                j -> j.zrangeByScore(key, "(" + now, "+inf"));
        return Set.copyOf(users);
    }

    @Override
    public void refresh(Collection<String> connectionIds) {
        if (connectionIds.isEmpty()) {
            return;
        }
        long now = clock.millis();
        List<String> args = new ArrayList<>(connectionIds.size() + 4);
        args.add(prefix);
        args.add(Long.toString(now));
        args.add(Long.toString(now + ttlMillis));
        args.add(Long.toString(2 * ttlMillis));
        for (String id : connectionIds) {
            args.add(Objects.requireNonNull(id, "connectionId"));
        }
        client.write("presence refresh", j -> REFRESH.run(j, List.of(), args));
    }

    /** Releases the pool when this store opened it from a URL; a caller-owned client stays open. */
    @Override
    public void close() {
        client.close();
    }

    private List<String> keys(String room, String userId, String connectionId) {
        Objects.requireNonNull(room, "room");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(connectionId, "connectionId");
        if (room.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("room names must not contain a newline");
        }
        String roomKey = roomKey(room);
        return List.of(roomKey, roomKey + ":user:" + userId, prefix + "presence-conn:" + connectionId);
    }

    private String roomKey(String room) {
        return prefix + "presence:{" + room + "}";
    }
}

package dev.realtime.redis;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Connection metadata and subscriptions per client in Redis, with seed 002's keys: {@code client:{clientId}} (a
 * hash of metadata) and {@code subscriptions:{clientId}} (a set of rooms), under the prefix; the braces double as a
 * Redis Cluster hash tag, so both keys of a client share a slot. Both keys live {@link RedisOptions#sessionTtl()}
 * after the last {@link #register}, {@link #subscribe} or {@link #refresh}: a node heartbeats its clients, and the
 * entries of a crashed node expire by themselves.
 *
 * <p>Plug it into a hub with {@code RealtimeHub.builder().clientRegistry(registry)}: the hub registers every
 * connection, mirrors its subscriptions, heartbeats all live clients every 20 s and removes them on close. Every
 * call is one atomic script or command. Thread-safe. Closing releases the pool when the registry was built from
 * a URL; a caller-owned client stays open. Failures throw {@link dev.realtime.core.StoreException}.
 *
 * @since 0.1
 */
public final class RedisSessionRegistry implements dev.realtime.core.ClientRegistry {
    /** KEYS: client hash, subscriptions set. ARGV: ttl ms, then field, value pairs. */
    private static final RedisClient.Script REGISTER = new RedisClient.Script("""
            redis.call('DEL', KEYS[1])
            redis.call('HSET', KEYS[1], unpack(ARGV, 2))
            redis.call('PEXPIRE', KEYS[1], ARGV[1])
            redis.call('PEXPIRE', KEYS[2], ARGV[1])
            return 1
            """);

    /** KEYS: client hash, subscriptions set. ARGV: ttl ms, room. Returns 1 when the room was added. */
    private static final RedisClient.Script SUBSCRIBE = new RedisClient.Script("""
            local added = redis.call('SADD', KEYS[2], ARGV[2])
            redis.call('PEXPIRE', KEYS[2], ARGV[1])
            redis.call('PEXPIRE', KEYS[1], ARGV[1])
            return added
            """);

    /** KEYS: client hash, subscriptions set. ARGV: ttl ms. Returns 1 when the client is still registered. */
    private static final RedisClient.Script REFRESH = new RedisClient.Script("""
            redis.call('PEXPIRE', KEYS[2], ARGV[1])
            return redis.call('PEXPIRE', KEYS[1], ARGV[1])
            """);

    /** Metadata field added by {@link #register} unless given: when the client registered (ISO-8601). */
    public static final String REGISTERED_AT = "registeredAt";

    private final RedisClient client;
    private final String prefix;
    private final long ttlMillis;
    private final Clock clock;

    /** A registry over {@code options}' connection with {@link RedisOptions#sessionTtl()}. */
    public RedisSessionRegistry(RedisOptions options) {
        Objects.requireNonNull(options, "options");
        this.prefix = options.keyPrefix();
        this.ttlMillis = options.sessionTtl().toMillis();
        this.clock = options.clock();
        this.client = options.openClient();
    }

    /** Records a client's metadata (replacing any previous), plus {@link #REGISTERED_AT} unless given. */
    @Override
    public void register(String clientId, Map<String, String> metadata) {
        Objects.requireNonNull(metadata, "metadata");
        List<String> args = new ArrayList<>(2 + metadata.size() * 2);
        args.add(Long.toString(ttlMillis));
        metadata.forEach((k, v) -> {
            args.add(Objects.requireNonNull(k, "metadata key"));
            args.add(Objects.requireNonNull(v, () -> "metadata value of " + k));
        });
        if (!metadata.containsKey(REGISTERED_AT)) {
            args.add(REGISTERED_AT);
            args.add(clock.instant().toString());
        }
        client.write("register " + clientId, j -> REGISTER.run(j, keys(clientId), args));
    }

    /** Adds a room to the client's subscriptions; {@code true} when it was not there yet. Refreshes the TTL. */
    public boolean subscribeIfNew(String clientId, String room) {
        Objects.requireNonNull(room, "room");
        Object added = client.write("subscribe " + clientId, j -> SUBSCRIBE.run(j, keys(clientId),
                List.of(Long.toString(ttlMillis), room)));
        return Long.valueOf(1).equals(added);
    }

    @Override
    public void subscribe(String clientId, String room) {
        subscribeIfNew(clientId, room);
    }

    @Override
    public void unsubscribe(String clientId, String room) {
        unsubscribeIfPresent(clientId, room);
    }

    @Override
    public void refresh(java.util.Collection<String> clientIds) {
        for (String id : clientIds) {
            refresh(id);
        }
    }

    /** Removes a room from the client's subscriptions; {@code true} when it was there. */
    public boolean unsubscribeIfPresent(String clientId, String room) {
        Objects.requireNonNull(room, "room");
        String set = keys(clientId).get(1);
        return client.write("unsubscribe " + clientId, j -> j.srem(set, room)) > 0;
    }

    /** Heartbeat: extends both keys' TTL; {@code false} when the client is unknown (expired or removed). */
    public boolean refresh(String clientId) {
        Object r = client.write("refresh " + clientId, j -> REFRESH.run(j, keys(clientId),
                List.of(Long.toString(ttlMillis))));
        return Long.valueOf(1).equals(r);
    }

    /** Forgets the client (disconnect). */
    @Override
    public void remove(String clientId) {
        List<String> keys = keys(clientId);
        client.write("remove " + clientId, j -> j.del(keys.get(0), keys.get(1)));
    }

    /** The client's rooms; empty when unknown. */
    public Set<String> rooms(String clientId) {
        String set = keys(clientId).get(1);
        return Set.copyOf(client.read("rooms of " + clientId, j -> j.smembers(set)));
    }

    /** The client's metadata, or empty when unknown (never registered, removed or expired). */
    public Optional<Map<String, String>> metadata(String clientId) {
        String hash = keys(clientId).get(0);
        Map<String, String> m = client.read("metadata of " + clientId, j -> j.hgetAll(hash));
        return m.isEmpty() ? Optional.empty() : Optional.of(Map.copyOf(m));
    }

    /** Releases the pool when this registry opened it from a URL; a caller-owned client stays open. */
    @Override
    public void close() {
        client.close();
    }

    private List<String> keys(String clientId) {
        Objects.requireNonNull(clientId, "clientId");
        return List.of(prefix + "client:{" + clientId + "}", prefix + "subscriptions:{" + clientId + "}");
    }
}

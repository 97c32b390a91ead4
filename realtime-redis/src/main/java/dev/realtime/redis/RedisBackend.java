package dev.realtime.redis;

import dev.realtime.core.ClusterBackend;
import dev.realtime.core.broker.Broker;
import dev.realtime.core.history.HistoryStore;
import dev.realtime.core.history.RecoveryLog;
import dev.realtime.core.history.RecoverySessionStore;
import dev.realtime.core.presence.PresenceStore;
import java.util.Objects;

/**
 * Redis as the shared state of a cluster, in one object: {@code RealtimeHub.builder().backend(RedisBackend
 * .create("redis://redis:6379"))}. History (with stream owners and idempotency keys), the broker, the Socket.IO
 * recovery log and sessions, presence and the client registry all run over one connection pool (plus the broker's
 * subscriber connection). An event of a history stream is stored, entered in the recovery log and published to
 * the other nodes by one Lua script, so a node dying in between cannot leave it stored but unannounced.
 *
 * <p><b>Lifecycle.</b> The backend owns the pool it opens from a URL and closes it in {@link #close()} (the hub
 * does that when it closes); given options with a caller-owned client, it never closes that client.
 * Thread-safe.
 *
 * @since 0.2
 */
public final class RedisBackend implements ClusterBackend {
    private final RedisClient pool;
    private final RedisHistoryStore history;
    private final RedisBroker broker;
    private final RedisRecoveryLog recoveryLog;
    private final RedisRecoverySessionStore recoverySessions;
    private final RedisPresenceStore presence;
    private final RedisSessionRegistry clients;

    private RedisBackend(RedisOptions options) {
        this.pool = options.openClient();
        RedisOptions shared = options.sharing(pool.jedis);
        this.history = new RedisHistoryStore(shared);
        this.broker = new RedisBroker(shared);
        this.recoveryLog = new RedisRecoveryLog(shared);
        this.recoverySessions = new RedisRecoverySessionStore(shared);
        this.presence = new RedisPresenceStore(shared);
        this.clients = new RedisSessionRegistry(shared);
        // history append, recovery-log entry and pub/sub publish: one Lua script per event
        this.history.announceThrough(broker, recoveryLog);
    }

    /** A backend with default options over {@code url} ({@code redis://[user:password@]host:port[/db]}). */
    public static RedisBackend create(String url) {
        return create(RedisOptions.builder().url(Objects.requireNonNull(url, "url")).build());
    }

    /** A backend over {@code options} (their URL or caller-owned client, key prefix, sizes and TTLs). */
    public static RedisBackend create(RedisOptions options) {
        return new RedisBackend(Objects.requireNonNull(options, "options"));
    }

    @Override
    public HistoryStore history() {
        return history;
    }

    @Override
    public Broker broker() {
        return broker;
    }

    @Override
    public RecoveryLog recoveryLog() {
        return recoveryLog;
    }

    @Override
    public RecoverySessionStore recoverySessions() {
        return recoverySessions;
    }

    @Override
    public PresenceStore presence() {
        return presence;
    }

    @Override
    public dev.realtime.core.ClientRegistry clients() {
        return clients;
    }

    /** Stops the broker's subscriber and closes the pool this backend opened. Idempotent. */
    @Override
    public void close() {
        broker.close();
        pool.close();
    }
}

package dev.realtime.redis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.realtime.core.StoreException;
import dev.realtime.core.history.RecoverySession;
import dev.realtime.core.history.RecoverySessionStore;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import redis.clients.jedis.params.SetParams;

/**
 * Disconnected Socket.IO sessions in Redis, so that a client recovers on whichever node it reconnects to: one
 * string key per pid ({@code <prefix>sio-session:{pid}}) holding the session as JSON, expiring after the recovery
 * window; {@link #take} reads and deletes it atomically (GETDEL, Redis 6.2+), so a session is recovered at most
 * once. Thread-safe. Closing releases the pool when built from a URL.
 *
 * @since 0.1
 */
public final class RedisRecoverySessionStore implements RecoverySessionStore {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final RedisClient client;
    private final String prefix;

    public RedisRecoverySessionStore(RedisOptions options) {
        Objects.requireNonNull(options, "options");
        this.prefix = options.keyPrefix() + "sio-session:";
        this.client = options.openClient();
    }

    @Override
    public void save(RecoverySession session, Duration ttl) {
        String json;
        try {
            json = MAPPER.writeValueAsString(session);
        } catch (JsonProcessingException e) {
            throw new StoreException("cannot serialize session " + session.pid(), e);
        }
        client.writeRetryingOnce("save session", j -> j.set(prefix + session.pid(), json,
                SetParams.setParams().px(Math.max(1, ttl.toMillis()))));
    }

    @Override
    public Optional<RecoverySession> take(String pid) {
        String json = client.write("take session", j -> j.getDel(prefix + pid));
        if (json == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(MAPPER.readValue(json, RecoverySession.class));
        } catch (JsonProcessingException e) {
            throw new StoreException("corrupt session " + pid, e);
        }
    }

    @Override
    public void close() {
        client.close();
    }
}

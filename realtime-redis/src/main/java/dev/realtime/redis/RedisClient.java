package dev.realtime.redis;

import dev.realtime.core.StoreException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Function;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.exceptions.JedisNoScriptException;

/**
 * One component's Redis client: the caller's (never closed here) or a module-owned pool (closed by
 * {@link #close}). Translates Jedis failures into {@link StoreException}. Thread-safe.
 */
final class RedisClient implements AutoCloseable {
    final UnifiedJedis jedis;
    private final boolean owned;

    RedisClient(UnifiedJedis jedis, boolean owned) {
        this.jedis = jedis;
        this.owned = owned;
    }

    /** Runs a write: failures become {@link StoreException}; a write that failed may or may not have applied. */
    <T> T write(String what, Function<UnifiedJedis, T> call) {
        try {
            return call.apply(jedis);
        } catch (JedisException e) {
            throw failed(what, e);
        }
    }

    /**
     * Runs a write that is safe to repeat, retrying once on a broken connection: after a Redis restart the idle
     * pooled connections are dead, and the first command on one fails without having reached the server.
     */
    <T> T writeRetryingOnce(String what, Function<UnifiedJedis, T> call) {
        return read(what, call);
    }

    /** Runs an idempotent read, retrying once on a broken connection (e.g. a pooled one from before a restart). */
    <T> T read(String what, Function<UnifiedJedis, T> call) {
        try {
            return call.apply(jedis);
        } catch (JedisConnectionException first) {
            dropIdleConnections();
            try {
                return call.apply(jedis);
            } catch (JedisException e) {
                throw failed(what, e);
            }
        } catch (JedisException e) {
            throw failed(what, e);
        }
    }

    private StoreException failed(String what, JedisException e) {
        if (e instanceof JedisConnectionException) {
            dropIdleConnections();
        }
        return new StoreException("redis " + what + " failed: " + e.getMessage(), e);
    }

    /** After a connection failure the idle pooled connections are likely dead too (server restart): drop them. */
    private void dropIdleConnections() {
        if (owned && jedis instanceof JedisPooled pooled) {
            try {
                pooled.getPool().clear();
            } catch (RuntimeException ignored) {
                // best effort
            }
        }
    }

    @Override
    public void close() {
        if (owned) {
            jedis.close();
        }
    }

    /** A Lua script run by SHA1, loaded on first use and again after a server restart (NOSCRIPT). */
    static final class Script {
        private final String source;
        private final String sha;

        Script(String source) {
            this.source = source;
            try {
                this.sha = HexFormat.of().formatHex(
                        MessageDigest.getInstance("SHA-1").digest(source.getBytes(StandardCharsets.UTF_8)));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        Object run(UnifiedJedis jedis, List<String> keys, List<String> args) {
            try {
                return jedis.evalsha(sha, keys, args);
            } catch (JedisNoScriptException e) {
                return jedis.eval(source, keys, args); // nothing ran; EVAL also caches it for the next EVALSHA
            }
        }
    }
}

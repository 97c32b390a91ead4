package dev.realtime.redis;

import static dev.realtime.core.Checks.positive;
import static dev.realtime.core.Checks.atLeast;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import redis.clients.jedis.Connection;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.UnifiedJedis;

/**
 * Settings shared by the Redis components ({@link RedisHistoryStore}, {@link RedisBroker},
 * {@link RedisRecoveryLog}, {@link RedisPresenceStore}, {@link RedisSessionRegistry}). Immutable and thread-safe;
 * build one with {@link #builder()} and pass it to each component.
 *
 * <p><b>Who owns the connection.</b> Give either a client you own ({@link Builder#client(UnifiedJedis)}, e.g. a
 * {@link JedisPooled}) or a URL ({@link Builder#url(String)}). A client you give is shared by the components and
 * <em>never closed by them</em>: close it yourself after the components. With a URL, every component opens its
 * own small pool from the pool settings and closes it in its {@code close()}.
 *
 * <pre>{@code
 * RedisOptions redis = RedisOptions.builder().url("redis://localhost:6379").build();
 * }</pre>
 *
 * @since 0.1
 */
public final class RedisOptions {
    private final UnifiedJedis client;
    private final URI uri;
    private final String keyPrefix;
    private final int historySize;
    private final Duration historyRetention;
    private final int recoveryLogSize;
    private final Duration recoveryLogRetention;
    private final Duration presenceTtl;
    private final Duration sessionTtl;
    private final String channel;
    private final Duration reconnectMinBackoff;
    private final Duration reconnectMaxBackoff;
    private final int poolMaxTotal;
    private final int poolMaxIdle;
    private final int poolMinIdle;
    private final Duration connectionTimeout;
    private final Duration socketTimeout;
    private final Clock clock;

    private RedisOptions(Builder b) {
        this.client = b.client;
        this.uri = b.uri;
        this.keyPrefix = b.keyPrefix;
        this.historySize = b.historySize;
        this.historyRetention = b.historyRetention;
        this.recoveryLogSize = b.recoveryLogSize;
        this.recoveryLogRetention = b.recoveryLogRetention;
        this.presenceTtl = b.presenceTtl;
        this.sessionTtl = b.sessionTtl;
        this.channel = b.channel;
        this.reconnectMinBackoff = b.reconnectMinBackoff;
        this.reconnectMaxBackoff = b.reconnectMaxBackoff;
        this.poolMaxTotal = b.poolMaxTotal;
        this.poolMaxIdle = b.poolMaxIdle;
        this.poolMinIdle = b.poolMinIdle;
        this.connectionTimeout = b.connectionTimeout;
        this.socketTimeout = b.socketTimeout;
        this.clock = b.clock;
    }

    /** A copy of {@code o} over {@code shared} (caller-owned). */
    private RedisOptions(RedisOptions o, UnifiedJedis shared) {
        this.client = shared;
        this.uri = o.uri;
        this.keyPrefix = o.keyPrefix;
        this.historySize = o.historySize;
        this.historyRetention = o.historyRetention;
        this.recoveryLogSize = o.recoveryLogSize;
        this.recoveryLogRetention = o.recoveryLogRetention;
        this.presenceTtl = o.presenceTtl;
        this.sessionTtl = o.sessionTtl;
        this.channel = o.channel;
        this.reconnectMinBackoff = o.reconnectMinBackoff;
        this.reconnectMaxBackoff = o.reconnectMaxBackoff;
        this.poolMaxTotal = o.poolMaxTotal;
        this.poolMaxIdle = o.poolMaxIdle;
        this.poolMinIdle = o.poolMinIdle;
        this.connectionTimeout = o.connectionTimeout;
        this.socketTimeout = o.socketTimeout;
        this.clock = o.clock;
    }

    /** These options over {@code shared}, which the caller keeps and closes (a backend's one pool). */
    RedisOptions sharing(UnifiedJedis shared) {
        return new RedisOptions(this, shared);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Prefix of every key and channel (default {@code realtime:}). */
    public String keyPrefix() {
        return keyPrefix;
    }

    /** Entries kept per history stream (default 100). */
    public int historySize() {
        return historySize;
    }

    /** How long a history stream lives after its last append (default 24 h). */
    public Duration historyRetention() {
        return historyRetention;
    }

    /** Approximate number of entries kept in the recovery log (default 100,000). */
    public int recoveryLogSize() {
        return recoveryLogSize;
    }

    /** How long recovery-log entries are kept (default 2 min, Socket.IO's default recovery window). */
    public Duration recoveryLogRetention() {
        return recoveryLogRetention;
    }

    /** How long a presence entry lives without a refresh (default 90 s). */
    public Duration presenceTtl() {
        return presenceTtl;
    }

    /** How long session-registry keys live without a refresh (default 90 s). */
    public Duration sessionTtl() {
        return sessionTtl;
    }

    /** The pub/sub channel, prefix included (default {@code realtime:events}). */
    public String channel() {
        return keyPrefix + channel;
    }

    /** First wait before the broker resubscribes after a connection loss (default 100 ms); doubles per failure. */
    public Duration reconnectMinBackoff() {
        return reconnectMinBackoff;
    }

    /** Longest wait between resubscribe attempts (default 5 s). */
    public Duration reconnectMaxBackoff() {
        return reconnectMaxBackoff;
    }

    /** Connect timeout of module-owned pools (default 2 s). */
    public Duration connectionTimeout() {
        return connectionTimeout;
    }

    /** Source of time for retention and presence expiry decisions (default UTC system clock). */
    public Clock clock() {
        return clock;
    }

    /**
     * The client for one component: the caller's (not owned) or a new pool from the URL (owned by the component,
     * which must close the returned handle).
     */
    RedisClient openClient() {
        if (client != null) {
            return new RedisClient(client, false);
        }
        ConnectionPoolConfig pool = new ConnectionPoolConfig();
        pool.setMaxTotal(poolMaxTotal);
        pool.setMaxIdle(poolMaxIdle);
        pool.setMinIdle(poolMinIdle);
        pool.setMaxWait(connectionTimeout);
        org.apache.commons.pool2.impl.GenericObjectPoolConfig<Connection> config = pool;
        return new RedisClient(new JedisPooled(config, uri, (int) connectionTimeout.toMillis(),
                (int) socketTimeout.toMillis()), true);
    }

    @Override
    public String toString() {
        return "RedisOptions{" + (client != null ? "client=caller-owned" : "url=" + redacted(uri))
                + ", keyPrefix=" + keyPrefix + ", historySize=" + historySize + ", historyRetention="
                + historyRetention + "}";
    }

    private static String redacted(URI uri) {
        return uri.getUserInfo() == null ? uri.toString() : uri.toString().replace(uri.getUserInfo() + "@", "***@");
    }

    /**
     * Builds {@link RedisOptions}. Exactly one of {@link #client} and {@link #url} is required. Setters validate
     * and fail fast; setting the connection twice fails. Not thread-safe.
     */
    public static final class Builder {
        private UnifiedJedis client;
        private URI uri;
        private String keyPrefix = "realtime:";
        private int historySize = dev.realtime.core.Defaults.HISTORY_SIZE;
        private Duration historyRetention = dev.realtime.core.Defaults.HISTORY_RETENTION;
        private int recoveryLogSize = dev.realtime.core.Defaults.RECOVERY_LOG_SIZE;
        private Duration recoveryLogRetention = dev.realtime.core.SocketIoOptions.defaults().maxDisconnectionDuration();
        private Duration presenceTtl = dev.realtime.core.Defaults.PRESENCE_TTL;
        private Duration sessionTtl = dev.realtime.core.Defaults.PRESENCE_TTL;
        private String channel = "events";
        private Duration reconnectMinBackoff = Duration.ofMillis(100);
        private Duration reconnectMaxBackoff = Duration.ofSeconds(5);
        private int poolMaxTotal = 16;
        private int poolMaxIdle = 16;
        private int poolMinIdle = 0;
        private Duration connectionTimeout = Duration.ofSeconds(2);
        private Duration socketTimeout = Duration.ofSeconds(2);
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        /**
         * Uses your client; the components never close it. It must be pooled (e.g. a {@link JedisPooled}): a
         * {@link RedisBroker} holds one of its connections for the subscription while running.
         */
        public Builder client(UnifiedJedis client) {
            requireNoConnection();
            this.client = Objects.requireNonNull(client, "client");
            return this;
        }

        /** Connects to {@code redis://[user:password@]host:port[/db]} (or {@code rediss://}) with module-owned pools. */
        public Builder url(String url) {
            requireNoConnection();
            Objects.requireNonNull(url, "url");
            URI parsed = URI.create(url);
            if (!"redis".equals(parsed.getScheme()) && !"rediss".equals(parsed.getScheme())) {
                throw new IllegalArgumentException("not a redis:// or rediss:// URL: " + url);
            }
            if (parsed.getHost() == null) {
                throw new IllegalArgumentException("no host in " + url);
            }
            this.uri = parsed;
            return this;
        }

        /** Prefix of every key and channel (default {@code realtime:}); may be empty. */
        public Builder keyPrefix(String prefix) {
            this.keyPrefix = Objects.requireNonNull(prefix, "prefix");
            return this;
        }

        public Builder historySize(int size) {
            this.historySize = atLeast(size, 1, "historySize");
            return this;
        }

        public Builder historyRetention(Duration retention) {
            this.historyRetention = positive(retention, "historyRetention");
            return this;
        }

        public Builder recoveryLogSize(int size) {
            this.recoveryLogSize = atLeast(size, 1, "recoveryLogSize");
            return this;
        }

        public Builder recoveryLogRetention(Duration retention) {
            this.recoveryLogRetention = positive(retention, "recoveryLogRetention");
            return this;
        }

        public Builder presenceTtl(Duration ttl) {
            this.presenceTtl = positive(ttl, "presenceTtl");
            return this;
        }

        public Builder sessionTtl(Duration ttl) {
            this.sessionTtl = positive(ttl, "sessionTtl");
            return this;
        }

        /** The pub/sub channel name under the prefix (default {@code events}). */
        public Builder channel(String channel) {
            Objects.requireNonNull(channel, "channel");
            if (channel.isEmpty()) {
                throw new IllegalArgumentException("channel must not be empty");
            }
            this.channel = channel;
            return this;
        }

        /** Broker resubscribe backoff: starts at {@code min}, doubles per failed attempt, capped at {@code max}. */
        public Builder reconnectBackoff(Duration min, Duration max) {
            positive(min, "min");
            positive(max, "max");
            if (max.compareTo(min) < 0) {
                throw new IllegalArgumentException("max backoff " + max + " is below min " + min);
            }
            this.reconnectMinBackoff = min;
            this.reconnectMaxBackoff = max;
            return this;
        }

        /** Pool sizes of module-owned pools (defaults 16, 16, 0). Ignored with a caller-owned client. */
        public Builder pool(int maxTotal, int maxIdle, int minIdle) {
            atLeast(maxTotal, 1, "maxTotal");
            atLeast(maxIdle, 0, "maxIdle");
            atLeast(minIdle, 0, "minIdle");
            if (minIdle > maxIdle || maxIdle > maxTotal) {
                throw new IllegalArgumentException("need minIdle <= maxIdle <= maxTotal: " + minIdle + ", " + maxIdle
                        + ", " + maxTotal);
            }
            this.poolMaxTotal = maxTotal;
            this.poolMaxIdle = maxIdle;
            this.poolMinIdle = minIdle;
            return this;
        }

        /** Connect and read timeouts of module-owned pools (default 2 s each); also the pool's borrow wait. */
        public Builder timeouts(Duration connect, Duration socket) {
            this.connectionTimeout = positive(connect, "connect");
            this.socketTimeout = positive(socket, "socket");
            return this;
        }

        /** Source of time for retention and presence decisions (default UTC system clock); tests pass a fake. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** @throws IllegalStateException when neither a client nor a URL was given */
        public RedisOptions build() {
            if (client == null && uri == null) {
                throw new IllegalStateException("set a client(...) or a url(...)");
            }
            return new RedisOptions(this);
        }

        private void requireNoConnection() {
            if (client != null || uri != null) {
                throw new IllegalStateException("the connection was already set to "
                        + (client != null ? "a caller-owned client" : redacted(uri)));
            }
        }
    }
}

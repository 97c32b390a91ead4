package dev.realtime.redis;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.realtime.core.presence.PresenceStore;
import dev.realtime.core.presence.PresenceStoreContract;
import dev.realtime.core.testing.FakeClock;
import java.net.URI;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.JedisPooled;

/** The presence contract against a real Redis; {@link #otherNode} is a second store (another node's view). */
@Tag("integration")
@ExtendWith(RedisServerExtension.class)
class RedisPresenceStoreTest extends PresenceStoreContract {
    private RedisTestServer server;
    private final String prefix = "t-" + UUID.randomUUID() + ":";

    @BeforeEach
    void setUp(RedisTestServer server) {
        this.server = server;
    }

    private RedisOptions options(Duration ttl, FakeClock clock) {
        return RedisOptions.builder().url(server.url()).keyPrefix(prefix).presenceTtl(ttl).clock(clock).build();
    }

    @Override
    protected PresenceStore newStore(Duration ttl, FakeClock clock) {
        return new RedisPresenceStore(options(ttl, clock));
    }

    @Override
    protected PresenceStore otherNode(PresenceStore first, Duration ttl, FakeClock clock) {
        return new RedisPresenceStore(options(ttl, clock));
    }

    @Test
    void keysCarryARedisTtlSoACrashedClusterCleansUp() {
        try (PresenceStore store = newStore(TTL, clock); JedisPooled jedis = new JedisPooled(URI.create(server.url()))) {
            store.join("session:ttl", "alice", "c1");
            long ttl = jedis.pttl(prefix + "presence:{session:ttl}");
            assertTrue(ttl > TTL.toMillis() && ttl <= 2 * TTL.toMillis(), "ttl " + ttl);
            assertTrue(jedis.pttl(prefix + "presence-conn:c1") > 0);
        }
    }
}

package dev.realtime.redis;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.JedisPooled;

@Tag("integration")
@ExtendWith(RedisServerExtension.class)
class RedisSessionRegistryTest {
    private final String prefix = "t-" + UUID.randomUUID() + ":";
    private JedisPooled jedis;
    private RedisOptions.Builder options;

    @BeforeEach
    void setUp(RedisTestServer server) {
        jedis = new JedisPooled(URI.create(server.url()));
        options = RedisOptions.builder().client(jedis).keyPrefix(prefix);
    }

    @AfterEach
    void tearDown() {
        jedis.close();
    }

    @Test
    void registersMetadataAndSubscriptionsUnderSeed002Keys() {
        try (RedisSessionRegistry registry = new RedisSessionRegistry(options.build())) {
            registry.register("c-1", Map.of("userId", "u1", "node", "a"));
            assertTrue(registry.subscribeIfNew("c-1", "job:42"));
            assertFalse(registry.subscribeIfNew("c-1", "job:42"));
            assertTrue(registry.subscribeIfNew("c-1", "all-jobs"));
            assertEquals(Set.of("job:42", "all-jobs"), registry.rooms("c-1"));
            Map<String, String> meta = registry.metadata("c-1").orElseThrow();
            assertEquals("u1", meta.get("userId"));
            assertTrue(meta.containsKey(RedisSessionRegistry.REGISTERED_AT));
            assertEquals("hash", jedis.type(prefix + "client:{c-1}"));
            assertEquals("set", jedis.type(prefix + "subscriptions:{c-1}"));

            assertTrue(registry.unsubscribeIfPresent("c-1", "all-jobs"));
            assertFalse(registry.unsubscribeIfPresent("c-1", "all-jobs"));
            assertEquals(Set.of("job:42"), registry.rooms("c-1"));

            registry.remove("c-1");
            assertEquals(Optional.empty(), registry.metadata("c-1"));
            assertEquals(Set.of(), registry.rooms("c-1"));
            assertFalse(registry.refresh("c-1"), "removed clients are unknown");
        }
    }

    @Test
    void entriesOfAClientThatStopsHeartbeatingExpire() {
        try (RedisSessionRegistry registry = new RedisSessionRegistry(options.sessionTtl(Duration.ofMillis(300))
                .build())) {
            registry.register("alive", Map.of("userId", "u1"));
            registry.subscribe("alive", "job:1");
            registry.register("crashed", Map.of("userId", "u2"));
            registry.subscribe("crashed", "job:2");
            // heartbeat only "alive" until "crashed" has expired
            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50)).until(() -> {
                assertTrue(registry.refresh("alive"));
                return registry.metadata("crashed").isEmpty() && registry.rooms("crashed").isEmpty();
            });
            assertEquals(Set.of("job:1"), registry.rooms("alive"));
            assertTrue(registry.metadata("alive").isPresent());
        }
    }

    @Test
    void aCallerOwnedClientStaysOpen() {
        RedisSessionRegistry registry = new RedisSessionRegistry(options.build());
        registry.close();
        assertEquals("PONG", jedis.ping());
    }
}

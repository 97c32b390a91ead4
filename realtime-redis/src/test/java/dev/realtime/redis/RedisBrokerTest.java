package dev.realtime.redis;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.realtime.core.broker.Envelope;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.JedisPooled;

@Tag("integration")
@ExtendWith(RedisServerExtension.class)
class RedisBrokerTest {
    private RedisTestServer server;
    private final String prefix = "t-" + UUID.randomUUID() + ":";

    @BeforeEach
    void setUp(RedisTestServer server) {
        this.server = server;
    }

    private RedisOptions options(String url) {
        return RedisOptions.builder().url(url).keyPrefix(prefix)
                .reconnectBackoff(Duration.ofMillis(20), Duration.ofMillis(200)).build();
    }

    private static Envelope env(String origin, String text) {
        return new Envelope(origin, List.of("chat:x"), "message", "{\"text\":\"" + text + "\"}", null, 0, null,
                Instant.parse("2026-01-01T00:00:00.000000001Z"), 0);
    }

    private static Envelope next(BlockingQueue<Envelope> q) throws InterruptedException {
        Envelope e = q.poll(5, TimeUnit.SECONDS);
        if (e == null) {
            throw new AssertionError("no envelope within 5 s");
        }
        return e;
    }

    @Test
    void deliversToOtherNodesOnlyAndIgnoresItsOwn() throws Exception {
        BlockingQueue<Envelope> atA = new LinkedBlockingQueue<>();
        BlockingQueue<Envelope> atB = new LinkedBlockingQueue<>();
        try (RedisBroker a = new RedisBroker(options(server.url()));
             RedisBroker b = new RedisBroker(options(server.url()))) {
            a.start("a", atA::add);
            b.start("b", atB::add);
            assertTrue(a.connected() && b.connected(), "start waits for the subscription");
            a.publish(env("a", "hello"));
            Envelope got = next(atB);
            assertEquals(env("a", "hello"), got, "round trip keeps every field");
            b.publish(env("b", "back"));
            assertEquals("b", next(atA).origin());
            assertEquals(1, a.published());
            assertEquals(1, a.received());
            assertEquals(1, b.received());
            assertTrue(atA.isEmpty() && atB.isEmpty(), "no node receives its own envelope");
        }
    }

    @Test
    void resubscribesByItselfWhenItsConnectionIsKilled() throws Exception {
        BlockingQueue<Envelope> atB = new LinkedBlockingQueue<>();
        try (RedisBroker a = new RedisBroker(options(server.url()));
             RedisBroker b = new RedisBroker(options(server.url()));
             JedisPooled admin = new JedisPooled(URI.create(server.url()))) {
            a.start("a", e -> { });
            b.start("b", atB::add);
            admin.sendCommand(redis.clients.jedis.Protocol.Command.CLIENT, "KILL", "TYPE", "pubsub");
            await().atMost(Duration.ofSeconds(10)).until(() -> b.reconnects() >= 1 && b.connected());
            assertTrue(b.connectionFailures() >= 1);
            a.publish(env("a", "after"));
            assertEquals("{\"text\":\"after\"}", next(atB).data());
        }
    }

    @Test
    void closeStopsTheSubscriberThread() {
        RedisBroker broker = new RedisBroker(options(server.url()));
        broker.start("closing-node", e -> { });
        assertTrue(subscriberAlive("closing-node"));
        broker.close();
        assertFalse(subscriberAlive("closing-node"));
        assertFalse(broker.connected());
        broker.publish(env("closing-node", "ignored")); // no-op after close, never throws
        assertThrows(IllegalStateException.class, () -> broker.start("again", e -> { }));
    }

    @Test
    void publishFailuresAreCountedNotThrownAndTheBrokerRecovers() throws Exception {
        try (RedisTestServer own = RedisTestServer.start(false)) {
            org.junit.jupiter.api.Assumptions.assumeTrue(own.controllable());
            BlockingQueue<Envelope> atB = new LinkedBlockingQueue<>();
            try (RedisBroker a = new RedisBroker(options(own.url()));
                 RedisBroker b = new RedisBroker(options(own.url()))) {
                a.start("a", e -> { });
                b.start("b", atB::add);
                own.stop();
                a.publish(env("a", "lost")); // must not throw
                assertEquals(1, a.publishFailures());
                await().atMost(Duration.ofSeconds(5)).until(() -> !b.connected());
                own.start();
                await().atMost(Duration.ofSeconds(10)).until(() -> a.connected() && b.connected());
                assertTrue(b.reconnects() >= 1);
                a.publish(env("a", "back"));
                assertEquals("{\"text\":\"back\"}", next(atB).data());
            }
        }
    }

    @Test
    void optionsFailFast() {
        assertThrows(IllegalStateException.class, () -> RedisOptions.builder().build());
        assertThrows(IllegalArgumentException.class, () -> RedisOptions.builder().url("http://x"));
        assertThrows(IllegalStateException.class, () -> RedisOptions.builder().url("redis://a:1").url("redis://b:1"));
        assertThrows(IllegalArgumentException.class, () -> RedisOptions.builder().historySize(0));
        assertThrows(IllegalArgumentException.class,
                () -> RedisOptions.builder().reconnectBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1)));
    }

    private static boolean subscriberAlive(String node) {
        return Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.getName().equals("realtime-redis-subscriber-" + node) && t.isAlive());
    }
}

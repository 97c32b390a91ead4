package dev.realtime.redis;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.realtime.core.ErrorCode;
import dev.realtime.core.StoreException;
import dev.realtime.core.history.HistoryEntry;
import dev.realtime.core.history.HistoryPage;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Redis going away and coming back under two live hubs. The server runs with an append-only file (fsync always)
 * so that a restart keeps history, as a production Redis with persistence would.
 */
@Tag("integration")
class RedisFaultToleranceTest {

    @Test
    void localDeliveryContinuesWhileRedisIsDownAndTheClusterHealsWhenItIsBack() {
        try (RedisTestServer redis = RedisTestServer.start(true)) {
            assumeTrue(redis.controllable(), "needs a Redis this test can stop (not REDIS_URL)");
            RedisOptions options = RedisOptions.builder().url(redis.url())
                    .keyPrefix("t-" + UUID.randomUUID() + ":")
                    .reconnectBackoff(Duration.ofMillis(20), Duration.ofMillis(200))
                    .build();
            try (Node a = new Node("a", options); Node b = new Node("b", options)) {
                Node.Client onA = a.connect();
                Node.Client onB = b.connect();
                for (Node.Client c : List.of(onA, onB)) {
                    c.subscribe("job:f");
                    c.subscribe("chat:x");
                }
                for (int i = 1; i <= 3; i++) {
                    a.hub.jobs().progress("f", i * 10, null);
                }
                String epoch = null;
                for (Node.Client c : List.of(onA, onB)) {
                    for (long o = 1; o <= 3; o++) {
                        JsonNode e = c.nextEvent();
                        assertEquals(o, e.path("offset").asLong());
                        epoch = e.path("epoch").asText();
                    }
                }

                redis.stop();

                StoreException down = assertThrows(StoreException.class,
                        () -> a.hub.jobs().progress("f", 40, null), "job events need history first");
                assertEquals(ErrorCode.UNAVAILABLE, down.code());
                assertTrue(down.getMessage().startsWith("redis ") && down.getMessage().contains("job:f"), down.getMessage());

                a.hub.emitToRoom("chat:x", "message", Map.of("text", "a-during-outage"));
                b.hub.emitToRoom("chat:x", "message", Map.of("text", "b-during-outage"));
                assertEquals("a-during-outage", onA.nextEvent().path("data").path("text").asText());
                assertEquals("b-during-outage", onB.nextEvent().path("data").path("text").asText());
                assertTrue(a.broker.publishFailures() >= 1 && b.broker.publishFailures() >= 1);
                await().atMost(Duration.ofSeconds(5)).until(() -> !a.broker.connected() && !b.broker.connected());
                onA.transport().assertNoMore(100); // B's chat message could not cross
                onB.transport().assertNoMore(0);

                redis.start();

                await().atMost(Duration.ofSeconds(10)).until(() -> a.broker.connected() && b.broker.connected());
                assertTrue(a.broker.reconnects() >= 1 && b.broker.reconnects() >= 1);
                a.hub.emitToRoom("chat:x", "message", Map.of("text", "a-after"));
                assertEquals("a-after", onB.nextEvent().path("data").path("text").asText(),
                        "cross-node delivery resumed without any action");
                assertEquals("a-after", onA.nextEvent().path("data").path("text").asText());

                HistoryPage page = b.hub.history("job:f", 0, 10);
                assertTrue(page.complete());
                assertEquals(epoch, page.position().epoch(), "history survived the restart: same epoch");
                assertEquals(List.of(1L, 2L, 3L), page.entries().stream().map(HistoryEntry::offset).toList());

                b.hub.jobs().progress("f", 40, null);
                for (Node.Client c : List.of(onA, onB)) {
                    JsonNode e = c.nextEvent();
                    assertEquals(4, e.path("offset").asLong());
                    assertEquals(epoch, e.path("epoch").asText());
                }
                onA.transport().assertNoMore(100);
                onB.transport().assertNoMore(0);
            }
        }
    }

    @Test
    void aRestartWithoutPersistenceIsReportedAsANewEpoch() {
        try (RedisTestServer redis = RedisTestServer.start(false)) {
            assumeTrue(redis.controllable(), "needs a Redis this test can stop (not REDIS_URL)");
            RedisOptions options = RedisOptions.builder().url(redis.url()).keyPrefix("t:")
                    .reconnectBackoff(Duration.ofMillis(20), Duration.ofMillis(200)).build();
            try (Node a = new Node("a", options); Node b = new Node("b", options)) {
                a.hub.jobs().progress("v", 10, null);
                a.hub.jobs().progress("v", 20, null);
                String before = a.hub.history("job:v", 0, 10).position().epoch();
                redis.kill(); // crash: everything in memory is gone
                redis.start();
                await().atMost(Duration.ofSeconds(10)).until(() -> b.broker.connected());

                Node.Client client = b.connect();
                JsonNode sub = client.resume("job:v", 2, before);
                assertEquals(false, sub.path("recovered").asBoolean(), "the client learns of the gap");
                a.hub.jobs().progress("v", 30, null);
                JsonNode e = client.nextEvent();
                assertEquals(1, e.path("offset").asLong());
                assertTrue(!before.equals(e.path("epoch").asText()), "a new epoch after the loss");
            }
        }
    }
}

package dev.realtime.redis;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.args.ClientType;
import redis.clients.jedis.params.ClientKillParams;

/**
 * Pub/sub loses what is published while a node's subscription is down; history does not. After the broker is
 * back, every subscription catches up from its last offset, and what history can no longer give is said
 * ({@code recovered:false}), never skipped silently.
 */
@Tag("integration")
@ExtendWith(RedisServerExtension.class)
class RedisPubSubLossTest {
    private final List<Node> nodes = new ArrayList<>();

    @AfterEach
    void tearDown() {
        nodes.forEach(Node::close);
    }

    private static RedisOptions options(RedisTestServer server, String prefix, Duration minBackoff, int history) {
        return RedisOptions.builder().url(server.url()).keyPrefix(prefix).historySize(history)
                .reconnectBackoff(minBackoff, minBackoff.multipliedBy(2)).build();
    }

    private static long killPubSub(RedisTestServer server) {
        try (Jedis admin = new Jedis(java.net.URI.create(server.url()))) {
            return admin.clientKill(ClientKillParams.clientKillParams().type(ClientType.PUBSUB));
        }
    }

    @Test
    void aFinalEventPublishedWhilePubSubIsDownStillReachesTheOtherNode(RedisTestServer server) {
        String prefix = "loss-" + UUID.randomUUID() + ":";
        Node a = new Node("a", options(server, prefix, Duration.ofMillis(50), 100));
        Node b = new Node("b", options(server, prefix, Duration.ofSeconds(1), 100)); // slow to come back
        nodes.add(a);
        nodes.add(b);
        await().atMost(Duration.ofSeconds(5)).until(() -> a.broker.connected() && b.broker.connected());
        Node.Client onB = b.connect();
        onB.subscribe("job:final");
        for (int i = 1; i <= 3; i++) {
            a.hub.jobs().progress("final", i * 10, null);
        }
        for (long o = 1; o <= 3; o++) {
            assertEquals(o, onB.nextEvent().path("offset").asLong());
        }
        assertTrue(killPubSub(server) >= 2, "both subscriber connections were killed");
        await().atMost(Duration.ofSeconds(2)).until(() -> !b.broker.connected());
        a.hub.jobs().completed("final", java.util.Map.of("url", "/r.pdf")); // acknowledged: in history
        assertFalse(b.broker.connected(), "published while B could not hear it");

        JsonNode last = onB.nextEvent(); // B resubscribes, then catches up from history
        assertEquals(4, last.path("offset").asLong());
        assertEquals("job:completed", last.path("event").asText());
        assertTrue(b.broker.reconnects() >= 1);
        onB.transport().assertNoMore(200);
    }

    @Test
    void anOutageLongerThanHistoryEndsWithAGapSignalAndNeverSilentLoss(RedisTestServer server) {
        String prefix = "gap-" + UUID.randomUUID() + ":";
        Node a = new Node("a", options(server, prefix, Duration.ofMillis(50), 100));
        Node b = new Node("b", options(server, prefix, Duration.ofSeconds(2), 100));
        nodes.add(a);
        nodes.add(b);
        await().atMost(Duration.ofSeconds(5)).until(() -> a.broker.connected() && b.broker.connected());
        Node.Client onB = b.connect();
        onB.subscribe("job:burst");
        a.hub.jobs().progress("burst", 1, null);
        assertEquals(1, onB.nextEvent().path("offset").asLong());

        killPubSub(server);
        await().atMost(Duration.ofSeconds(2)).until(() -> !b.broker.connected());
        for (int i = 2; i <= 1200; i++) { // 1,199 acknowledged events while B is deaf; history keeps 100
            a.hub.jobs().progress("burst", i % 101, null);
        }
        // B comes back: recovered:false with the stream's position, then the 100 events history still has
        JsonNode signal = onB.transport().next("subscribed");
        assertFalse(signal.path("recovered").asBoolean(true), signal.toString());
        assertEquals(1200, signal.path("offset").asLong());
        long expect = 1101;
        while (expect <= 1200) {
            assertEquals(expect, onB.nextEvent().path("offset").asLong());
            expect++;
        }
        // and live delivery goes on in order
        a.hub.jobs().completed("burst", "done");
        assertEquals(1201, onB.nextEvent().path("offset").asLong());
        assertTrue(b.hub.stats().toString().length() > 0);
    }
}

package dev.realtime.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Several hubs sharing one real Redis: cross-node delivery, ordering, resume on another node, node loss. */
@Tag("integration")
@ExtendWith(RedisServerExtension.class)
class RedisClusterTest {
    private final List<Node> nodes = new ArrayList<>();
    private RedisOptions options;
    private RedisTestServer server;

    @BeforeEach
    void setUp(RedisTestServer server) {
        this.server = server;
        options = RedisOptions.builder().url(server.url()).keyPrefix("t-" + UUID.randomUUID() + ":").build();
    }

    @AfterEach
    void tearDown() {
        nodes.forEach(Node::close);
    }

    private Node node(String id) {
        Node n = new Node(id, options);
        nodes.add(n);
        return n;
    }

    @Test
    void publishOnAReachesBOnceInOrderAndAsOwnClientOnce() {
        Node a = node("a");
        Node b = node("b");
        Node.Client onA = a.connect();
        Node.Client onB = b.connect();
        onA.subscribe("job:42");
        onB.subscribe("job:42");

        for (int i = 1; i <= 20; i++) {
            a.hub.jobs().progress("42", i, "step " + i);
        }
        for (Node.Client c : List.of(onA, onB)) {
            for (long o = 1; o <= 20; o++) {
                JsonNode e = c.nextEvent();
                assertEquals(o, e.path("offset").asLong());
                assertEquals("job:progress", e.path("event").asText());
                assertEquals((int) o, e.path("data").path("progress").asInt());
            }
        }
        onA.transport().assertNoMore(200);
        onB.transport().assertNoMore(0);
        assertEquals(20, a.broker.published());
        assertEquals(20, b.broker.received());
        assertEquals(0, a.broker.received(), "a ignores its own envelopes");
    }

    @Test
    void roomsWithoutHistoryAndBroadcastsCrossNodesToo() {
        Node a = node("a");
        Node b = node("b");
        Node.Client onB = b.connect();
        onB.subscribe("chat:x");
        a.hub.emitToRoom("chat:x", "message", java.util.Map.of("text", "hi"));
        JsonNode e = onB.nextEvent();
        assertEquals("hi", e.path("data").path("text").asText());
        a.hub.broadcastToAll("maintenance", java.util.Map.of("in", "5m"));
        assertEquals("maintenance", onB.nextEvent().path("event").asText());
    }

    @Test
    void clientResumesOnAnotherNodeWithExactlyTheMissedEvents() {
        Node a = node("a");
        Node b = node("b");
        Node.Client first = a.connect();
        first.subscribe("job:r");
        for (int i = 1; i <= 3; i++) {
            a.hub.jobs().progress("r", i * 10, null);
        }
        JsonNode last = null;
        for (int i = 1; i <= 3; i++) {
            last = first.nextEvent();
        }
        long seen = last.path("offset").asLong();
        String epoch = last.path("epoch").asText();
        first.drop();
        for (int i = 4; i <= 6; i++) {
            a.hub.jobs().progress("r", i * 10, null);
        }

        Node.Client again = b.connect();
        JsonNode sub = again.resume("job:r", seen, epoch);
        assertTrue(sub.path("recovered").asBoolean(), sub.toString());
        assertEquals(6, sub.path("offset").asLong());
        for (long o = 4; o <= 6; o++) {
            assertEquals(o, again.nextEvent().path("offset").asLong());
        }
        a.hub.jobs().completed("r", "done");
        JsonNode live = again.nextEvent();
        assertEquals(7, live.path("offset").asLong());
        assertEquals("job:completed", live.path("event").asText());
        again.transport().assertNoMore(200);
    }

    @Test
    void concurrentPublishersOnTwoNodesLeaveNoHoleAndNoDuplicate() throws Exception {
        Node a = node("a");
        Node b = node("b");
        Node c = node("c");
        List<Node.Client> clients = List.of(a.connect(), b.connect(), c.connect());
        for (Node.Client client : clients) {
            client.subscribe("job:cc");
        }
        int perNode = 200;
        CountDownLatch go = new CountDownLatch(1);
        CompletableFuture<?> fromA = CompletableFuture.runAsync(() -> publish(a, go, perNode));
        CompletableFuture<?> fromB = CompletableFuture.runAsync(() -> publish(b, go, perNode));
        go.countDown();
        CompletableFuture.allOf(fromA, fromB).get();
        for (Node.Client client : clients) {
            for (long o = 1; o <= 2L * perNode; o++) {
                assertEquals(o, client.nextEvent().path("offset").asLong());
            }
        }
        for (Node.Client client : clients) {
            client.transport().assertNoMore(100);
        }
    }

    private static void publish(Node n, CountDownLatch go, int count) {
        try {
            go.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        for (int i = 0; i < count; i++) {
            n.hub.jobs().update("cc", n.id + "-" + i, null);
        }
    }

    @Test
    void whenANodeDiesItsClientsResumeOnAnotherWithoutGap() {
        Node a = node("a");
        Node b = node("b");
        Node.Client client = a.connect();
        client.subscribe("job:k");
        b.hub.jobs().progress("k", 10, null);
        a.hub.jobs().progress("k", 20, null);
        client.nextEvent();
        JsonNode last = client.nextEvent();
        assertEquals(2, last.path("offset").asLong());

        a.close(); // node A goes away with its connections
        nodes.remove(a);
        b.hub.jobs().progress("k", 30, null);
        b.hub.jobs().progress("k", 40, null);

        Node.Client moved = b.connect();
        JsonNode sub = moved.resume("job:k", 2, last.path("epoch").asText());
        assertTrue(sub.path("recovered").asBoolean());
        assertEquals(3, moved.nextEvent().path("offset").asLong());
        assertEquals(4, moved.nextEvent().path("offset").asLong());
        b.hub.jobs().completed("k", "ok");
        assertEquals(5, moved.nextEvent().path("offset").asLong());
        moved.transport().assertNoMore(100);
    }

    @Test
    void nodesCanShareACallerOwnedPoolWhichOutlivesThem() {
        try (redis.clients.jedis.JedisPooled jedis = new redis.clients.jedis.JedisPooled(
                java.net.URI.create(server.url()))) {
            RedisOptions shared = RedisOptions.builder().client(jedis).keyPrefix("t-" + UUID.randomUUID() + ":")
                    .build();
            try (Node a = new Node("a", shared); Node b = new Node("b", shared)) {
                Node.Client onB = b.connect();
                onB.subscribe("job:own");
                a.hub.jobs().completed("own", "ok");
                assertEquals("job:completed", onB.nextEvent().path("event").asText());
            }
            assertEquals("PONG", jedis.ping(), "closing the hubs left the caller's pool open");
        }
    }
}

package dev.realtime.jakarta;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.realtime.core.RealtimeHub;
import dev.realtime.jakarta.client.ClientListener;
import dev.realtime.jakarta.client.JobPayloads.JobCompleted;
import dev.realtime.jakarta.client.JobPayloads.JobProgress;
import dev.realtime.jakarta.client.RealtimeClient;
import dev.realtime.jakarta.client.RealtimeClientException;
import dev.realtime.jakarta.client.RealtimeEvent;
import dev.realtime.jakarta.client.SubscribeResult;
import dev.realtime.jakarta.server.RealtimeServer;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The Java client against a real standalone server on an ephemeral port. */
@Timeout(30)
class ClientServerTest {
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private RealtimeHub hub;
    private RealtimeServer server;
    private URI wsUri;

    private void start(RealtimeHub.Builder hubBuilder) {
        hub = hubBuilder.build();
        server = RealtimeServer.builder().hub(hub).host("127.0.0.1").port(0).build();
        closeables.add(hub);
        closeables.add(server);
        wsUri = URI.create("ws://127.0.0.1:" + server.start() + "/ws");
    }

    private RealtimeClient client() {
        RealtimeClient c = RealtimeClient.builder(wsUri)
                .reconnectDelay(Duration.ofMillis(20), Duration.ofMillis(200))
                .build();
        closeables.add(0, c);
        return c;
    }

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : closeables) {
            c.close();
        }
    }

    @Test
    void publishedEventsArriveInOrder() throws Exception {
        start(RealtimeHub.builder());
        RealtimeClient client = client();
        List<RealtimeEvent> events = new CopyOnWriteArrayList<>();
        CountDownLatch done = new CountDownLatch(1);
        client.on("job:update", events::add);
        client.on("job:completed", JobCompleted.class, (room, c) -> done.countDown());
        client.connect().get(5, TimeUnit.SECONDS);
        SubscribeResult sub = client.subscribe("job:1").get(5, TimeUnit.SECONDS);
        assertEquals(0, sub.offset());

        for (int i = 0; i < 50; i++) {
            hub.jobs().update("1", "step", Map.of("i", i));
        }
        hub.jobs().completed("1", Map.of("ok", true));

        assertTrue(done.await(5, TimeUnit.SECONDS));
        assertEquals(50, events.size());
        for (int i = 0; i < 50; i++) {
            assertEquals(i + 1, events.get(i).offset());
            assertEquals("job:1", events.get(i).room());
            assertEquals(i, events.get(i).data().path("data").path("i").asInt());
        }
        assertEquals(51, client.position("job:1").orElseThrow().offset());
    }

    @Test
    void typedProgressListener() throws Exception {
        start(RealtimeHub.builder());
        RealtimeClient client = client();
        CompletableFuture<JobProgress> got = new CompletableFuture<>();
        client.on("job:progress", JobProgress.class, (room, p) -> got.complete(p));
        client.connect();
        client.subscribe("job:typed").get(5, TimeUnit.SECONDS);
        hub.jobs().progress("typed", 40, "Analyzing content");
        JobProgress p = got.get(5, TimeUnit.SECONDS);
        assertEquals(40, p.progress());
        assertEquals("Analyzing content", p.message());
        assertEquals("in_progress", p.status());
        assertEquals("typed", p.jobId());
    }

    @Test
    void clientsInDifferentRoomsGetOnlyTheirOwn() throws Exception {
        start(RealtimeHub.builder());
        List<List<String>> seen = new ArrayList<>();
        List<RealtimeClient> clients = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            List<String> mine = new CopyOnWriteArrayList<>();
            seen.add(mine);
            RealtimeClient c = client();
            c.on("*", e -> mine.add(e.room() + "/" + e.data().path("status").asText()));
            c.connect();
            c.subscribe("job:room" + i).get(5, TimeUnit.SECONDS);
            clients.add(c);
        }
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < 3; i++) {
                hub.jobs().update("room" + i, "s" + round, null);
            }
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> seen.stream().allMatch(s -> s.size() == 3));
        for (int i = 0; i < 3; i++) {
            assertEquals(List.of("job:room" + i + "/s0", "job:room" + i + "/s1", "job:room" + i + "/s2"), seen.get(i));
        }
    }

    @Test
    void reconnectsAndReceivesExactlyTheMissedEvents() throws Exception {
        start(RealtimeHub.builder().historySize(500));
        RealtimeClient client = client();
        List<Long> offsets = new CopyOnWriteArrayList<>();
        AtomicInteger reconnects = new AtomicInteger();
        client.on("job:update", e -> offsets.add(e.offset()));
        client.addListener(new ClientListener() {
            @Override
            public void onDisconnected(int code, String reason, boolean willReconnect) {
                // published while the client is away: the reconnect is scheduled only after this returns
                for (int i = 0; i < 10; i++) {
                    hub.jobs().update("7", "while-away", i);
                }
            }

            @Override
            public void onConnected(String clientId, boolean reconnect) {
                if (reconnect) {
                    reconnects.incrementAndGet();
                }
            }
        });
        client.connect();
        client.subscribe("job:7").get(5, TimeUnit.SECONDS);
        for (int i = 0; i < 5; i++) {
            hub.jobs().update("7", "before", i);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> offsets.size() == 5);

        assertEquals(1, server.closeConnections(1001, "test drop"));
        await().atMost(Duration.ofSeconds(10)).until(() -> offsets.size() >= 15 && reconnects.get() == 1);
        for (int i = 0; i < 5; i++) {
            hub.jobs().update("7", "after", i);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> offsets.size() >= 20);
        assertEquals(LongStream.rangeClosed(1, 20).boxed().toList(), offsets);
    }

    @Test
    void resumeWithSinceZeroWhilePublishingHasNoGapOrDuplicate() throws Exception {
        int n = 1000;
        start(RealtimeHub.builder().historySize(2 * n).sendQueueCapacity(4 * n));
        RealtimeClient client = client();
        List<Long> offsets = new CopyOnWriteArrayList<>();
        client.on("job:update", e -> offsets.add(e.offset()));
        client.connect().get(5, TimeUnit.SECONDS);

        CountDownLatch someout = new CountDownLatch(1);
        Thread publisher = new Thread(() -> {
            for (int i = 0; i < n; i++) {
                hub.jobs().update("race", "step", i);
                if (i == n / 10) {
                    someout.countDown();
                }
            }
        }, "publisher");
        publisher.start();
        assertTrue(someout.await(5, TimeUnit.SECONDS));
        SubscribeResult sub = client.subscribe("job:race", 0, null).get(5, TimeUnit.SECONDS);
        assertEquals(Boolean.TRUE, sub.recovered());
        publisher.join(10_000);

        await().atMost(Duration.ofSeconds(10)).until(() -> offsets.size() >= n);
        assertEquals(LongStream.rangeClosed(1, n).boxed().toList(), offsets);
    }

    @Test
    void gapIsReportedAndLatestStateFollows() throws Exception {
        start(RealtimeHub.builder().historySize(5));
        RealtimeClient client = client();
        List<Long> offsets = new CopyOnWriteArrayList<>();
        CompletableFuture<Long> gap = new CompletableFuture<>();
        client.on("job:update", e -> offsets.add(e.offset()));
        client.addListener(new ClientListener() {
            @Override
            public void onDisconnected(int code, String reason, boolean willReconnect) {
                for (int i = 0; i < 20; i++) {
                    hub.jobs().update("g", "while-away", i);
                }
            }

            @Override
            public void onGap(String room, String epoch, long offset) {
                gap.complete(offset);
            }
        });
        client.connect();
        client.subscribe("job:g").get(5, TimeUnit.SECONDS);
        hub.jobs().update("g", "first", 0);
        await().atMost(Duration.ofSeconds(5)).until(() -> offsets.size() == 1);

        server.closeConnections(1001, "test drop");
        assertEquals(21L, gap.get(10, TimeUnit.SECONDS));
        await().atMost(Duration.ofSeconds(5)).until(() -> offsets.size() == 2);
        assertEquals(List.of(1L, 21L), offsets);
    }

    @Test
    void emitIsAcknowledgedOrFailsWithTheServerCode() throws Exception {
        start(RealtimeHub.builder());
        hub.on("echo", JsonNode.class, (c, payload) -> payload);
        hub.on("whoami", JsonNode.class, (c, payload) -> Map.of(
                "header", c.handshake().header("X-Test").orElse("none"),
                "token", c.handshake().queryParam("token").orElse("none"),
                "path", c.handshake().path()));
        RealtimeClient client = client();
        client.connect().get(5, TimeUnit.SECONDS);

        JsonNode ack = client.emit("echo", Map.of("a", 1)).get(5, TimeUnit.SECONDS);
        assertEquals(1, ack.path("a").asInt());

        ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> client.emit("nope", null).get(5, TimeUnit.SECONDS));
        RealtimeClientException rce = assertInstanceOf(RealtimeClientException.class, e.getCause());
        assertEquals("unknown_event", rce.wireCode());

        // the adapter captured the upgrade request per connection
        try (RealtimeClient withHeader = RealtimeClient.builder(URI.create(wsUri + "?token=t1"))
                .header("X-Test", "hello").build()) {
            withHeader.connect().get(5, TimeUnit.SECONDS);
            JsonNode who = withHeader.emit("whoami", null).get(5, TimeUnit.SECONDS);
            assertEquals("hello", who.path("header").asText());
            assertEquals("t1", who.path("token").asText());
            assertEquals("/ws", who.path("path").asText());
        }
        assertEquals("none", client.emit("whoami", null).get(5, TimeUnit.SECONDS).path("header").asText());
    }

    @Test
    void offlineQueueIsBoundedAndFailsOnClose() throws Exception {
        start(RealtimeHub.builder());
        int port = server.port();
        server.close(); // nothing listens there any more
        RealtimeClient client = RealtimeClient.builder(URI.create("ws://127.0.0.1:" + port + "/ws"))
                .reconnectDelay(Duration.ofMillis(50), Duration.ofMillis(100))
                .offlineQueueSize(2)
                .build();
        closeables.add(0, client);
        client.connect();
        CompletableFuture<JsonNode> first = client.emit("x", 1);
        CompletableFuture<JsonNode> second = client.emit("x", 2);
        CompletableFuture<JsonNode> third = client.emit("x", 3);
        ExecutionException full = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> third.get(5, TimeUnit.SECONDS));
        assertEquals(RealtimeClientException.OFFLINE_QUEUE_FULL,
                ((RealtimeClientException) full.getCause()).wireCode());
        assertFalse(first.isDone());
        assertFalse(client.isConnected());

        client.close();
        ExecutionException closed = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> second.get(5, TimeUnit.SECONDS));
        assertEquals(RealtimeClientException.CLOSED, ((RealtimeClientException) closed.getCause()).wireCode());
        assertEquals(RealtimeClient.State.CLOSED, client.state());
    }

    @Test
    void queuedEmitsAreSentAfterReconnecting() throws Exception {
        start(RealtimeHub.builder());
        CountDownLatch release = new CountDownLatch(1);
        hub.on("echo", JsonNode.class, (c, payload) -> payload);
        RealtimeClient client = client();
        List<CompletableFuture<JsonNode>> queued = new CopyOnWriteArrayList<>();
        client.addListener(new ClientListener() {
            @Override
            public void onDisconnected(int code, String reason, boolean willReconnect) {
                // runs on the event thread before the reconnect is scheduled: these emits are queued offline
                queued.add(client.emit("echo", "a"));
                queued.add(client.emit("echo", "b"));
                release.countDown();
            }
        });
        client.connect().get(5, TimeUnit.SECONDS);
        server.closeConnections(1001, "test drop");
        assertTrue(release.await(5, TimeUnit.SECONDS));
        assertEquals("a", queued.get(0).get(10, TimeUnit.SECONDS).asText());
        assertEquals("b", queued.get(1).get(10, TimeUnit.SECONDS).asText());
    }
}

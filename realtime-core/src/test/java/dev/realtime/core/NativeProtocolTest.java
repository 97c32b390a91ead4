package dev.realtime.core;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.realtime.core.testing.RecordingTransport;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The native JSON protocol end to end through the hub, over an in-process transport. */
class NativeProtocolTest {
    private final RealtimeHub hub = RealtimeHub.builder().historySize(10).build();

    @AfterEach
    void close() {
        hub.close();
    }

    private RecordingTransport connect() {
        RecordingTransport t = new RecordingTransport();
        ConnectionHandle h = hub.connect(t, Protocol.NATIVE);
        handles.put(t, h);
        JsonNode hello = t.next("connection");
        assertTrue(hello.path("clientId").asText().startsWith("c-"));
        assertEquals(30000, hello.path("heartbeatMs").asLong());
        assertTrue(hello.path("timestamp").asText().endsWith("Z"));
        return t;
    }

    private final Map<RecordingTransport, ConnectionHandle> handles = new java.util.concurrent.ConcurrentHashMap<>();

    private void send(RecordingTransport t, String json) {
        handles.get(t).onText(json);
    }

    @Test
    void subscribedClientReceivesJobEventsInOrderWithSeed002Payloads() {
        RecordingTransport t = connect();
        send(t, "{\"type\":\"subscribe\",\"id\":\"1\",\"room\":\"job:42\"}");
        JsonNode sub = t.next("subscribed");
        assertEquals("1", sub.path("id").asText());
        assertEquals("job:42", sub.path("room").asText());
        assertEquals(0, sub.path("offset").asLong());
        assertFalse(sub.has("recovered"), "no 'recovered' without since");

        hub.jobs().update("42", "started", Map.of("message", "Job processing started"));
        hub.jobs().progress("42", 25, "Processing step 1");
        hub.jobs().completed("42", Map.of("count", 3));
        hub.jobs().failed("42", "boom");

        JsonNode u = t.next("event");
        assertEquals("job:update", u.path("event").asText());
        assertEquals("job:42", u.path("room").asText());
        assertEquals(1, u.path("offset").asLong());
        assertEquals(List.of("jobId", "status", "data", "timestamp"), fields(u.path("data")));
        assertEquals("started", u.path("data").path("status").asText());
        assertEquals("Job processing started", u.path("data").path("data").path("message").asText());

        JsonNode p = t.next("event");
        assertEquals("job:progress", p.path("event").asText());
        assertEquals(2, p.path("offset").asLong());
        assertEquals(u.path("epoch").asText(), p.path("epoch").asText());
        assertEquals(List.of("jobId", "status", "progress", "message", "timestamp"), fields(p.path("data")));
        assertEquals("in_progress", p.path("data").path("status").asText());
        assertEquals(25, p.path("data").path("progress").asInt());

        JsonNode c = t.next("event");
        assertEquals("job:completed", c.path("event").asText());
        assertEquals(List.of("jobId", "status", "result", "timestamp"), fields(c.path("data")));
        assertEquals(3, c.path("data").path("result").path("count").asInt());

        JsonNode e = t.next("event");
        assertEquals("job:error", e.path("event").asText());
        assertEquals("failed", e.path("data").path("status").asText());
        assertEquals("boom", e.path("data").path("error").asText());
        assertEquals(4, e.path("offset").asLong());
    }

    @Test
    void clientsInDifferentRoomsGetOnlyTheirOwn() {
        RecordingTransport a = connect();
        RecordingTransport b = connect();
        RecordingTransport all = connect();
        send(a, "{\"type\":\"subscribe\",\"room\":\"job:a\"}");
        send(b, "{\"type\":\"subscribe\",\"room\":\"job:b\"}");
        send(all, "{\"type\":\"subscribe\",\"room\":\"all-jobs\"}");
        a.next("subscribed");
        b.next("subscribed");
        all.next("subscribed");
        hub.jobs().progress("a", 10, null);
        hub.jobs().progress("b", 20, null);
        assertEquals("a", a.next("event").path("data").path("jobId").asText());
        assertEquals("b", b.next("event").path("data").path("jobId").asText());
        assertEquals("a", all.next("event").path("data").path("jobId").asText());
        assertEquals("b", all.next("event").path("data").path("jobId").asText());
        a.assertNoMore(100);
        b.assertNoMore(0);
        all.assertNoMore(0);
    }

    @Test
    void clientInSeveralRoomsOfOneJobReceivesEachEventOnce() {
        RecordingTransport t = connect();
        send(t, "{\"type\":\"subscribe\",\"room\":\"job:9\"}");
        send(t, "{\"type\":\"subscribe\",\"room\":\"user:u1\"}");
        send(t, "{\"type\":\"subscribe\",\"room\":\"all-jobs\"}");
        t.next("subscribed");
        t.next("subscribed");
        t.next("subscribed");
        hub.jobs().job("9", "u1").progress(50, "half");
        JsonNode e = t.next("event");
        assertEquals("job:9", e.path("room").asText());
        t.assertNoMore(100);
    }

    @Test
    void ownerReceivesJobEventsThroughUserRoom() {
        RecordingTransport owner = connect();
        RecordingTransport other = connect();
        send(owner, "{\"type\":\"subscribe\",\"room\":\"user:alice\"}");
        send(other, "{\"type\":\"subscribe\",\"room\":\"user:bob\"}");
        owner.next("subscribed");
        other.next("subscribed");
        hub.jobs().job("7", "alice").progress(5, null);
        hub.jobs().completed("7", "done"); // owner remembered
        assertEquals("job:progress", owner.next("event").path("event").asText());
        assertEquals("job:completed", owner.next("event").path("event").asText());
        other.assertNoMore(100);
    }

    @Test
    void resumeReplaysExactlyTheMissedEventsThenGoesLive() {
        for (int i = 1; i <= 5; i++) {
            hub.jobs().progress("r", i, "step " + i);
        }
        RecordingTransport t = connect();
        String epoch = hub.history("job:r", 0, 1).position().epoch();
        send(t, "{\"type\":\"subscribe\",\"id\":\"s\",\"room\":\"job:r\",\"since\":2,\"epoch\":\"" + epoch + "\"}");
        JsonNode sub = t.next("subscribed");
        assertTrue(sub.path("recovered").asBoolean());
        assertEquals(5, sub.path("offset").asLong());
        assertEquals(epoch, sub.path("epoch").asText());
        for (long o = 3; o <= 5; o++) {
            assertEquals(o, t.next("event").path("offset").asLong());
        }
        hub.jobs().progress("r", 6, null);
        assertEquals(6, t.next("event").path("offset").asLong());
        t.assertNoMore(50);
    }

    @Test
    void gapIsReportedAndFollowedByCurrentState() {
        for (int i = 1; i <= 15; i++) { // history keeps 10: offsets 1..5 are gone
            hub.jobs().progress("g", i, null);
        }
        RecordingTransport t = connect();
        send(t, "{\"type\":\"subscribe\",\"room\":\"job:g\",\"since\":2}");
        JsonNode sub = t.next("subscribed");
        assertFalse(sub.path("recovered").asBoolean());
        JsonNode state = t.next("event");
        assertEquals(15, state.path("offset").asLong(), "the latest event is the job's current state");
        assertEquals(15, state.path("data").path("progress").asInt());
        hub.jobs().progress("g", 16, null);
        assertEquals(16, t.next("event").path("offset").asLong());
    }

    @Test
    void wrongEpochIsAGap() {
        hub.jobs().progress("w", 1, null);
        RecordingTransport t = connect();
        send(t, "{\"type\":\"subscribe\",\"room\":\"job:w\",\"since\":0,\"epoch\":\"stale\"}");
        assertFalse(t.next("subscribed").path("recovered").asBoolean());
    }

    @Test
    void eventsPublishedDuringReplayArriveWithoutGapOrDuplicate() throws Exception {
        RealtimeHub big = RealtimeHub.builder().historySize(5000).replayLimit(5000).build(); // the replay may reach 1,500
        try {
            for (int i = 0; i < 500; i++) {
                big.jobs().update("x", "s" + i, i);
            }
            RecordingTransport t = new RecordingTransport();
            ConnectionHandle h = big.connect(t, Protocol.NATIVE);
            t.next("connection");
            CompletableFuture<Void> publisher = CompletableFuture.runAsync(() -> {
                for (int i = 500; i < 1500; i++) {
                    big.jobs().update("x", "s" + i, i);
                }
            });
            h.onText("{\"type\":\"subscribe\",\"room\":\"job:x\",\"since\":0}");
            publisher.get();
            assertTrue(t.next("subscribed").path("recovered").asBoolean());
            for (long o = 1; o <= 1500; o++) {
                JsonNode e = t.next("event");
                assertEquals(o, e.path("offset").asLong());
                assertEquals(o - 1, e.path("data").path("data").asLong());
            }
            t.assertNoMore(50);
        } finally {
            big.close();
        }
    }

    @Test
    void emitRunsTypedHandlerAndAcks() {
        record Req(String filename, int pages) {
        }
        hub.on("generate-quiz", Req.class, (client, req) -> Map.of("file", req.filename(), "pages", req.pages(),
                "by", client.id()));
        RecordingTransport t = connect();
        send(t, "{\"type\":\"emit\",\"id\":\"3\",\"event\":\"generate-quiz\",\"data\":{\"filename\":\"a.pdf\",\"pages\":4}}");
        JsonNode ack = t.next("ack");
        assertEquals("3", ack.path("id").asText());
        assertEquals("a.pdf", ack.path("data").path("file").asText());
        assertEquals(4, ack.path("data").path("pages").asInt());
        assertTrue(ack.path("data").path("by").asText().startsWith("c-"));
    }

    @Test
    void handlerErrorsBecomeErrorFrames() {
        hub.on("fails", JsonNode.class, (c, p) -> {
            throw new RealtimeException(ErrorCode.NOT_FOUND, "no such quiz");
        });
        hub.on("crashes", JsonNode.class, (c, p) -> {
            throw new IllegalStateException("secret detail");
        });
        hub.on("async", JsonNode.class, (c, p) -> CompletableFuture.supplyAsync(() -> p.path("n").asInt() * 2));
        hub.on("typed", Integer.class, (c, p) -> p);
        RecordingTransport t = connect();
        send(t, "{\"type\":\"emit\",\"id\":\"1\",\"event\":\"fails\"}");
        assertError(t.next("error"), "1", "not_found");
        send(t, "{\"type\":\"emit\",\"id\":\"2\",\"event\":\"crashes\"}");
        JsonNode crash = t.next("error");
        assertError(crash, "2", "internal");
        assertFalse(crash.path("message").asText().contains("secret"));
        send(t, "{\"type\":\"emit\",\"id\":\"3\",\"event\":\"async\",\"data\":{\"n\":21}}");
        assertEquals(42, t.next("ack").path("data").asInt());
        send(t, "{\"type\":\"emit\",\"id\":\"4\",\"event\":\"typed\",\"data\":{\"not\":\"an int\"}}");
        assertError(t.next("error"), "4", "bad_request");
        send(t, "{\"type\":\"emit\",\"id\":\"5\",\"event\":\"nobody-listens\"}");
        assertError(t.next("error"), "5", "unknown_event");
    }

    @Test
    void badInputGetsAnErrorAndTheConnectionSurvives() {
        RecordingTransport t = connect();
        String[][] cases = {
                {"{not json", "bad_request"},
                {"[1,2,3]", "bad_request"},
                {"\"just a string\"", "bad_request"},
                {"{}", "bad_request"},
                {"{\"type\":42}", "bad_request"},
                {"{\"type\":\"launch-missiles\"}", "bad_request"},
                {"{\"type\":\"subscribe\"}", "bad_request"},
                {"{\"type\":\"subscribe\",\"room\":\"\"}", "bad_request"},
                {"{\"type\":\"subscribe\",\"room\":\"job:<script>\"}", "bad_request"},
                {"{\"type\":\"subscribe\",\"room\":\"job:1\",\"since\":-1}", "bad_request"},
                {"{\"type\":\"subscribe\",\"room\":\"job:1\",\"since\":\"x\"}", "bad_request"},
                {"{\"type\":\"emit\"}", "bad_request"},
                {"{\"type\":\"unsubscribe\",\"room\":5}", "bad_request"},
                {"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]",
                        "too_large"},
        };
        for (String[] c : cases) {
            send(t, c[0]);
            JsonNode err = t.next("error");
            assertEquals(c[1], err.path("code").asText(), "for input " + c[0]);
            assertFalse(err.path("message").asText().isBlank());
        }
        send(t, "{\"type\":\"subscribe\",\"id\":\"ok\",\"room\":\"job:1\"}");
        assertEquals("ok", t.next("subscribed").path("id").asText());
        hub.jobs().progress("1", 1, null);
        assertEquals("job:progress", t.next("event").path("event").asText());
        assertTrue(hub.stats().protocolErrors() >= cases.length);
    }

    @Test
    void binaryFrameClosesWith1003AndOversizedFrameWith1009() throws Exception {
        RealtimeHub small = RealtimeHub.builder().maxFrameBytes(100).build();
        try {
            RecordingTransport a = new RecordingTransport();
            small.connect(a, Protocol.NATIVE).onBinary(ByteBuffer.wrap(new byte[] {1, 2}));
            assertTrue(a.awaitClosed(2000));
            assertEquals(1003, a.closeCode());
            RecordingTransport b = new RecordingTransport();
            small.connect(b, Protocol.NATIVE).onText("{\"type\":\"ping\",\"pad\":\"" + "x".repeat(200) + "\"}");
            assertTrue(b.awaitClosed(2000));
            assertEquals(1009, b.closeCode());
            await().until(() -> small.stats().connections() == 0);
        } finally {
            small.close();
        }
    }

    @Test
    void unsubscribeStopsDeliveryAndCloseLeavesAllRooms() {
        RecordingTransport t = connect();
        send(t, "{\"type\":\"subscribe\",\"room\":\"job:u\"}");
        send(t, "{\"type\":\"subscribe\",\"room\":\"chat:lobby\"}");
        t.next("subscribed");
        t.next("subscribed");
        assertEquals(1, hub.roomSize("job:u"));
        send(t, "{\"type\":\"unsubscribe\",\"id\":\"9\",\"room\":\"job:u\"}");
        assertEquals("9", t.next("unsubscribed").path("id").asText());
        hub.jobs().progress("u", 1, null);
        t.assertNoMore(50);
        assertEquals(0, hub.roomSize("job:u"));
        handles.get(t).onClose(1000, "bye");
        assertEquals(0, hub.roomSize("chat:lobby"));
        assertEquals(0, hub.stats().rooms());
        assertEquals(0, hub.stats().connections());
    }

    @Test
    void applicationRoomsBroadcastAndUserEmits() {
        RecordingTransport t = connect();
        RecordingTransport other = connect();
        send(t, "{\"type\":\"subscribe\",\"room\":\"contest:c1\"}");
        send(t, "{\"type\":\"subscribe\",\"room\":\"user:u9\"}");
        t.next("subscribed");
        t.next("subscribed");
        PublishResult r = hub.emitToRoom("contest:c1", "contest:leaderboard_update", Map.of("top", "ann"));
        assertEquals(0, r.offset(), "application rooms keep no history by default");
        assertEquals(1, r.delivered());
        JsonNode e = t.next("event");
        assertEquals("contest:c1", e.path("room").asText());
        assertFalse(e.has("offset"));
        hub.emitToUser("u9", "notification", Map.of("text", "hi"));
        assertEquals("notification", t.next("event").path("event").asText());
        assertEquals(2, hub.broadcastToAll("maintenance", Map.of("in", "5m")));
        assertEquals("maintenance", t.next("event").path("event").asText());
        assertEquals("maintenance", other.next("event").path("event").asText());
    }

    @Test
    void silentClientIsClosedByHeartbeat() throws Exception {
        RealtimeHub fast = RealtimeHub.builder().heartbeat(Duration.ofMillis(100), Duration.ofMillis(150)).build();
        try {
            RecordingTransport silent = new RecordingTransport();
            fast.connect(silent, Protocol.NATIVE);
            RecordingTransport alive = new RecordingTransport();
            ConnectionHandle aliveHandle = fast.connect(alive, Protocol.NATIVE);
            alive.next("connection");
            // the live client answers every ping
            CompletableFuture<Void> answering = CompletableFuture.runAsync(() -> {
                for (int i = 0; i < 6; i++) {
                    alive.next("ping");
                    aliveHandle.onText("{\"type\":\"pong\"}");
                }
            });
            assertTrue(silent.awaitClosed(3000));
            assertEquals(1001, silent.closeCode());
            answering.get();
            assertEquals(-1, alive.closeCode(), "a client answering pings stays open");
            assertEquals(1, fast.stats().heartbeatCloses());
        } finally {
            fast.close();
        }
    }

    @Test
    void slowClientGetsConflatedProgressButEveryCompletion() {
        RealtimeHub hub2 = RealtimeHub.builder().sendQueueCapacity(64).build();
        try {
            RecordingTransport slow = new RecordingTransport();
            ConnectionHandle h = hub2.connect(slow, Protocol.NATIVE);
            slow.next("connection");
            h.onText("{\"type\":\"subscribe\",\"room\":\"all-jobs\"}");
            slow.next("subscribed");
            slow.slow(); // the next frame stays in flight until release()
            for (int job = 0; job < 3; job++) {
                for (int p = 0; p <= 100; p++) {
                    hub2.jobs().progress("j" + job, p, null);
                }
                hub2.jobs().completed("j" + job, "ok");
            }
            slow.release();
            List<JsonNode> events = new ArrayList<>();
            int completions = 0;
            while (completions < 3) {
                JsonNode e = slow.next("event");
                events.add(e);
                if (e.path("event").asText().equals("job:completed")) {
                    completions++;
                }
            }
            long progress = events.stream().filter(e -> e.path("event").asText().equals("job:progress")).count();
            assertTrue(progress < 303, "conflated: got " + progress + " of 303 progress events");
            assertEquals(3, completions);
            // order per job is preserved: the last progress of each job (100) precedes its completion
            for (int job = 0; job < 3; job++) {
                String id = "j" + job;
                int lastProgress = -1;
                boolean completed = false;
                for (JsonNode e : events) {
                    if (!e.path("data").path("jobId").asText().equals(id)) {
                        continue;
                    }
                    if (e.path("event").asText().equals("job:progress")) {
                        assertFalse(completed, "progress after completion for " + id);
                        lastProgress = e.path("data").path("progress").asInt();
                    } else {
                        completed = true;
                    }
                }
                assertEquals(100, lastProgress, "latest progress wins for " + id);
            }
            assertTrue(hub2.stats().conflated() > 0);
            assertEquals(-1, slow.closeCode());
        } finally {
            hub2.close();
        }
    }

    @Test
    @org.junit.jupiter.api.Timeout(20)
    void eventsOfOneConnectionAreHandledInOrderASlowFirstHandlerIsNotOvertaken() throws Exception {
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        List<String> order = java.util.Collections.synchronizedList(new ArrayList<>());
        hub.on("join", JsonNode.class, (c, p) -> {
            release.await(10, java.util.concurrent.TimeUnit.SECONDS); // a slow join
            order.add("join");
            return Map.of("ok", true);
        });
        hub.on("leave", JsonNode.class, (c, p) -> {
            order.add("leave");
            return Map.of("ok", true);
        });
        RecordingTransport t = new RecordingTransport();
        ConnectionHandle h = hub.connect(t, Protocol.NATIVE);
        t.next("connection");
        h.onText("{\"type\":\"emit\",\"id\":\"1\",\"event\":\"join\",\"data\":{}}");
        h.onText("{\"type\":\"emit\",\"id\":\"2\",\"event\":\"leave\",\"data\":{}}");
        // another connection is not held up by the slow join
        RecordingTransport other = new RecordingTransport();
        ConnectionHandle o = hub.connect(other, Protocol.NATIVE);
        other.next("connection");
        o.onText("{\"type\":\"emit\",\"id\":\"9\",\"event\":\"leave\",\"data\":{}}");
        assertEquals("9", other.next("ack").path("id").asText());
        assertEquals(List.of("leave"), List.copyOf(order), "only the other connection's leave ran so far");
        release.countDown();
        assertEquals("1", t.next("ack").path("id").asText());
        assertEquals("2", t.next("ack").path("id").asText());
        assertEquals(List.of("leave", "join", "leave"), List.copyOf(order));
    }

    @Test
    @org.junit.jupiter.api.Timeout(20)
    void twoSlowConsumersOverflowingInOnePresenceRoomAreClosedWithoutDeadlock() throws Exception {
        RealtimeHub hub2 = RealtimeHub.builder().sendQueueCapacity(8).build();
        try {
            List<RecordingTransport> slow = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                RecordingTransport t = new RecordingTransport();
                ConnectionHandle h = hub2.connect(t, Protocol.NATIVE);
                t.next("connection");
                h.onText("{\"type\":\"subscribe\",\"room\":\"session:s1\"}"); // a presence room
                t.next("subscribed");
                slow.add(t);
            }
            slow.forEach(RecordingTransport::slow);
            // two publishers overflow both at once; each teardown publishes a presence leave into the same room
            Thread other = new Thread(() -> {
                for (int i = 0; i < 60; i++) {
                    hub2.emitToRoom("session:s1", "audio:received", Map.of("n", i));
                }
            });
            other.start();
            for (int i = 0; i < 60; i++) {
                hub2.emitToRoom("session:s1", "audio:received", Map.of("n", i));
            }
            other.join(10_000);
            assertFalse(other.isAlive(), "the second publisher finished: no deadlock");
            for (RecordingTransport t : slow) {
                assertTrue(t.awaitClosed(5000));
                assertEquals(1008, t.closeCode());
            }
            assertEquals(2, hub2.stats().slowConsumerCloses());
            await().until(() -> hub2.stats().connections() == 0);
        } finally {
            hub2.close();
        }
    }

    /** A native client subscribed to all-jobs whose transport stops completing writes. */
    private static RecordingTransport stalledAllJobsSubscriber(RealtimeHub hub) {
        RecordingTransport slow = new RecordingTransport();
        ConnectionHandle h = hub.connect(slow, Protocol.NATIVE);
        slow.next("connection");
        h.onText("{\"type\":\"subscribe\",\"room\":\"all-jobs\"}");
        slow.next("subscribed");
        slow.slow();
        return slow;
    }

    @Test
    void theSlowConsumerTimeoutRunsOnTheHubsTicker() throws Exception {
        java.util.concurrent.atomic.AtomicLong nanos = new java.util.concurrent.atomic.AtomicLong(1);
        RealtimeHub hub2 = RealtimeHub.builder().sendQueueCapacity(8)
                .slowConsumerTimeout(java.time.Duration.ofHours(1)).ticker(nanos::get).build();
        try {
            RecordingTransport slow = stalledAllJobsSubscriber(hub2);
            for (int i = 0; i < 12; i++) {
                hub2.jobs().completed("t" + i, i); // over the bound of 8, under twice it
            }
            assertFalse(slow.awaitClosed(300), "an hour of fake time has not passed");
            nanos.addAndGet(java.time.Duration.ofHours(2).toNanos());
            assertTrue(slow.awaitClosed(5000), "closed once the ticker passed the timeout");
            assertEquals(1008, slow.closeCode());
        } finally {
            hub2.close();
        }
    }

    @Test
    void clientOverTwiceTheBoundIsClosedAsSlowConsumer() throws Exception {
        RealtimeHub hub2 = RealtimeHub.builder().sendQueueCapacity(8).build();
        try {
            RecordingTransport slow = stalledAllJobsSubscriber(hub2);
            for (int i = 0; i < 40; i++) {
                hub2.jobs().completed("k" + i, i); // never conflated
            }
            assertTrue(slow.awaitClosed(2000));
            assertEquals(1008, slow.closeCode());
            assertEquals(1, hub2.stats().slowConsumerCloses());
            await().until(() -> hub2.stats().connections() == 0);
        } finally {
            hub2.close();
        }
    }

    @Test
    void aClientBehindOnLargeFramesIsClosedByTheByteBound() throws Exception {
        // a frame bound that a few frames never reach, a byte bound that 64 KB frames pass at once
        RealtimeHub hub2 = RealtimeHub.builder().sendQueueCapacity(10_000).sendQueueBytes(64 * 1024).build();
        try {
            RecordingTransport slow = stalledAllJobsSubscriber(hub2);
            String big = "x".repeat(64 * 1024);
            for (int i = 0; i < 4 && !slow.awaitClosed(0); i++) {
                hub2.jobs().completed("b" + i, big);
            }
            assertTrue(slow.awaitClosed(2000), "over twice the byte bound with 4 of 10,000 frames queued");
            assertEquals(1008, slow.closeCode());
            assertEquals(64 * 1024, hub2.settings().sendQueueBytes());
        } finally {
            hub2.close();
        }
    }

    @Test
    void closeListenersRunOnceWhenTheClientGoesAway() throws Exception {
        java.util.concurrent.CountDownLatch gone = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.atomic.AtomicInteger runs = new java.util.concurrent.atomic.AtomicInteger();
        Client[] seen = new Client[1];
        hub.on("watch-me", JsonNode.class, (client, p) -> {
            seen[0] = client;
            client.onClose(() -> {
                runs.incrementAndGet();
                gone.countDown();
            });
            Runnable removed = client.onClose(runs::incrementAndGet);
            removed.run(); // removed before the close: never runs
            return null;
        });
        RecordingTransport t = connect();
        send(t, "{\"type\":\"emit\",\"id\":\"1\",\"event\":\"watch-me\"}");
        t.next("ack");
        handles.get(t).onClose(1000, "bye");
        assertTrue(gone.await(2, java.util.concurrent.TimeUnit.SECONDS));
        java.util.concurrent.CountDownLatch late = new java.util.concurrent.CountDownLatch(1);
        seen[0].onClose(late::countDown);
        assertTrue(late.await(1, java.util.concurrent.TimeUnit.SECONDS), "registered after the close: runs at once");
        assertEquals(1, runs.get());
    }

    @Test
    void builderFailsFast() {
        assertThrows(IllegalArgumentException.class, () -> RealtimeHub.builder().historySize(0));
        assertThrows(IllegalArgumentException.class, () -> RealtimeHub.builder().heartbeat(Duration.ZERO, Duration.ofSeconds(1)));
        RealtimeHub.Builder b = RealtimeHub.builder().broker(dev.realtime.core.broker.Broker.local());
        assertThrows(IllegalStateException.class, () -> b.broker(dev.realtime.core.broker.Broker.local()));
        assertThrows(IllegalArgumentException.class, () -> hub.jobs().progress("1", 101, null));
        assertThrows(IllegalArgumentException.class, () -> hub.emitToRoom("bad room", "e", 1));
        assertThrows(IllegalStateException.class, () -> {
            hub.on("dup", JsonNode.class, (c, p) -> null);
            hub.on("dup", JsonNode.class, (c, p) -> null);
        });
    }

    private static void assertError(JsonNode err, String id, String code) {
        assertEquals(id, err.path("id").asText());
        assertEquals(code, err.path("code").asText(), err.toString());
        assertFalse(err.path("message").asText().isBlank());
    }

    private static List<String> fields(JsonNode n) {
        List<String> out = new ArrayList<>();
        n.fieldNames().forEachRemaining(out::add);
        return out;
    }
}

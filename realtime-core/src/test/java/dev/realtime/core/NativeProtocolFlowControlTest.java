package dev.realtime.core;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.realtime.core.testing.RecordingTransport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The native JSON protocol end to end, over an in-process transport: heartbeat closes, slow consumers
 * (conflation, the timeout on the hub's ticker, frame and byte bounds), close listeners, and builder checks.
 */
class NativeProtocolFlowControlTest extends NativeProtocolTestBase {
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
}

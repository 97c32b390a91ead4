package dev.realtime.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.realtime.core.testing.RecordingTransport;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The native JSON protocol end to end through the hub, over an in-process transport: subscriptions, delivery
 * and resume. Messages and errors are in {@link NativeProtocolMessagesTest}, heartbeats, slow consumers and close
 * in {@link NativeProtocolFlowControlTest}.
 */
class NativeProtocolTest extends NativeProtocolTestBase {
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

    private static List<String> fields(JsonNode n) {
        List<String> out = new ArrayList<>();
        n.fieldNames().forEachRemaining(out::add);
        return out;
    }
}

package dev.realtime.core;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.realtime.core.testing.RecordingTransport;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The native JSON protocol end to end, over an in-process transport: emits and acks, handler errors, bad input,
 * frame types and sizes, unsubscribe, application rooms and user emits.
 */
class NativeProtocolMessagesTest extends NativeProtocolTestBase {
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

    private static void assertError(JsonNode err, String id, String code) {
        assertEquals(id, err.path("id").asText());
        assertEquals(code, err.path("code").asText(), err.toString());
        assertFalse(err.path("message").asText().isBlank());
    }
}

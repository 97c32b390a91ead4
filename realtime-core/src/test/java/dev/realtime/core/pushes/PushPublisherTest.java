package dev.realtime.core.pushes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import dev.realtime.core.ConnectionHandle;
import dev.realtime.core.Protocol;
import dev.realtime.core.PublishResult;
import dev.realtime.core.RealtimeHub;
import dev.realtime.core.testing.RecordingTransport;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The pushes in their exact payload shapes, routed by user id, with offsets when user rooms keep history. */
@Timeout(30)
class PushPublisherTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-02T03:04:05.678Z"), ZoneOffset.UTC);
    private final RealtimeHub hub = RealtimeHub.builder().clock(CLOCK)
            .historyRooms(r -> r.startsWith("job:") || r.startsWith("user:")).build();
    private final PushPublisher pushes = new PushPublisher(hub);

    @AfterEach
    void close() {
        hub.close();
    }

    private RecordingTransport subscribed(String room) {
        RecordingTransport t = new RecordingTransport();
        ConnectionHandle h = hub.connect(t, Protocol.NATIVE);
        t.next("connection");
        h.onText("{\"type\":\"subscribe\",\"id\":\"1\",\"room\":\"" + room + "\"}");
        t.next("subscribed");
        return t;
    }

    private static List<String> fields(JsonNode n) {
        List<String> out = new ArrayList<>();
        n.fieldNames().forEachRemaining(out::add);
        return out;
    }

    @Test
    void notificationToOneUserHasItsShapeAndAnOffset() {
        RecordingTransport alice = subscribed("user:alice");
        RecordingTransport bob = subscribed("user:bob");
        PublishResult r = pushes.notifyUser("alice", new Notification("n-1", "Quiz ready", "Your quiz is ready",
                "success", Map.of("href", "/quiz/9")));
        assertEquals("user:alice", r.stream());
        assertEquals(1, r.offset());
        JsonNode e = alice.next("event");
        assertEquals("notification", e.path("event").asText());
        assertEquals("user:alice", e.path("room").asText());
        assertEquals(1, e.path("offset").asLong());
        JsonNode d = e.path("data");
        assertEquals(List.of("id", "userId", "title", "message", "level", "data", "timestamp"), fields(d));
        assertEquals("alice", d.path("userId").asText());
        assertEquals("/quiz/9", d.path("data").path("href").asText());
        assertEquals("2026-01-02T03:04:05.678Z", d.path("timestamp").asText());
        pushes.notifyUser("bob", Notification.info("n-2", "", "hello bob"));
        JsonNode b = bob.next("event").path("data");
        assertEquals(List.of("id", "userId", "title", "message", "level", "timestamp"), fields(b));
        assertEquals("n-2", b.path("id").asText(), "bob got only his own notification");
    }

    @Test
    void notificationToAllReachesEveryConnectionWithoutUserId() {
        RecordingTransport alice = subscribed("user:alice");
        RecordingTransport nobody = new RecordingTransport();
        hub.connect(nobody, Protocol.NATIVE);
        nobody.next("connection");
        assertEquals(2, pushes.notifyAll(new Notification("n-3", "Maintenance", "at 22:00", "warning", null)));
        for (RecordingTransport t : List.of(alice, nobody)) {
            JsonNode e = t.next("event");
            assertEquals("notification", e.path("event").asText());
            assertFalse(e.has("offset"), "live only");
            assertEquals(List.of("id", "title", "message", "level", "timestamp"), fields(e.path("data")));
        }
    }

    @Test
    void analyticsUpdateCarriesOnlyTheChangedFields() {
        RecordingTransport edu = subscribed("user:edu-1");
        Map<String, Object> updates = new LinkedHashMap<>();
        updates.put("totalAttempts", 41);
        updates.put("averageScore", 72.5);
        pushes.analytics("edu-1", updates);
        JsonNode d = edu.next("event").path("data");
        assertEquals(List.of("educatorId", "updates", "timestamp"), fields(d));
        assertEquals("edu-1", d.path("educatorId").asText());
        assertEquals(List.of("totalAttempts", "averageScore"), fields(d.path("updates")));
        assertThrows(IllegalArgumentException.class, () -> pushes.analytics("edu-1", Map.of()));
    }

    @Test
    void documentProcessingHasItsShape() {
        RecordingTransport u = subscribed("user:u1");
        pushes.documentProgress("u1", new DocumentProgress("doc-7", "processing", 40, "Extracting page 2 of 5",
                "notes.pdf"));
        pushes.documentProgress("u1", new DocumentProgress("doc-7", "completed", 100, null, null));
        JsonNode a = u.next("event");
        assertEquals("document_processing", a.path("event").asText());
        assertEquals(List.of("documentId", "userId", "status", "progress", "message", "filename", "timestamp"),
                fields(a.path("data")));
        JsonNode b = u.next("event");
        assertEquals(2, b.path("offset").asLong());
        assertEquals(List.of("documentId", "userId", "status", "progress", "timestamp"), fields(b.path("data")));
    }

    @Test
    void badInputIsRefusedBeforeAnythingIsPublished() {
        assertThrows(IllegalArgumentException.class, () -> pushes.notifyUser("bad id!", Notification.info("x", "", "")));
        assertThrows(IllegalArgumentException.class, () -> new Notification("x", "", "", "loud", null));
        assertThrows(IllegalArgumentException.class, () -> new DocumentProgress("d", "processing", 101, null, null));
        assertThrows(IllegalArgumentException.class, () -> new DocumentProgress("d", "exploded", 1, null, null));
        assertEquals(0, hub.history("user:bad id!".replace(" ", "").replace("!", ""), 0, 10).entries().size());
    }
}

package dev.realtime.jakarta.browser;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.realtime.core.pushes.DocumentProgress;
import dev.realtime.core.pushes.Notification;
import dev.realtime.core.pushes.PushPublisher;
import dev.realtime.core.quiz.FileStore;
import dev.realtime.core.quiz.LocalDirectoryFileStore;
import dev.realtime.core.quiz.OfflineQuestionGenerator;
import dev.realtime.core.quiz.QuizPipeline;
import dev.realtime.core.quiz.TestPdfs;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The browser client ({@code clients/realtime-browser}) in a real headless Chromium, loaded from the server's
 * {@code /realtime.js}: the five push types (quiz_status and question_replace from a real quiz run and a question
 * replacement, the others from {@link PushPublisher}), resume after the server drops the connection, the offline queue,
 * and the SSE fallback when WebSocket upgrades are refused, then the return to WebSocket. The page reports to
 * {@code /report}; the test publishes when the page says it is ready.
 */
@Timeout(120)
class ChromiumRealtimeClientTest {
    private final BrowserScenario browser = new BrowserScenario();
    private final List<String> notes = new CopyOnWriteArrayList<>();

    @BeforeEach
    void requireChromium() {
        BrowserScenario.requireChromium();
    }

    private NativeBrowserServer server() throws Exception {
        return new NativeBrowserServer(browser, hub -> hub.on("note", JsonNode.class, (client, n) -> {
            notes.add(n.path("text").asText());
            return Map.of("saved", n.path("text").asText(), "by", client.userId().orElse("?"));
        }));
    }

    private JsonNode next(String field) throws InterruptedException {
        for (;;) {
            JsonNode r = browser.nextReport();
            if (r.has(field)) {
                return r;
            }
        }
    }

    @Test
    void allFivePushTypesArriveInTheirShapes(@TempDir Path dir) throws Exception {
        FileStore files = FileStore.localDirectory(dir, LocalDirectoryFileStore.DEFAULT_MAX_BYTES);
        String file = files.save(TestPdfs.builder().textPages(2).build(), "curie.pdf");
        QuizPipeline[] pipeline = new QuizPipeline[1];
        try (NativeBrowserServer s = new NativeBrowserServer(browser, hub -> pipeline[0] = QuizPipeline.builder(hub)
                .generator(new OfflineQuestionGenerator()).fileStore(files).build().register());
             AutoCloseable page = browser.launch(s.page("five", "alice", "&file=" + file))) {
            JsonNode ready = next("ready");
            assertEquals("websocket", ready.path("transport").asText());
            assertTrue(ready.path("isConnected").asBoolean());
            String quizId = next("quizDone").path("quizId").asText();
            PushPublisher pushes = new PushPublisher(s.hub);
            pushes.documentProgress("alice", new DocumentProgress("d-7", "processing", 60, "Page 3 of 5", "notes.pdf"));
            pushes.analytics("alice", Map.of("totalAttempts", 41));
            pushes.analytics("alice", Map.of("averageScore", 72.5));
            pushes.notifyUser("alice", new Notification("n-1", "Quiz ready", "Your quiz is ready", "success", null));
            pushes.notifyUser("bob", Notification.info("n-2", "", "not for alice"));
            JsonNode r = next("got");
            List<String> statuses = new ArrayList<>();
            JsonNode got = r.path("got");
            got.forEach(g -> statuses.add(g.path("type").asText() + (g.path("type").asText().startsWith("qu")
                    ? ":" + g.path("data").path("status").asText() + ":" + g.path("data").path("progress").asInt() : "")));
            assertEquals(List.of("quiz_status:processing:0", "quiz_status:processing:50", "quiz_status:processing:99",
                    "quiz_status:completed:100", "question_replace:processing:0", "question_replace:processing:30",
                    "question_replace:processing:80", "question_replace:completed:100", "document_processing",
                    "analytics_update", "analytics_update", "notification"), statuses);
            assertEquals(quizId, got.get(0).path("data").path("quizId").asText());
            assertEquals(1, got.get(7).path("data").path("questionIndex").asInt());
            assertTrue(got.get(7).path("data").path("question").has("question"), "the new question");
            assertEquals("notes.pdf", got.get(8).path("data").path("filename").asText());
            assertEquals("alice", got.get(9).path("data").path("educatorId").asText());
            assertEquals("Your quiz is ready", got.get(11).path("data").path("message").asText());
            assertEquals("alice", got.get(11).path("data").path("userId").asText());
            assertEquals("user:alice", got.get(11).path("room").asText());
            assertEquals(41, r.path("analytics").path("totalAttempts").asInt(), "merged: " + r.path("analytics"));
            assertEquals(72.5, r.path("analytics").path("averageScore").asDouble());
            assertEquals(3, r.path("analytics").path("activeStudents").asInt());
        } finally {
            if (pipeline[0] != null) {
                pipeline[0].close();
            }
        }
    }

    @Test
    void resumeAfterTheServerDropsTheConnectionDeliversExactlyTheMissedEvents() throws Exception {
        try (NativeBrowserServer s = server(); AutoCloseable page = browser.launch(s.page("resume", "alice", ""))) {
            next("ready");
            PushPublisher pushes = new PushPublisher(s.hub);
            for (int i = 1; i <= 3; i++) {
                pushes.notifyUser("alice", Notification.info("n-" + i, "", "note " + i));
            }
            assertEquals("[1,2,3]", next("live").path("live").toString());
            assertEquals(1, s.server.closeConnections(1012, "restart"));
            JsonNode reconnecting = next("reconnecting");
            assertEquals(3, reconnecting.path("position").path("offset").asInt());
            for (int i = 4; i <= 8; i++) { // missed: the client is waiting for its backoff
                pushes.notifyUser("alice", Notification.info("n-" + i, "", "note " + i));
            }
            JsonNode end = next("offsets");
            assertEquals("[1,2,3,4,5,6,7,8]", end.path("offsets").toString(), "each event once, in order");
            assertEquals("[]", end.path("gaps").toString());
            assertEquals(8, end.path("position").path("offset").asInt());
            assertEquals("[\"connecting\",\"open:websocket\",\"reconnecting\",\"open:websocket\"]",
                    end.path("states").toString());
        }
    }

    @Test
    void offlineQueueIsFlushedOnReconnect() throws Exception {
        try (NativeBrowserServer s = server(); AutoCloseable page = browser.launch(s.page("queue", "alice", ""))) {
            next("ready");
            s.server.closeConnections(1012, "restart");
            JsonNode queued = next("queued");
            assertEquals(3, queued.path("queued").asInt());
            assertFalse(queued.path("isConnected").asBoolean());
            JsonNode acks = next("acks");
            assertEquals(List.of("q1", "q2", "q3"), notes, "flushed in order, once each");
            assertEquals("q1", acks.path("acks").get(0).path("saved").asText());
            assertEquals("alice", acks.path("acks").get(2).path("by").asText());
            assertEquals(0, acks.path("queued").asInt());
            assertEquals("open", acks.path("state").asText());
        }
    }

    @Test
    void fallsBackToSseWhenUpgradesAreRefusedLosingNothingAndReturnsToWebSocket() throws Exception {
        try (NativeBrowserServer s = server()) {
            s.server.refuseWebSocketUpgrades(true);
            try (AutoCloseable page = browser.launch(s.page("fallback", "alice", ""))) {
                assertEquals("sse", next("ready").path("transport").asText(), "subscribed over SSE");
                PushPublisher pushes = new PushPublisher(s.hub);
                for (int i = 1; i <= 3; i++) {
                    pushes.notifyUser("alice", Notification.info("n-" + i, "", "over SSE"));
                }
                await().until(() -> s.server.sseStreamCount() == 1);
                // the stream drops while upgrades are still refused: the client resumes over SSE with since=
                s.server.closeConnections(1012, "restart");
                awaitState("reconnecting", null);
                for (int i = 4; i <= 6; i++) {
                    pushes.notifyUser("alice", Notification.info("n-" + i, "", "missed"));
                }
                awaitState("open", "sse");
                s.server.refuseWebSocketUpgrades(false);
                awaitState("open", "websocket");
                await().until(() -> s.server.sseStreamCount() == 0 && s.server.connectionCount() == 1);
                for (int i = 7; i <= 9; i++) {
                    pushes.notifyUser("alice", Notification.info("n-" + i, "", "over WebSocket"));
                }
                JsonNode end = next("offsets");
                assertEquals("[1,2,3,4,5,6,7,8,9]", end.path("offsets").toString(), "no event lost, none twice");
                assertEquals("[\"sse\",\"sse\",\"websocket\"]", end.path("transports").toString());
            }
        }
    }

    private void awaitState(String state, String transport) throws InterruptedException {
        for (;;) {
            JsonNode r = next("state");
            if (r.path("state").asText().equals(state)
                    && (transport == null || r.path("transport").asText().equals(transport))) {
                return;
            }
        }
    }
}

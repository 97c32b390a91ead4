package dev.realtime.jakarta;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.realtime.core.RealtimeHub;
import dev.realtime.jakarta.server.RealtimeServer;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The endpoint over real connections with a raw client: errors, close codes, heartbeats, slow consumers. */
@Timeout(30)
class EndpointTest {
    private RealtimeHub hub;
    private RealtimeServer server;
    private URI wsUri;
    private final List<AutoCloseable> closeables = new ArrayList<>();

    private void start(RealtimeHub.Builder b) {
        hub = b.build();
        server = RealtimeServer.builder().hub(hub).host("127.0.0.1").port(0).build();
        closeables.add(hub);
        closeables.add(server);
        wsUri = URI.create("ws://127.0.0.1:" + server.start() + "/ws");
    }

    private RawClient raw() throws Exception {
        return raw(null);
    }

    private RawClient raw(CountDownLatch gate) throws Exception {
        RawClient c = RawClient.connect(wsUri, gate, Map.of());
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
    void badInputsGetTheirErrorAndTheConnectionSurvives() throws Exception {
        start(RealtimeHub.builder());
        RawClient c = raw();
        assertEquals("connection", c.next().path("type").asText());

        c.send("{not json");
        assertError(c.next("error"), null, "bad_request");
        c.send("{\"type\":\"dance\",\"id\":\"1\"}");
        assertError(c.next("error"), "1", "bad_request");
        c.send("{\"type\":\"subscribe\",\"id\":\"2\"}");
        assertError(c.next("error"), "2", "bad_request");
        c.send("{\"type\":\"subscribe\",\"id\":\"3\",\"room\":\"job:<script>\"}");
        assertError(c.next("error"), "3", "bad_request");
        c.send("{\"type\":\"emit\",\"id\":\"4\",\"event\":\"nobody-listens\",\"data\":{}}");
        assertError(c.next("error"), "4", "unknown_event");

        c.send("{\"type\":\"subscribe\",\"id\":\"5\",\"room\":\"job:ok\"}");
        JsonNode sub = c.next("subscribed");
        assertEquals("5", sub.path("id").asText());
        c.send("{\"type\":\"unsubscribe\",\"id\":\"6\",\"room\":\"job:ok\"}");
        assertEquals("6", c.next("unsubscribed").path("id").asText());
        assertTrue(hub.stats().protocolErrors() >= 5);
    }

    private static void assertError(JsonNode frame, String id, String code) {
        assertEquals(code, frame.path("code").asText(), frame.toString());
        if (id != null) {
            assertEquals(id, frame.path("id").asText(), frame.toString());
        }
        assertTrue(frame.path("message").asText().length() > 0);
    }

    @Test
    void binaryFrameClosesWith1003() throws Exception {
        start(RealtimeHub.builder());
        RawClient c = raw();
        c.next("connection");
        c.sendBinary(new byte[] {1, 2, 3});
        assertEquals(1003, c.closeCode());
    }

    // oversized frames (1009) are covered by BadInputSuiteTest with the JDK client; Tyrus's own client reports a
    // racy 1002 when the server closes while it is still writing a 1 MB frame

    @Test
    void silentClientIsClosedByTheHeartbeat() throws Exception {
        start(RealtimeHub.builder().heartbeat(Duration.ofMillis(100), Duration.ofMillis(200)));
        RawClient c = raw();
        JsonNode hello = c.next("connection");
        assertEquals(100, hello.path("heartbeatMs").asInt());
        c.next("ping"); // never answered
        assertEquals(1001, c.closeCode());
        assertEquals(1, hub.stats().heartbeatCloses());
    }

    @Test
    void clientThatAnswersPingsStaysConnected() throws Exception {
        start(RealtimeHub.builder().heartbeat(Duration.ofMillis(100), Duration.ofMillis(200)));
        RawClient c = raw();
        c.next("connection");
        for (int i = 0; i < 8; i++) { // ~800 ms, well past interval + timeout
            c.next("ping");
            c.send("{\"type\":\"pong\"}");
        }
        assertTrue(!c.closed.isDone());
        assertEquals(0, hub.stats().heartbeatCloses());
    }

    @Test
    void slowClientSeesConflatedProgressButEveryCompletion() throws Exception {
        start(RealtimeHub.builder().sendQueueCapacity(64));
        CountDownLatch gate = new CountDownLatch(1);
        RawClient c = raw(gate);
        c.send("{\"type\":\"subscribe\",\"id\":\"1\",\"room\":\"job:slow\"}");
        c.awaitBlocked(); // its handler now sits on the first frame; the socket fills up behind it
        // wait until the subscription is live on the server
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> hub.roomSize("job:slow") == 1);

        int published = 2000;
        String padding = "x".repeat(8 * 1024); // big frames fill the socket buffers quickly
        for (int i = 0; i < published; i++) {
            hub.jobs().progress("slow", i * 100 / (published - 1), "step " + i + " " + padding);
        }
        hub.jobs().completed("slow", Map.of("pages", 12));
        hub.jobs().failed("other-job-not-subscribed", "ignored");
        gate.countDown();

        int progress = 0;
        JsonNode last = null;
        while (true) {
            JsonNode f = c.next("event");
            if (f.path("event").asText().equals("job:progress")) {
                progress++;
                last = f;
            } else if (f.path("event").asText().equals("job:completed")) {
                assertEquals(12, f.path("data").path("result").path("pages").asInt());
                break;
            }
        }
        assertTrue(progress < published, "expected conflation, got all " + progress);
        assertEquals(100, last.path("data").path("progress").asInt());
        assertTrue(last.path("data").path("message").asText().startsWith("step " + (published - 1) + " "));
        assertTrue(hub.stats().conflated() > 0);
        assertEquals(0, hub.stats().slowConsumerCloses());
    }
}

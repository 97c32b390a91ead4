package dev.realtime.jakarta.sse;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.realtime.core.RealtimeHub;
import dev.realtime.core.pushes.Notification;
import dev.realtime.core.pushes.PushPublisher;
import dev.realtime.core.security.JwtAuthenticator;
import dev.realtime.core.security.Jwts;
import dev.realtime.jakarta.server.RealtimeServer;
import dev.realtime.jakarta.server.ServerLimits;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The SSE fallback on a real server: stream, ids, Last-Event-ID resume, the POST channel, limits and bad input. */
@Timeout(60)
class SseEndpointTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private final List<String> notes = new CopyOnWriteArrayList<>();
    private RealtimeHub hub;
    private RealtimeServer server;
    private PushPublisher pushes;
    private String base;

    @BeforeEach
    void start() {
        hub = RealtimeHub.builder().authenticator(JwtAuthenticator.builder().hmacSecret(Jwts.SECRET).build())
                .historyRooms(r -> r.startsWith("job:") || r.startsWith("user:")).build();
        hub.on("note", JsonNode.class, (client, n) -> {
            notes.add(n.path("text").asText());
            return Map.of("saved", n.path("text").asText());
        });
        pushes = new PushPublisher(hub);
        server = RealtimeServer.builder().hub(hub).port(0).host("127.0.0.1")
                .limits(ServerLimits.defaults().withSse(new ServerLimits.Sse(3, 2, 5, Duration.ofMillis(300),
                        Duration.ofMillis(500), 2))).build();
        base = "http://127.0.0.1:" + server.start();
    }

    @AfterEach
    void stop() {
        server.close();
        hub.close();
    }

    private static String token(String user) {
        return Jwts.user(user, Instant.now());
    }

    private SseReader open(String query, Map<String, String> headers) throws Exception {
        return SseReader.open(http, base + "/sse?" + query, headers);
    }

    private HttpResponse<String> get(String query, Map<String, String> headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + "/sse?" + query))
                .timeout(Duration.ofSeconds(10));
        headers.forEach(b::header);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String key, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + "/sse/" + key))
                .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void streamCarriesEventsWithPositionIdsAndResumesFromLastEventId() throws Exception {
        String lastId;
        try (SseReader s = open("rooms=user:alice&token=" + token("alice"), Map.of())) {
            assertEquals(200, s.response.statusCode());
            assertTrue(s.response.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
            assertEquals("no-store", s.response.headers().firstValue("Cache-Control").orElse(""));
            assertFalse(s.next("sse").data().path("stream").asText().isEmpty());
            assertEquals(30000, s.next("connection").data().path("heartbeatMs").asInt());
            SseReader.Message sub = s.next("subscribed");
            assertEquals("user:alice", sub.data().path("room").asText());
            String epochNone = sub.data().path("epoch").asText();
            assertEquals("user:alice|0|" + epochNone, sub.id());
            for (int i = 1; i <= 3; i++) {
                pushes.notifyUser("alice", Notification.info("n-" + i, "", "note " + i));
            }
            SseReader.Message e = null;
            for (int i = 1; i <= 3; i++) {
                e = s.next("event");
                assertEquals(i, e.data().path("offset").asInt());
                assertEquals("notification", e.data().path("event").asText());
            }
            lastId = e.id();
            assertEquals("user:alice|3|" + e.data().path("epoch").asText(), lastId);
            assertEquals("hb", s.next(":").comment(), "an idle stream gets heartbeat comments");
        }
        await().until(() -> server.sseStreamCount() == 0);
        for (int i = 4; i <= 6; i++) {
            pushes.notifyUser("alice", Notification.info("n-" + i, "", "note " + i));
        }
        // what the browser sends when it reconnects: Last-Event-ID = the last id it saw
        try (SseReader s = open("rooms=user:alice&token=" + token("alice"), Map.of("Last-Event-ID", lastId))) {
            assertTrue(s.next("subscribed").data().path("recovered").asBoolean());
            List<Integer> got = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                got.add(s.next("event").data().path("offset").asInt());
            }
            assertEquals(List.of(4, 5, 6), got, "exactly the missed events");
        }
    }

    @Test
    void postChannelCarriesEmitsAndPongsWhoseAcksArriveOnTheStream() throws Exception {
        try (SseReader s = open("token=" + token("bob"), Map.of())) {
            String key = s.next("sse").data().path("stream").asText();
            s.next("connection");
            HttpResponse<String> r = post(key, "[{\"type\":\"pong\"},{\"type\":\"emit\",\"id\":\"7\",\"event\":\"note\","
                    + "\"data\":{\"text\":\"hello\"}}]");
            assertEquals(202, r.statusCode(), r.body());
            assertEquals(2, JSON.readTree(r.body()).path("accepted").asInt());
            JsonNode ack = s.next("ack").data();
            assertEquals("7", ack.path("id").asText());
            assertEquals("hello", ack.path("data").path("saved").asText());
            assertEquals(List.of("hello"), notes);
            assertEquals(202, post(key, "{\"type\":\"subscribe\",\"id\":\"8\",\"room\":\"user:bob\"}").statusCode());
            assertEquals("user:bob", s.next("subscribed").data().path("room").asText());
            assertEquals(400, post(key, "nope").statusCode());
            HttpResponse<String> many = post(key, "[{\"type\":\"pong\"},{\"type\":\"pong\"},{\"type\":\"pong\"}]");
            assertEquals(413, many.statusCode());
            assertEquals("too_large", JSON.readTree(many.body()).path("error").path("code").asText());
        }
        HttpResponse<String> unknown = post("no-such-stream", "{\"type\":\"pong\"}");
        assertEquals(404, unknown.statusCode());
        assertEquals("not_found", JSON.readTree(unknown.body()).path("error").path("code").asText());
    }

    @Test
    void badInputGetsAClearErrorWithACode() throws Exception {
        String alice = token("alice");
        assertError(get("rooms=user:alice&token=" + alice, Map.of("Last-Event-ID", "user:alice|x|e1")), 400,
                "bad_request", "Last-Event-ID");
        assertError(get("rooms=user:alice&token=" + alice, Map.of("Last-Event-ID", "garbage")), 400, "bad_request",
                "room|offset|epoch");
        assertError(get("rooms=user:alice&token=" + alice + "&since=user:alice%7C-1%7Ce1", Map.of()), 400, "bad_request",
                "negative");
        assertError(get("rooms=bad%20room&token=" + alice, Map.of()), 400, "bad_request", "invalid room");
        assertError(get("rooms=a,b,c,d,e,f&token=" + alice, Map.of()), 400, "bad_request", "at most 5 rooms");
        String forged = alice.substring(0, alice.lastIndexOf('.') + 1) + "AAAA";
        assertError(get("rooms=user:alice&token=" + forged, Map.of()), 401, "unauthorized", "");
        assertError(get("rooms=user:alice", Map.of()), 401, "unauthorized", "");
    }

    @Test
    void streamCountsAreBoundedPerAddressAndPerServer() throws Exception {
        String t = token("carol");
        try (SseReader a = open("token=" + t, Map.of()); SseReader b = open("token=" + t, Map.of())) {
            a.next("connection");
            b.next("connection");
            assertError(get("token=" + t, Map.of()), 429, "rate_limited", "from this address");
        }
        await().until(() -> server.sseStreamCount() == 0);
        try (SseReader c = open("token=" + t, Map.of())) {
            assertEquals(200, c.response.statusCode(), "released on close");
            c.next("connection");
        }
    }

    @Test
    void serverCloseEndsTheStreamWithACloseMessage() throws Exception {
        try (SseReader s = open("token=" + token("dave"), Map.of())) {
            s.next("connection");
            assertEquals(1, server.sseStreamCount());
            server.closeConnections(1012, "restart");
            JsonNode close = s.next("close").data();
            assertEquals(1012, close.path("code").asInt());
            s.next("EOF");
        }
        await().until(() -> server.sseStreamCount() == 0);
    }

    @Test
    void corsForTheAllowListOnTheStreamAndItsPosts() throws Exception {
        RealtimeHub secured = RealtimeHub.builder().allowedOrigins(List.of("http://app.test")).build();
        try (RealtimeServer other = RealtimeServer.builder().hub(secured).port(0).host("127.0.0.1").build()) {
            String url = "http://127.0.0.1:" + other.start() + "/sse";
            try (SseReader s = SseReader.open(http, url, Map.of("Origin", "http://app.test"))) {
                assertEquals("http://app.test", s.response.headers().firstValue("Access-Control-Allow-Origin")
                        .orElse(""));
                String key = s.next("sse").data().path("stream").asText();
                s.next("connection");
                HttpResponse<String> mine = http.send(HttpRequest.newBuilder(URI.create(url + "/" + key))
                        .header("Origin", "http://app.test").POST(HttpRequest.BodyPublishers.ofString(
                                "{\"type\":\"pong\"}")).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(202, mine.statusCode());
                assertEquals("true", mine.headers().firstValue("Access-Control-Allow-Credentials").orElse(""));
                HttpResponse<String> foreign = http.send(HttpRequest.newBuilder(URI.create(url + "/" + key))
                        .header("Origin", "http://evil.test").POST(HttpRequest.BodyPublishers.ofString(
                                "{\"type\":\"pong\"}")).build(), HttpResponse.BodyHandlers.ofString());
                assertTrue(foreign.headers().firstValue("Access-Control-Allow-Origin").isEmpty());
            }
            HttpResponse<String> refused = http.send(HttpRequest.newBuilder(URI.create(url))
                    .header("Origin", "http://evil.test").build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(403, refused.statusCode(), refused.body());
        } finally {
            secured.close();
        }
    }

    private static void assertError(HttpResponse<String> r, int status, String code, String text) throws Exception {
        assertEquals(status, r.statusCode(), r.body());
        JsonNode err = JSON.readTree(r.body()).path("error");
        assertEquals(code, err.path("code").asText(), r.body());
        assertTrue(err.path("message").asText().contains(text), r.body());
    }
}

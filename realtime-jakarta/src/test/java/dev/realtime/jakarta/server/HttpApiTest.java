package dev.realtime.jakarta.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.realtime.core.RealtimeHub;
import dev.realtime.core.StoreException;
import dev.realtime.core.history.HistoryEntry;
import dev.realtime.core.history.HistoryPage;
import dev.realtime.core.history.HistoryStore;
import dev.realtime.core.history.StreamPosition;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The HTTP API of a real server, through java.net.http. */
@Timeout(20)
class HttpApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private RealtimeServer server;
    private String base;

    @BeforeEach
    void start() {
        server = RealtimeServer.builder().port(0).host("127.0.0.1").apiKey("s3cret")
                .route("GET", "/hello", req -> HttpRoute.Response.json(200, "{\"hello\":\""
                        + req.queryParam("name").orElse("?") + "\"}"))
                .build();
        base = "http://127.0.0.1:" + server.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path, String header, String value) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).header(header, value).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> history(String path) throws Exception {
        return get(path, "X-Api-Key", "s3cret");
    }

    private HttpResponse<String> post(String path, String key, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            b.header("X-Api-Key", key);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body());
    }

    private static void assertError(HttpResponse<String> r, int status, String code) throws Exception {
        assertEquals(status, r.statusCode(), r.body());
        assertEquals(code, json(r).path("error").path("code").asText(), r.body());
        assertFalse(json(r).path("error").path("message").asText().isEmpty());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
    }

    @Test
    void health() throws Exception {
        HttpResponse<String> anonymous = get("/health");
        assertEquals(200, anonymous.statusCode());
        assertEquals("ok", json(anonymous).path("status").asText());
        assertFalse(json(anonymous).has("connections"), "counters need the API key: " + anonymous.body());
        HttpResponse<String> r = get("/health", "X-Api-Key", "s3cret");
        assertEquals(200, r.statusCode());
        assertEquals("ok", json(r).path("status").asText());
        assertEquals(0, json(r).path("connections").asInt());
        assertTrue(json(r).has("rooms"));
        assertTrue(server.ownsHub());
    }

    @Test
    void publishNeedsTheKey() throws Exception {
        String body = "{\"type\":\"progress\",\"progress\":40,\"message\":\"Analyzing\",\"userId\":\"u1\"}";
        assertError(post("/api/jobs/42/events", null, body), 401, "unauthorized");
        assertError(post("/api/jobs/42/events", "wrong", body), 401, "unauthorized");
        assertError(post("/api/jobs/42/events", "s3cret-and-more", body), 401, "unauthorized");

        HttpResponse<String> ok = post("/api/jobs/42/events", "s3cret", body);
        assertEquals(201, ok.statusCode(), ok.body());
        assertEquals(1, json(ok).path("offset").asLong());
        assertEquals("job:42", json(ok).path("stream").asText());
        assertFalse(json(ok).path("epoch").asText().isEmpty());
        assertEquals("u1", server.hub().jobs().ownerOf("42").orElseThrow());

        assertEquals(2, json(post("/api/jobs/42/events", "s3cret",
                "{\"type\":\"update\",\"status\":\"parsing\",\"data\":{\"page\":3}}")).path("offset").asLong());
        assertEquals(3, json(post("/api/jobs/42/events", "s3cret",
                "{\"type\":\"completed\",\"result\":{\"questions\":10}}")).path("offset").asLong());
        assertEquals(4, json(post("/api/jobs/42/events", "s3cret",
                "{\"type\":\"error\",\"error\":\"boom\"}")).path("offset").asLong());
    }

    @Test
    void badBodiesAre400Or413() throws Exception {
        assertError(post("/api/jobs/42/events", "s3cret", "{nope"), 400, "bad_request");
        assertError(post("/api/jobs/42/events", "s3cret", "[1,2]"), 400, "bad_request");
        assertError(post("/api/jobs/42/events", "s3cret", ""), 400, "bad_request");
        assertError(post("/api/jobs/42/events", "s3cret", "{\"type\":\"dance\"}"), 400, "bad_request");
        assertError(post("/api/jobs/42/events", "s3cret", "{\"progress\":4}"), 400, "bad_request");
        assertError(post("/api/jobs/42/events", "s3cret", "{\"type\":\"progress\",\"progress\":101}"), 400,
                "bad_request");
        assertError(post("/api/jobs/42/events", "s3cret", "{\"type\":\"progress\",\"progress\":-1}"), 400,
                "bad_request");
        assertError(post("/api/jobs/42/events", "s3cret", "{\"type\":\"progress\",\"progress\":\"40\"}"), 400,
                "bad_request");
        assertError(post("/api/jobs/42/events", "s3cret", "{\"type\":\"update\"}"), 400, "bad_request");
        assertError(post("/api/jobs/42/events", "s3cret", "{\"type\":\"error\"}"), 400, "bad_request");
        assertError(post("/api/jobs/bad%20id/events", "s3cret", "{\"type\":\"completed\"}"), 400, "bad_request");
        String huge = "{\"type\":\"completed\",\"result\":\"" + "a".repeat(1_100_000) + "\"}";
        assertError(post("/api/jobs/42/events", "s3cret", huge), 413, "too_large");
        assertEquals(0, server.hub().stats().published());
    }

    @Test
    void historyNeedsTheKeyOrTheOwnersToken() throws Exception {
        assertError(get("/api/jobs/h9/history"), 401, "unauthorized");
        assertError(get("/api/jobs/h9/history", "X-Api-Key", "wrong"), 401, "unauthorized");
        server.close();
        RealtimeHub secured = RealtimeHub.builder().authenticator(dev.realtime.core.security.JwtAuthenticator
                .builder().hmacSecret(dev.realtime.core.security.Jwts.SECRET).build()).build();
        try {
            server = RealtimeServer.builder().hub(secured).port(0).host("127.0.0.1").build();
            base = "http://127.0.0.1:" + server.start();
            secured.jobs().job("owned", "alice").progress(5, null);
            java.time.Instant now = java.time.Instant.now();
            assertEquals(200, get("/api/jobs/owned/history", "Authorization", "Bearer "
                    + dev.realtime.core.security.Jwts.user("alice", now)).statusCode());
            assertError(get("/api/jobs/owned/history", "Authorization", "Bearer "
                    + dev.realtime.core.security.Jwts.user("mallory", now)), 403, "forbidden");
            assertEquals(200, get("/api/jobs/owned/history", "Authorization", "Bearer "
                    + dev.realtime.core.security.Jwts.user("root", now, "admin")).statusCode());
            assertError(get("/api/jobs/owned/history", "Authorization", "Bearer forged"), 401, "unauthorized");
            assertError(get("/api/jobs/owned/history"), 401, "unauthorized");
        } finally {
            server.close();
            secured.close();
        }
    }

    @Test
    void historyPages() throws Exception {
        for (int i = 0; i < 5; i++) {
            server.hub().jobs().progress("h1", i * 10, "step " + i);
        }
        JsonNode all = json(history("/api/jobs/h1/history"));
        assertEquals("h1", all.path("jobId").asText());
        assertEquals(5, all.path("offset").asLong());
        assertTrue(all.path("complete").asBoolean());
        assertEquals(5, all.path("events").size());
        JsonNode first = all.path("events").get(0);
        assertEquals(1, first.path("offset").asLong());
        assertEquals("job:progress", first.path("event").asText());
        assertEquals(0, first.path("data").path("progress").asInt());
        assertEquals(all.path("epoch").asText(), first.path("epoch").asText());
        Instant.parse(first.path("timestamp").asText());

        JsonNode page = json(history("/api/jobs/h1/history?after=2&limit=2"));
        assertEquals(2, page.path("events").size());
        assertEquals(3, page.path("events").get(0).path("offset").asLong());
        assertEquals(4, page.path("events").get(1).path("offset").asLong());
        assertEquals(0, json(history("/api/jobs/h1/history?after=5")).path("events").size());
        assertEquals(0, json(history("/api/jobs/never/history")).path("events").size());

        assertError(history("/api/jobs/h1/history?limit=0"), 400, "bad_request");
        assertError(history("/api/jobs/h1/history?limit=1001"), 400, "bad_request");
        assertError(history("/api/jobs/h1/history?after=-1"), 400, "bad_request");
        assertError(history("/api/jobs/h1/history?after=x"), 400, "bad_request");
    }

    @Test
    void routingErrorsAndExtraRoutes() throws Exception {
        assertError(get("/nope"), 404, "not_found");
        assertError(get("/api/jobs/42/other"), 404, "not_found");
        assertError(get("/api/jobs/42/events"), 405, "bad_request");
        HttpResponse<String> polling = get("/socket.io/?EIO=4&transport=polling");
        assertEquals(200, polling.statusCode(), "Engine.IO long-polling is served on the Socket.IO path");
        assertTrue(polling.body().startsWith("0{\"sid\":"), polling.body());
        assertEquals("{\"code\":0,\"message\":\"Transport unknown\"}",
                get("/socket.io/?EIO=4&transport=carrier").body());
        assertError(get("/ws"), 426, "bad_request");
        HttpResponse<String> hello = get("/hello?name=Ada");
        assertEquals(200, hello.statusCode());
        assertEquals("Ada", json(hello).path("hello").asText());
        assertThrows(IllegalArgumentException.class,
                () -> RealtimeServer.builder().route("GET", "/health", r -> null));
    }

    @Test
    void openServerPublishesWithoutKeyAndStoreFailuresAre503() throws Exception {
        try (RealtimeHub hub = RealtimeHub.builder().historyStore(new BrokenStore()).build();
             RealtimeServer open = RealtimeServer.builder().hub(hub).port(0).host("127.0.0.1").build()) {
            String url = "http://127.0.0.1:" + open.start();
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url + "/api/jobs/1/events"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"completed\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertError(r, 503, "unavailable");
            HttpResponse<String> h = http.send(HttpRequest.newBuilder(URI.create(url + "/api/jobs/1/history"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertError(h, 503, "unavailable");
            assertFalse(open.ownsHub());
        }
    }

    /** A history store whose backend is down. */
    private static final class BrokenStore implements HistoryStore {
        @Override
        public HistoryEntry append(String stream, String event, String data, Instant timestamp) {
            throw new StoreException("backend down");
        }

        @Override
        public HistoryPage read(String stream, long after, int limit) {
            throw new StoreException("backend down");
        }

        @Override
        public StreamPosition position(String stream) {
            throw new StoreException("backend down");
        }
    }
}

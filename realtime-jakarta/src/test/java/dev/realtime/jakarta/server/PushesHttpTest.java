package dev.realtime.jakarta.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.realtime.core.ConnectionHandle;
import dev.realtime.core.Protocol;
import dev.realtime.core.RealtimeHub;
import dev.realtime.core.testing.RecordingTransport;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code POST /api/pushes} on a real server: each push type reaches the user room in its shape; bad input 400. */
@Timeout(20)
class PushesHttpTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private RealtimeHub hub;
    private RealtimeServer server;
    private String base;

    @BeforeEach
    void start() {
        hub = RealtimeHub.builder().historyRooms(r -> r.startsWith("job:") || r.startsWith("user:")).build();
        server = RealtimeServer.builder().hub(hub).port(0).host("127.0.0.1").apiKey("s3cret").build();
        base = "http://127.0.0.1:" + server.start();
    }

    @AfterEach
    void stop() {
        server.close();
        hub.close();
    }

    private HttpResponse<String> post(String key, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + "/api/pushes"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            b.header("X-Api-Key", key);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private RecordingTransport subscribed(String room) {
        RecordingTransport t = new RecordingTransport();
        ConnectionHandle h = hub.connect(t, Protocol.NATIVE);
        t.next("connection");
        h.onText("{\"type\":\"subscribe\",\"id\":\"1\",\"room\":\"" + room + "\"}");
        t.next("subscribed");
        return t;
    }

    @Test
    void everyPushTypeIsPublishedToTheUserRoom() throws Exception {
        RecordingTransport u1 = subscribed("user:u1");
        HttpResponse<String> r = post("s3cret", "{\"type\":\"notification\",\"userId\":\"u1\",\"id\":\"n-1\","
                + "\"title\":\"Quiz ready\",\"message\":\"Your quiz is ready\",\"level\":\"success\"}");
        assertEquals(201, r.statusCode(), r.body());
        assertEquals("user:u1", JSON.readTree(r.body()).path("stream").asText());
        assertEquals(1, JSON.readTree(r.body()).path("offset").asLong());
        JsonNode n = u1.next("event");
        assertEquals("notification", n.path("event").asText());
        assertEquals("Your quiz is ready", n.path("data").path("message").asText());
        assertEquals("u1", n.path("data").path("userId").asText());

        assertEquals(201, post("s3cret", "{\"type\":\"document_processing\",\"userId\":\"u1\",\"documentId\":\"d-7\","
                + "\"status\":\"processing\",\"progress\":40,\"filename\":\"notes.pdf\"}").statusCode());
        JsonNode d = u1.next("event");
        assertEquals("document_processing", d.path("event").asText());
        assertEquals(40, d.path("data").path("progress").asInt());
        assertEquals("notes.pdf", d.path("data").path("filename").asText());

        RecordingTransport edu = subscribed("user:e1");
        assertEquals(201, post("s3cret", "{\"type\":\"analytics_update\",\"educatorId\":\"e1\","
                + "\"updates\":{\"averageScore\":72.5}}").statusCode());
        JsonNode a = edu.next("event");
        assertEquals("analytics_update", a.path("event").asText());
        assertEquals(72.5, a.path("data").path("updates").path("averageScore").asDouble());

        HttpResponse<String> all = post("s3cret", "{\"type\":\"notification\",\"id\":\"n-2\",\"message\":\"hi all\"}");
        assertEquals(201, all.statusCode(), all.body());
        assertEquals(2, JSON.readTree(all.body()).path("delivered").asInt());
        JsonNode b = edu.next("event");
        assertFalse(b.path("data").has("userId"));
        assertEquals("info", b.path("data").path("level").asText());
    }

    @Test
    void badRequestsGetACode() throws Exception {
        assertError(post(null, "{\"type\":\"notification\",\"id\":\"n\",\"message\":\"m\"}"), 401, "unauthorized");
        assertError(post("wrong", "{\"type\":\"notification\",\"id\":\"n\",\"message\":\"m\"}"), 401, "unauthorized");
        assertError(post("s3cret", "{\"type\":\"shout\"}"), 400, "bad_request");
        assertError(post("s3cret", "{\"type\":\"notification\",\"id\":\"n\",\"message\":\"m\",\"level\":\"loud\"}"),
                400, "bad_request");
        assertError(post("s3cret", "{\"type\":\"analytics_update\",\"educatorId\":\"e1\",\"updates\":{}}"), 400,
                "bad_request");
        assertError(post("s3cret", "{\"type\":\"document_processing\",\"userId\":\"u1\",\"documentId\":\"d\","
                + "\"status\":\"processing\",\"progress\":\"x\"}"), 400, "bad_request");
        assertError(post("s3cret", "{\"type\":\"notification\",\"userId\":\"no spaces\",\"id\":\"n\",\"message\":\"m\"}"),
                400, "bad_request");
        assertError(post("s3cret", "not json"), 400, "bad_request");
    }

    private static void assertError(HttpResponse<String> r, int status, String code) throws Exception {
        assertEquals(status, r.statusCode(), r.body());
        assertEquals(code, JSON.readTree(r.body()).path("error").path("code").asText(), r.body());
    }
}

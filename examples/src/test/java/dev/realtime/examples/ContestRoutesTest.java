package dev.realtime.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.realtime.jakarta.server.ServerOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The example server's contest REST API and its live demo contest: listed at once, joinable from the default
 * namespace by a newcomer (npm socket.io-client); bad input answered 400 with a code; the question bank.
 */
@Timeout(60)
class ContestRoutesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private ExampleServer server;
    private String base;

    @BeforeEach
    void setUp() {
        server = new ExampleServer(ServerOptions.parse(new String[] {"--port", "0", "--host", "127.0.0.1"},
                Map.of()), Map.of());
        base = "http://127.0.0.1:" + server.start();
    }

    @AfterEach
    void tearDown() {
        server.close();
    }

    private HttpResponse<String> send(String method, String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).method(method, body == null
                ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String code(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body()).path("error").path("code").asText();
    }

    @Test
    void theDemoContestIsListedAndANewcomerJoinsAndScores() throws Exception {
        JsonNode list = JSON.readTree(send("GET", "/api/contest", null).body());
        JsonNode demo = list.path("contests").get(0);
        assertEquals("demo", demo.path("id").asText());
        assertEquals("live", demo.path("state").asText());
        JsonNode details = JSON.readTree(send("GET", "/api/contest/demo", null).body());
        assertTrue(details.path("questions").size() >= 3, details.toString());
        assertFalse(details.toString().contains("correctAnswerIndex"));
        String q1 = details.path("questions").get(0).path("id").asText();
        try (SocketIoUsers users = new SocketIoUsers(base)) {
            users.connect("newcomer");
            JsonNode joined = users.call("newcomer", "contest:join", Map.of("contestId", "demo", "userId", "neo"));
            assertTrue(joined.path("registered").asBoolean(), joined.toString());
            assertEquals(1, joined.path("you").path("rank").asInt());
            JsonNode r = users.call("newcomer", "contest:submit_answer", Map.of("contestId", "demo",
                    "questionId", q1, "answer", 0, "timeSpent", 4, "userId", "neo"));
            assertEquals("ok", r.path("status").asText(), r.toString());
            assertEquals(1, r.path("rank").asInt());
            users.end();
        }
    }

    @Test
    void badInputIsRefusedWithACode() throws Exception {
        HttpResponse<String> r = send("POST", "/api/contest", "{\"title\":\"no questions\"}");
        assertEquals(400, r.statusCode());
        assertEquals("bad_request", code(r));
        r = send("POST", "/api/contest", "[1,2]");
        assertEquals(400, r.statusCode());
        r = send("POST", "/api/contest", "{\"questions\":[{\"question\":\"?\",\"options\":[\"a\"],"
                + "\"correctAnswerIndex\":0}]}");
        assertEquals(400, r.statusCode(), r.body());
        r = send("POST", "/api/contest", "{\"startsAt\":\"tomorrow\",\"questions\":[]}");
        assertEquals("bad_request", code(r));
        r = send("GET", "/api/contest/missing", null);
        assertEquals(404, r.statusCode());
        assertEquals("contest_not_found", code(r));
        r = send("POST", "/api/contest/demo/register", "{\"userId\":\"has space\"}");
        assertEquals(400, r.statusCode());
        r = send("POST", "/api/contest/demo/register", "{\"userId\":\"ann\"}");
        assertEquals(201, r.statusCode(), r.body());
        r = send("DELETE", "/api/contest/demo/register?userId=ann", null);
        assertEquals(200, r.statusCode(), r.body());
        assertFalse(JSON.readTree(r.body()).path("registered").asBoolean());
        r = send("POST", "/api/contest", "{\"id\":\"made\",\"durationMinutes\":5,\"questions\":[{\"question\":\"?\","
                + "\"options\":[\"a\",\"b\"],\"correctAnswerIndex\":1}]}");
        assertEquals(201, r.statusCode(), r.body());
        assertEquals("bad_request", code(send("POST", "/api/contest", "{\"id\":\"made\",\"questions\":[{"
                + "\"question\":\"?\",\"options\":[\"a\",\"b\"],\"correctAnswerIndex\":1}]}")));
    }

    @Test
    void questionsAreGeneratedStoredVerifiedAndDeleted() throws Exception {
        HttpResponse<String> r = send("POST", "/api/questions", "{\"examType\":\"SAT\",\"subject\":\"Astronomy\","
                + "\"count\":2,\"text\":\"Jupiter is the largest planet in the Solar System. Mars is called the Red "
                + "Planet. Venus is the hottest planet. Mercury is the closest planet to the Sun.\"}");
        assertEquals(201, r.statusCode(), r.body());
        JsonNode saved = JSON.readTree(r.body()).path("questions");
        assertTrue(saved.size() >= 1);
        String id = saved.get(0).path("id").asText();
        assertFalse(saved.get(0).path("verified").asBoolean());
        r = send("PUT", "/api/questions?id=" + id, "{\"verified\":true}");
        assertEquals(200, r.statusCode(), r.body());
        JsonNode verified = JSON.readTree(send("GET", "/api/questions?verified=true&subject=astronomy", null).body());
        assertEquals(1, verified.path("questions").size(), verified.toString());
        assertEquals("unknown_question", code(send("PUT", "/api/questions?id=nope", "{\"verified\":true}")));
        assertEquals("bad_request", code(send("PUT", "/api/questions?id=" + id, "{\"correctAnswerIndex\":9}")));
        assertEquals(400, send("POST", "/api/questions", "{\"subject\":\"x\",\"count\":99}").statusCode());
        assertEquals(200, send("DELETE", "/api/questions?id=" + id, null).statusCode());
        assertEquals(404, send("DELETE", "/api/questions?id=" + id, null).statusCode());
    }
}

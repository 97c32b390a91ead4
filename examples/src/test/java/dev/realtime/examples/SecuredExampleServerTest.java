package dev.realtime.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.realtime.core.quiz.TestPdfs;
import dev.realtime.core.security.Jwts;
import dev.realtime.jakarta.client.RealtimeClient;
import dev.realtime.jakarta.client.RealtimeEvent;
import dev.realtime.jakarta.server.ServerOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example server secured with an API key and JWT, over real HTTP and WebSocket connections: every route is
 * behind the same rules (demo jobs need the key; uploads need a token or the key and belong to their uploader;
 * quotas; share links without answers or source; /health without counters).
 */
@Timeout(60)
class SecuredExampleServerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String KEY = "example-api-key";
    private final HttpClient http = HttpClient.newHttpClient();
    private ExampleServer server;
    private String base;
    private int port;
    @TempDir
    Path data;

    @BeforeEach
    void start() {
        server = new ExampleServer(ServerOptions.parse(new String[] {"--port", "0", "--host", "127.0.0.1",
                "--api-key", KEY, "--jwt-secret", Jwts.SECRET, "--data-dir", data.toString(),
                "--upload-quota-mb", "1"}, Map.of()), Map.of());
        port = server.start();
        base = "http://127.0.0.1:" + port;
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static final String PAGE_1 = "Marie Curie was born in Warsaw in 1867. She moved to Paris in 1891 to study "
            + "physics and mathematics at the University of Paris. In 1903 she shared the Nobel Prize in Physics with "
            + "Pierre Curie and Henri Becquerel. In 1911 she received a second Nobel Prize, this time in Chemistry.";
    private static final String PAGE_2 = "The water cycle moves water between the oceans, the air and the land. "
            + "Evaporation turns liquid water into vapour. Condensation forms clouds from that vapour. "
            + "Precipitation returns the water to the ground as rain or snow.";

    private static String token(String sub) {
        return Jwts.hs256(Jwts.claims(sub, Instant.now()).build());
    }

    private HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> upload(byte[] pdf, String header, String value) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + "/api/files"))
                .header("Content-Type", "application/pdf").header("X-Filename", "lesson.pdf")
                .POST(HttpRequest.BodyPublishers.ofByteArray(pdf));
        if (header != null) {
            b.header(header, value);
        }
        return send(b);
    }

    private static String code(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body()).path("error").path("code").asText();
    }

    @Test
    void demoJobsNeedTheKey() throws Exception {
        HttpResponse<String> anonymous = send(HttpRequest.newBuilder(URI.create(base + "/api/demo-jobs"))
                .POST(HttpRequest.BodyPublishers.noBody()));
        assertEquals(401, anonymous.statusCode(), anonymous.body());
        assertEquals("unauthorized", code(anonymous));
        HttpResponse<String> withKey = send(HttpRequest.newBuilder(URI.create(base + "/api/demo-jobs"))
                .header("X-Api-Key", KEY).POST(HttpRequest.BodyPublishers.ofString("{\"steps\":1,\"intervalMs\":10}")));
        assertEquals(201, withKey.statusCode(), withKey.body());
        HttpResponse<String> health = send(HttpRequest.newBuilder(URI.create(base + "/health")));
        assertEquals("ok", JSON.readTree(health.body()).path("status").asText());
        assertFalse(JSON.readTree(health.body()).has("connections"), health.body());
    }

    @Test
    void uploadsBelongToTheirUploaderWithinAQuota() throws Exception {
        byte[] pdf = TestPdfs.builder().text(PAGE_1).build();
        HttpResponse<String> anonymous = upload(pdf, null, null);
        assertEquals(401, anonymous.statusCode(), anonymous.body());
        HttpResponse<String> forged = upload(pdf, "Authorization", "Bearer " + token("u1") + "x");
        assertEquals(401, forged.statusCode(), forged.body());
        HttpResponse<String> mine = upload(pdf, "Authorization", "Bearer " + token("u1"));
        assertEquals(201, mine.statusCode(), mine.body());
        String name = JSON.readTree(mine.body()).path("filename").asText();

        HttpResponse<String> theirs = send(HttpRequest.newBuilder(URI.create(base + "/api/files/" + name))
                .header("Authorization", "Bearer " + token("u2")));
        assertEquals(403, theirs.statusCode(), theirs.body());
        assertEquals(200, send(HttpRequest.newBuilder(URI.create(base + "/api/files/" + name))
                .header("Authorization", "Bearer " + token("u1"))).statusCode());
        assertEquals(200, send(HttpRequest.newBuilder(URI.create(base + "/api/files/" + name))
                .header("X-Api-Key", KEY)).statusCode());

        // the quota (1 MB here) counts what u1 holds
        byte[] big = new byte[700_000];
        System.arraycopy(pdf, 0, big, 0, Math.min(pdf.length, big.length));
        assertEquals(201, upload(big, "Authorization", "Bearer " + token("u1")).statusCode());
        HttpResponse<String> over = upload(big, "Authorization", "Bearer " + token("u1"));
        assertEquals(413, over.statusCode(), over.body());
        assertTrue(over.body().contains("quota"), over.body());
        assertEquals(201, upload(big, "Authorization", "Bearer " + token("u2")).statusCode(), "u2 has its own");

        // retention: everything older than the cutoff goes, with its owner record
        try (var files = Files.list(data)) {
            assertTrue(files.anyMatch(f -> f.getFileName().toString().endsWith(".owner")));
        }
        assertTrue(server.files().deleteOlderThan(Instant.now().plusSeconds(1)) >= 3);
        try (var files = Files.list(data)) {
            assertEquals(0, files.filter(f -> f.getFileName().toString().matches("[0-9a-f]{32}\\..*")).count());
        }
    }

    @Test
    void anotherUsersFileCannotBeTurnedIntoAQuizAndShareLinksHideTheAnswers() throws Exception {
        byte[] pdf = TestPdfs.builder().text(PAGE_1).text(PAGE_2).build();
        String name = JSON.readTree(upload(pdf, "Authorization", "Bearer " + token("u1")).body())
                .path("filename").asText();
        URI ws = URI.create("ws://127.0.0.1:" + port + "/ws");
        try (RealtimeClient u2 = RealtimeClient.builder(ws).header("Authorization", "Bearer " + token("u2")).build();
             RealtimeClient u1 = RealtimeClient.builder(ws).header("Authorization", "Bearer " + token("u1")).build()) {
            u2.connect().get(5, TimeUnit.SECONDS);
            ExecutionException refused = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                    () -> u2.emit("generate-quiz", Map.of("filename", name)).get(5, TimeUnit.SECONDS));
            assertTrue(refused.getCause().getMessage().contains("another user"), refused.getCause().getMessage());

            CompletableFuture<JsonNode> complete = new CompletableFuture<>();
            u1.on("quiz-complete", (RealtimeEvent e) -> complete.complete(e.data()));
            u1.connect().get(5, TimeUnit.SECONDS);
            u1.emit("generate-quiz", Map.of("filename", name)).get(5, TimeUnit.SECONDS);
            JsonNode done = complete.get(30, TimeUnit.SECONDS);
            String link = done.findValue("magicLink").asText();
            String path = link.substring(link.indexOf("/q/"));

            JsonNode shared = JSON.readTree(send(HttpRequest.newBuilder(URI.create(base + path))).body());
            assertTrue(shared.path("questions").size() > 0, shared.toString());
            assertFalse(shared.has("sourceFile"), shared.toString());
            for (JsonNode q : shared.path("questions")) {
                assertFalse(q.has("correctAnswerIndex") || q.has("explanation"), q.toString());
            }
            assertEquals(403, send(HttpRequest.newBuilder(URI.create(base + path + "?answers=true"))
                    .header("Authorization", "Bearer " + token("u2"))).statusCode());
            JsonNode owners = JSON.readTree(send(HttpRequest.newBuilder(URI.create(base + path + "?answers=true"))
                    .header("Authorization", "Bearer " + token("u1"))).body());
            assertTrue(owners.path("questions").get(0).has("correctAnswerIndex"), owners.toString());
            assertEquals(name, owners.path("sourceFile").asText());
        }
    }
}

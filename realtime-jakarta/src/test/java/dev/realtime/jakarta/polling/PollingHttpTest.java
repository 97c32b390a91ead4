package dev.realtime.jakarta.polling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.realtime.core.RealtimeHub;
import dev.realtime.core.security.Limits;
import dev.realtime.jakarta.server.RealtimeServer;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;

/** Every Engine.IO polling rule over real HTTP against the standalone server (Grizzly + Tyrus). */
class PollingHttpTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String RS = "\u001e";
    private static RealtimeHub hub;
    private static RealtimeServer server;
    private static String base;
    private static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() {
        hub = RealtimeHub.builder()
                .allowedOrigins(List.of("http://localhost:3000", "https://quizai.nl"))
                .limits(Limits.defaults().withHandshakesPerIpPerSecond(10_000))
                .socketIo(dev.realtime.core.SocketIoOptions.defaults().withMaxPayload(10_000))
                .build();
        hub.namespace("/peer").on("echo", JsonNode.class, (c, p) -> p);
        server = RealtimeServer.builder().hub(hub).host("127.0.0.1").port(0).build();
        base = "http://127.0.0.1:" + server.start() + "/socket.io/?EIO=4&transport=polling";
    }

    @AfterAll
    static void stop() {
        server.close();
        hub.close();
    }

    private static HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
        return http.send(b.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(String url, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).GET();
        if (headers.length > 0) {
            b.headers(headers);
        }
        return send(b);
    }

    private static HttpResponse<String> post(String url, String body) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "text/plain;charset=UTF-8"));
    }

    private static String handshake() throws Exception {
        HttpResponse<String> r = get(base);
        assertEquals(200, r.statusCode(), r.body());
        assertEquals('0', r.body().charAt(0));
        JsonNode open = MAPPER.readTree(r.body().substring(1));
        assertEquals("[\"websocket\"]", open.path("upgrades").toString());
        return open.path("sid").asText();
    }

    private static void assertEngineIoError(HttpResponse<String> r, int code, String message) throws Exception {
        assertEquals(400, r.statusCode(), r.body());
        JsonNode body = MAPPER.readTree(r.body());
        assertEquals(code, body.path("code").asInt());
        assertEquals(message, body.path("message").asText());
    }

    @Test
    void framingConnectEventAckOverHttp() throws Exception {
        String sid = handshake();
        HttpResponse<String> ok = post(base + "&sid=" + sid, "40/peer," + RS + "42/peer,5[\"echo\",\"hi\"]");
        assertEquals(200, ok.statusCode());
        assertEquals("ok", ok.body());
        StringBuilder got = new StringBuilder();
        while (!got.toString().contains("43/peer,5")) {
            got.append(get(base + "&sid=" + sid).body()).append(RS);
        }
        String[] packets = got.toString().split(RS);
        assertTrue(packets[0].startsWith("40/peer,{\"sid\":"), got.toString());
        assertEquals("43/peer,5[\"hi\"]", packets[1]);
    }

    @Test
    void unknownSidWrongMethodAndTransport() throws Exception {
        assertEngineIoError(get(base + "&sid=unknown"), 1, "Session ID unknown");
        assertEngineIoError(post(base + "&sid=unknown", "40"), 1, "Session ID unknown");
        assertEngineIoError(post(base, "40"), 2, "Bad handshake method");
        assertEngineIoError(get(base.replace("polling", "flux")), 0, "Transport unknown");
        String sid = handshake();
        assertEngineIoError(send(HttpRequest.newBuilder(URI.create(base + "&sid=" + sid))
                .method("PUT", HttpRequest.BodyPublishers.ofString("x"))), 3, "Bad request");
    }

    @Test
    void aDuplicateGetClosesTheSession() throws Exception {
        String sid = handshake();
        CompletableFuture<HttpResponse<String>> first = http.sendAsync(HttpRequest.newBuilder(
                URI.create(base + "&sid=" + sid)).GET().build(), HttpResponse.BodyHandlers.ofString());
        await().atMost(Duration.ofSeconds(5)).until(() -> hub.polling().waitingRequests() == 1);
        HttpResponse<String> second = get(base + "&sid=" + sid);
        assertEquals(400, second.statusCode());
        assertEquals("1", first.get(5, TimeUnit.SECONDS).body(), "the waiting GET gets the close packet");
        assertEngineIoError(get(base + "&sid=" + sid), 1, "Session ID unknown");
    }

    @Test
    void aCancelledGetClosesTheSession() throws Exception {
        String sid = handshake();
        int before = hub.polling().waitingRequests();
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            OutputStream out = s.getOutputStream();
            out.write(("GET /socket.io/?EIO=4&transport=polling&sid=" + sid + " HTTP/1.1\r\nHost: x\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            await().atMost(Duration.ofSeconds(5)).until(() -> hub.polling().waitingRequests() == before + 1);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> hub.polling().waitingRequests() == before);
        assertEngineIoError(get(base + "&sid=" + sid), 1, "Session ID unknown");
    }

    @Test
    void aSlowPostBodyGets408WithoutHoldingAWorker() throws Exception {
        RealtimeHub slowHub = RealtimeHub.builder().limits(Limits.defaults().withHandshakesPerIpPerSecond(10_000))
                .build();
        try (RealtimeServer s = RealtimeServer.builder().hub(slowHub).host("127.0.0.1").port(0)
                .limits(dev.realtime.jakarta.server.ServerLimits.defaults()
                        .withBodyRate(1000, Duration.ofMillis(300))).build()) {
            String url = "http://127.0.0.1:" + s.start() + "/socket.io/?EIO=4&transport=polling";
            String sid = MAPPER.readTree(get(url).body().substring(1)).path("sid").asText();
            try (Socket socket = new Socket("127.0.0.1", s.port())) {
                socket.setSoTimeout(10_000);
                OutputStream out = socket.getOutputStream();
                out.write(("POST /socket.io/?EIO=4&transport=polling&sid=" + sid + " HTTP/1.1\r\nHost: x\r\n"
                        + "Content-Type: text/plain\r\nContent-Length: 100\r\n\r\n40").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                byte[] head = socket.getInputStream().readNBytes(12);
                assertEquals("HTTP/1.1 408", new String(head, StandardCharsets.US_ASCII));
            }
        } finally {
            slowHub.close();
        }
    }

    @Test
    void anOversizedPostIs413() throws Exception {
        String sid = handshake();
        HttpResponse<String> r = post(base + "&sid=" + sid, "4" + "x".repeat(20_000));
        assertEquals(413, r.statusCode());
        assertEngineIoError(get(base + "&sid=" + sid), 1, "Session ID unknown");
    }

    @Test
    void preflightAndCorsHeadersForAllowedOrigins() throws Exception {
        HttpResponse<String> p = send(HttpRequest.newBuilder(URI.create(base))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "https://quizai.nl").header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "content-type"));
        assertEquals(204, p.statusCode());
        assertEquals(Optional.of("https://quizai.nl"), p.headers().firstValue("Access-Control-Allow-Origin"));
        assertEquals(Optional.of("true"), p.headers().firstValue("Access-Control-Allow-Credentials"));
        assertEquals(Optional.of("GET,POST"), p.headers().firstValue("Access-Control-Allow-Methods"));
        assertEquals(Optional.of("content-type"), p.headers().firstValue("Access-Control-Allow-Headers"));
        HttpResponse<String> g = get(base, "Origin", "http://localhost:3000");
        assertEquals(200, g.statusCode());
        assertEquals(Optional.of("http://localhost:3000"), g.headers().firstValue("Access-Control-Allow-Origin"));
        assertEquals(Optional.of("true"), g.headers().firstValue("Access-Control-Allow-Credentials"));
    }

    @Test
    void aWaitingGetAnsweredLaterKeepsItsCorsHeaders() throws Exception {
        String sid = handshake();
        assertEquals("ok", post(base + "&sid=" + sid, "40/jobs,").body());
        assertTrue(get(base + "&sid=" + sid).body().startsWith("40/jobs,"), "the namespace's CONNECT");
        assertEquals("ok", post(base + "&sid=" + sid, "42/jobs,1[\"subscribe:jobs\",{\"jobId\":\"cors\"}]").body());
        assertTrue(get(base + "&sid=" + sid).body().startsWith("43/jobs,1"), "the subscription's ack");
        int before = hub.polling().waitingRequests();
        CompletableFuture<HttpResponse<String>> waiting = http.sendAsync(HttpRequest.newBuilder(
                URI.create(base + "&sid=" + sid)).header("Origin", "https://quizai.nl").GET()
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        await().atMost(Duration.ofSeconds(5)).until(() -> hub.polling().waitingRequests() == before + 1);
        hub.emitToRoom("job:cors", "notice", java.util.Map.of("n", 1)); // a hub thread answers the parsed GET
        HttpResponse<String> r = waiting.get(10, TimeUnit.SECONDS);
        assertEquals(200, r.statusCode());
        assertTrue(r.body().contains("\"notice\""), r.body());
        assertEquals(Optional.of("https://quizai.nl"), r.headers().firstValue("Access-Control-Allow-Origin"));
        assertEquals(Optional.of("true"), r.headers().firstValue("Access-Control-Allow-Credentials"));
        assertEquals(Optional.of("no-store"), r.headers().firstValue("Cache-Control"));
    }

    @Test
    void aForeignOriginGets403AndNothingElse() throws Exception {
        int sessions = hub.polling().pollingSessions();
        HttpResponse<String> r = get(base, "Origin", "https://evil.example");
        assertEquals(403, r.statusCode());
        assertFalse(r.headers().firstValue("Access-Control-Allow-Origin").isPresent());
        HttpResponse<String> pre = send(HttpRequest.newBuilder(URI.create(base))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).header("Origin", "https://evil.example"));
        assertEquals(403, pre.statusCode());
        assertEquals(sessions, hub.polling().pollingSessions());
    }

    @Test
    void upgradeThenTheOldSidIsRefusedOverHttp() throws Exception {
        String sid = handshake();
        post(base + "&sid=" + sid, "40/jobs,");
        assertTrue(get(base + "&sid=" + sid).body().startsWith("40/jobs,"));
        LinkedBlockingQueue<String> frames = new LinkedBlockingQueue<>();
        WebSocket ws = http.newWebSocketBuilder().buildAsync(URI.create(base.replace("http:", "ws:")
                .replace("transport=polling", "transport=websocket") + "&sid=" + sid), new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                        frames.add(data.toString());
                        webSocket.request(1);
                        return null;
                    }
                }).get(5, TimeUnit.SECONDS);
        ws.sendText("2probe", true).get(5, TimeUnit.SECONDS);
        assertEquals("3probe", frames.poll(5, TimeUnit.SECONDS));
        hub.emitToRoom("nobody", "x", 1);
        ws.sendText("5", true).get(5, TimeUnit.SECONDS);
        ws.sendText("42/jobs,1[\"subscribe:jobs\",{\"jobId\":\"up\"}]", true).get(5, TimeUnit.SECONDS);
        assertTrue(frames.poll(5, TimeUnit.SECONDS).startsWith("43/jobs,1"), "the session now answers on the WebSocket");
        assertEngineIoError(get(base + "&sid=" + sid), 3, "Bad request");
        assertEngineIoError(post(base + "&sid=" + sid, "3"), 3, "Bad request");
        // a second upgrade with the same sid is refused before the WebSocket opens
        java.util.concurrent.ExecutionException again = org.junit.jupiter.api.Assertions.assertThrows(
                java.util.concurrent.ExecutionException.class, () -> http.newWebSocketBuilder()
                        .buildAsync(URI.create(base.replace("http:", "ws:").replace("transport=polling",
                                "transport=websocket") + "&sid=" + sid), new WebSocket.Listener() { })
                        .get(5, TimeUnit.SECONDS));
        assertEquals(400, ((java.net.http.WebSocketHandshakeException) again.getCause()).getResponse().statusCode());
        ws.sendClose(1000, "bye").get(5, TimeUnit.SECONDS);
    }
}

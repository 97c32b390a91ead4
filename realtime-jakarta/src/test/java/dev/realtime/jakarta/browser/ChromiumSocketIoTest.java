package dev.realtime.jakarta.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.realtime.core.RealtimeHub;
import dev.realtime.core.security.Limits;
import dev.realtime.jakarta.server.HttpRoute;
import dev.realtime.jakarta.server.RealtimeServer;
import dev.realtime.jakarta.socketio.SocketIoTestServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A real headless Chromium (Debian's {@code chromium}) loads socket.io-client 4.8 from the server and runs the
 * JobMonitor flow, acks both ways, binary both ways and recovery after a cut, in the three transport modes;
 * and once cross-origin, where polling needs CORS with credentials. The page reports to its own origin
 * ({@code POST /report}); the test publishes when the page says it is ready.
 */
@Timeout(120)
class ChromiumSocketIoTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CLIENT = Path.of("src/test/node/node_modules/socket.io-client/dist/socket.io.min.js");

    private final BlockingQueue<JsonNode> reports = new LinkedBlockingQueue<>();
    private final AtomicBoolean go = new AtomicBoolean();

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = ChromiumSocketIoTest.class.getResourceAsStream("/browser/" + name)) {
            return in.readAllBytes();
        }
    }

    private HttpRoute.Response report(HttpRoute.Request r) throws IOException {
        if (r.method().equals("GET")) {
            return new HttpRoute.Response(go.get() ? 200 : 204, "text/plain", null);
        }
        reports.add(MAPPER.readTree(r.body()));
        return new HttpRoute.Response(204, "text/plain", null);
    }

    /** The socket server: serves the client script (and the page and reports, when same-origin). */
    private RealtimeServer socketServer(RealtimeHub hub) throws IOException {
        byte[] client = Files.readAllBytes(CLIENT);
        byte[] page = resource("page.html");
        return RealtimeServer.builder().hub(hub).host("127.0.0.1").port(0)
                .route("GET", "/client/socket.io.min.js",
                        r -> new HttpRoute.Response(200, "application/javascript", client))
                .route("GET", "/page.html", r -> new HttpRoute.Response(200, "text/html; charset=utf-8", page))
                .route("POST", "/report", this::report)
                .route("GET", "/report", this::report)
                .build();
    }

    private JsonNode next() throws InterruptedException {
        JsonNode n = reports.poll(30, TimeUnit.SECONDS);
        if (n == null) {
            throw new AssertionError("the browser reported nothing for 30 s");
        }
        if (n.has("error")) {
            throw new AssertionError("browser: " + n.path("error").asText());
        }
        return n;
    }

    private Process chromium(String url) throws IOException {
        Path profile = Files.createTempDirectory("chromium");
        return new ProcessBuilder(CHROMIUM.toString(), "--headless=new", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--no-first-run", "--user-data-dir=" + profile, url)
                .redirectErrorStream(true).redirectOutput(profile.resolve("chromium.log").toFile()).start();
    }

    private void runScenario(RealtimeHub hub, String pageUrl, String mode) throws Exception {
        Process browser = chromium(pageUrl);
        try {
            JsonNode ready = next();
            assertTrue(ready.path("ack").path("success").asBoolean(), ready.toString());
            assertEquals(mode.equals("polling") ? "polling" : "websocket", ready.path("transport").asText());
            hub.jobs().update("browser-1", "started", Map.of("message", "started"));
            hub.jobs().progress("browser-1", 10, "Analyzing");
            hub.jobs().completed("browser-1", Map.of("count", 1));
            JsonNode cut = next();
            assertEquals("[\"job:update\",\"job:progress\",\"job:completed\"]", cut.path("events").toString());
            assertTrue(cut.path("asked").path("ok").asBoolean(), "the browser answered our emit-with-ack");
            assertEquals(7, cut.path("asked").path("got").path("jobId").asInt());
            assertEquals("[1,2,3,250]", cut.path("ackCopy").toString());
            assertEquals("[1,2,3,250]", cut.path("pushed").toString());
            assertEquals("forced close", cut.path("cut").asText(), "engine.close(): a recoverable transport loss");
            hub.jobs().progress("browser-1", 20, null);
            hub.jobs().progress("browser-1", 30, null);
            hub.jobs().completed("browser-1", "again");
            go.set(true);
            JsonNode end = next();
            assertTrue(end.path("recovered").asBoolean(), "socket.recovered: " + end);
            assertEquals("[20,30]", end.path("progress").toString());
        } finally {
            browser.destroyForcibly();
            browser.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static void requireChromium() {
        assumeTrue(Files.isExecutable(CHROMIUM), "Debian's chromium is not installed");
        assumeTrue(Files.isRegularFile(CLIENT), "run npm ci in src/test/node (the build does)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"default", "polling", "websocket"})
    void sameOrigin(String mode) throws Exception {
        requireChromium();
        RealtimeHub hub = SocketIoTestServer.withPeerNamespace(RealtimeHub.builder()
                .limits(Limits.defaults().withHandshakesPerIpPerSecond(10_000)).build());
        try (RealtimeServer server = socketServer(hub)) {
            int port = server.start();
            runScenario(hub, "http://127.0.0.1:" + port + "/page.html?mode=" + mode, mode);
        } finally {
            hub.close();
        }
    }

    /** The page on another origin: polling passes only with the CORS headers (credentials included). */
    @Test
    void crossOriginWithCredentials() throws Exception {
        requireChromium();
        byte[] page = resource("page.html");
        HttpServer pages = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        pages.createContext("/page.html", ex -> send(ex, 200, "text/html; charset=utf-8", page));
        pages.createContext("/report", ex -> {
            if (ex.getRequestMethod().equals("POST")) {
                reports.add(MAPPER.readTree(ex.getRequestBody().readAllBytes()));
                send(ex, 204, "text/plain", new byte[0]);
            } else {
                send(ex, go.get() ? 200 : 204, "text/plain", new byte[0]);
            }
        });
        pages.start();
        String pageOrigin = "http://127.0.0.1:" + pages.getAddress().getPort();
        RealtimeHub hub = SocketIoTestServer.withPeerNamespace(RealtimeHub.builder()
                .allowedOrigins(List.of(pageOrigin))
                .limits(Limits.defaults().withHandshakesPerIpPerSecond(10_000)).build());
        try (RealtimeServer server = socketServer(hub)) {
            int port = server.start();
            runScenario(hub, pageOrigin + "/page.html?mode=default&server=http://127.0.0.1:" + port, "default");
        } finally {
            hub.close();
            pages.stop(0);
        }
    }

    private static void send(HttpExchange ex, int status, String type, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(status, status == 204 ? -1 : body.length);
        if (status != 204) {
            ex.getResponseBody().write(body);
        }
        ex.close();
    }
}

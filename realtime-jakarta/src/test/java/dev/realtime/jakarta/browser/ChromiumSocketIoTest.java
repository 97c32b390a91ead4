package dev.realtime.jakarta.browser;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.realtime.core.RealtimeHub;
import dev.realtime.core.security.Limits;
import dev.realtime.jakarta.server.HttpRoute;
import dev.realtime.jakarta.server.RealtimeServer;
import dev.realtime.jakarta.socketio.SocketIoTestServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
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
    private static final Path NODE = Path.of("src/test/node");
    private final BrowserScenario browser = new BrowserScenario();

    private HttpRoute.Response report(HttpRoute.Request r) throws IOException {
        int status = browser.report(r.method().equals("POST") ? r.body() : null);
        return new HttpRoute.Response(status, "text/plain", null);
    }

    /** The socket server: serves the client script (and the page and reports, when same-origin). */
    private RealtimeServer socketServer(RealtimeHub hub) throws IOException {
        byte[] client = BrowserScenario.client(NODE);
        byte[] page = BrowserScenario.page();
        return RealtimeServer.builder().hub(hub).host("127.0.0.1").port(0)
                .route("GET", "/client/socket.io.min.js",
                        r -> new HttpRoute.Response(200, "application/javascript", client))
                .route("GET", "/page.html", r -> new HttpRoute.Response(200, "text/html; charset=utf-8", page))
                .route("POST", "/report", this::report)
                .route("GET", "/report", this::report)
                .build();
    }

    private static void requireChromium() {
        BrowserScenario.require(NODE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"default", "polling", "websocket"})
    void sameOrigin(String mode) throws Exception {
        requireChromium();
        RealtimeHub hub = SocketIoTestServer.withPeerNamespace(RealtimeHub.builder()
                .limits(Limits.defaults().withHandshakesPerIpPerSecond(10_000)).build());
        try (RealtimeServer server = socketServer(hub)) {
            int port = server.start();
            browser.run(hub, "http://127.0.0.1:" + port + "/page.html?mode=" + mode, mode);
        } finally {
            hub.close();
        }
    }

    /** The page on another origin: polling passes only with the CORS headers (credentials included). */
    @Test
    void crossOriginWithCredentials() throws Exception {
        requireChromium();
        byte[] page = BrowserScenario.page();
        HttpServer pages = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        pages.createContext("/page.html", ex -> send(ex, 200, "text/html; charset=utf-8", page));
        pages.createContext("/report", ex -> {
            int status = browser.report(ex.getRequestMethod().equals("POST") ? ex.getRequestBody().readAllBytes() : null);
            send(ex, status, "text/plain", new byte[0]);
        });
        pages.start();
        String pageOrigin = "http://127.0.0.1:" + pages.getAddress().getPort();
        RealtimeHub hub = SocketIoTestServer.withPeerNamespace(RealtimeHub.builder()
                .allowedOrigins(List.of(pageOrigin))
                .limits(Limits.defaults().withHandshakesPerIpPerSecond(10_000)).build());
        try (RealtimeServer server = socketServer(hub)) {
            int port = server.start();
            browser.run(hub, pageOrigin + "/page.html?mode=default&server=http://127.0.0.1:" + port, "default");
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

package dev.realtime.jakarta.browser;

import dev.realtime.core.RealtimeHub;
import dev.realtime.core.security.JwtAuthenticator;
import dev.realtime.core.security.Jwts;
import dev.realtime.core.security.Limits;
import dev.realtime.jakarta.server.HttpRoute;
import dev.realtime.jakarta.server.RealtimeServer;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;

/**
 * A secured standalone server for the browser-client pages: JWT authentication, history for user rooms, the
 * page {@code /native.html} and the {@code /report} channel of a {@link BrowserScenario}. The client script
 * comes from the server itself ({@code /realtime.js}, from the jar's resources).
 */
final class NativeBrowserServer implements AutoCloseable {
    final RealtimeHub hub;
    final RealtimeServer server;
    final int port;

    NativeBrowserServer(BrowserScenario browser, java.util.function.Consumer<RealtimeHub> handlers) throws IOException {
        byte[] page;
        try (InputStream in = NativeBrowserServer.class.getResourceAsStream("/browser/native.html")) {
            page = in.readAllBytes();
        }
        hub = RealtimeHub.builder().authenticator(JwtAuthenticator.builder().hmacSecret(Jwts.SECRET).build())
                .historyRooms(r -> r.startsWith("job:") || r.startsWith("user:"))
                .historySize(1000).replayLimit(1000)
                .limits(Limits.defaults().withHandshakesPerIpPerSecond(10_000)).build();
        handlers.accept(hub);
        HttpRoute report = r -> new HttpRoute.Response(browser.report(r.method().equals("POST") ? r.body() : null,
                r.queryParam("wait").orElse(null)), "text/plain", null);
        server = RealtimeServer.builder().hub(hub).host("127.0.0.1").port(0)
                .route("GET", "/native.html", r -> new HttpRoute.Response(200, "text/html; charset=utf-8", page))
                .route("POST", "/report", report)
                .route("GET", "/report", report)
                .build();
        port = server.start();
    }

    /** The page running {@code scenario} as {@code user}. */
    String page(String scenario, String user, String extra) {
        return "http://127.0.0.1:" + port + "/native.html?scenario=" + scenario + "&token="
                + Jwts.user(user, Instant.now()) + extra;
    }

    @Override
    public void close() {
        server.close();
        hub.close();
    }
}

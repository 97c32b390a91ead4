package dev.realtime.jakarta.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code GET /realtime.js}: the browser client from the jar, its content type, cache headers and 304. */
@Timeout(20)
class ClientScriptTest {
    private final HttpClient http = HttpClient.newHttpClient();
    private RealtimeServer server;
    private String base;

    @BeforeEach
    void start() {
        server = RealtimeServer.builder().port(0).host("127.0.0.1").build();
        base = "http://127.0.0.1:" + server.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<String> get(String path, String ifNoneMatch) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path));
        if (ifNoneMatch != null) {
            b.header("If-None-Match", ifNoneMatch);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void servesTheClientFromTheJarWithCacheHeaders() throws Exception {
        HttpResponse<String> js = get("/realtime.js", null);
        assertEquals(200, js.statusCode());
        assertEquals("text/javascript;charset=utf-8", js.headers().firstValue("Content-Type").orElse("")
                .replace(" ", ""));
        assertEquals(ClientScript.CACHE_CONTROL, js.headers().firstValue("Cache-Control").orElse(""));
        assertEquals("nosniff", js.headers().firstValue("X-Content-Type-Options").orElse(""));
        assertEquals(Files.readString(Path.of("../clients/realtime-browser/realtime.js")), js.body(),
                "the same bytes as the package's source");
        String etag = js.headers().firstValue("ETag").orElseThrow();
        HttpResponse<String> again = get("/realtime.js", etag);
        assertEquals(304, again.statusCode());
        assertEquals("", again.body());
        HttpResponse<String> head = http.send(HttpRequest.newBuilder(URI.create(base + "/realtime.js"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, head.statusCode());
        assertEquals(etag, head.headers().firstValue("ETag").orElse(""));
        HttpResponse<String> types = get("/realtime.d.ts", null);
        assertEquals(200, types.statusCode());
        assertTrue(types.body().contains("export class RealtimeClient"));
    }

    @Test
    void thePathsAreReserved() {
        assertThrows(IllegalArgumentException.class, () -> RealtimeServer.builder()
                .route("GET", "/realtime.js", r -> HttpRoute.Response.html("")));
        assertThrows(IllegalArgumentException.class, () -> RealtimeServer.builder()
                .route("GET", "/sse", r -> HttpRoute.Response.html("")));
        assertThrows(IllegalArgumentException.class, () -> RealtimeServer.builder()
                .route("POST", "/api/pushes", r -> HttpRoute.Response.html("")));
    }
}

package dev.realtime.jakarta.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.glassfish.grizzly.http.server.Request;
import org.glassfish.grizzly.http.server.Response;

/**
 * The browser client, served by the standalone server from the jar ({@code clients/realtime-browser} copied in by
 * the build): {@code GET /realtime.js} ({@code text/javascript}, an ES module) and {@code GET /realtime.d.ts}.
 * Cached by browsers for 10 minutes, then revalidated by {@code ETag} ({@code 304} when unchanged). Immutable
 * after construction; thread-safe; answers on the Grizzly worker thread from memory.
 */
final class ClientScript {
    static final Set<String> PATHS = Set.of("/realtime.js", "/realtime.d.ts");
    static final String CACHE_CONTROL = "public, max-age=600, must-revalidate";
    private static final String RESOURCES = "/META-INF/realtime-browser";

    private record Asset(byte[] body, String contentType, String etag) {
    }

    private final Map<String, Asset> assets;

    private ClientScript(Map<String, Asset> assets) {
        this.assets = Map.copyOf(assets);
    }

    /** Loads the files the build put into the jar; a path whose file is missing answers 404. */
    static ClientScript fromClasspath() {
        Map<String, Asset> assets = new HashMap<>();
        load(assets, "/realtime.js", "text/javascript; charset=utf-8");
        load(assets, "/realtime.d.ts", "application/typescript; charset=utf-8");
        return new ClientScript(assets);
    }

    private static void load(Map<String, Asset> assets, String path, String type) {
        try (InputStream in = ClientScript.class.getResourceAsStream(RESOURCES + path)) {
            if (in == null) {
                return;
            }
            byte[] body = in.readAllBytes();
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(body);
            String etag = "\"" + Base64.getUrlEncoder().withoutPadding().encodeToString(hash).substring(0, 22) + "\"";
            assets.put(path, new Asset(body, type, etag));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the browser client " + path, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JDK", e);
        }
    }

    boolean serves(String path) {
        return PATHS.contains(path);
    }

    void serve(String path, Request request, Response response) throws IOException {
        Asset a = assets.get(path);
        if (a == null) {
            throw new HttpError(404, dev.realtime.core.ErrorCode.NOT_FOUND,
                    "the browser client is not in this build (clients/realtime-browser)");
        }
        response.setHeader("Cache-Control", CACHE_CONTROL);
        response.setHeader("ETag", a.etag());
        response.setHeader("X-Content-Type-Options", "nosniff");
        String ifNoneMatch = request.getHeader("If-None-Match");
        if (ifNoneMatch != null && ifNoneMatch.contains(a.etag())) {
            response.setStatus(304);
            response.setContentLength(0);
            return;
        }
        response.setStatus(200);
        response.setContentType(a.contentType());
        response.setContentLength(a.body().length);
        response.getOutputStream().write(a.body());
    }
}

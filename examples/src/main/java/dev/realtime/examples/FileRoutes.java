package dev.realtime.examples;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.realtime.core.ErrorCode;
import dev.realtime.core.RealtimeException;
import dev.realtime.core.RealtimeHub;
import dev.realtime.core.quiz.FileStore;
import dev.realtime.core.quiz.Quiz;
import dev.realtime.core.security.Principal;
import dev.realtime.jakarta.server.HttpRoute;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import java.util.Optional;

/**
 * The example server's file and quiz routes under one rule set. On a secured server (an API key or JWT
 * configured) an upload needs the API key or a user's bearer token and belongs to that user; a PDF is served to
 * its owner, an admin or the key holder; page images stay public (their names are unguessable and quizzes link
 * them). Each owner (a user, or on an open server a client address) has an upload quota. A share link shows the
 * quiz without answers and without the source file, unless {@code ?answers=true} comes with the owner's token or
 * the key. Stateless apart from its configuration; thread-safe.
 */
final class FileRoutes {
    /** Who is calling: the owner files are stored for, and whether they may see everything. */
    record Caller(String owner, boolean privileged) {
    }

    private final RealtimeHub hub;
    private final FileStore files;
    private final ObjectMapper mapper;
    private final byte[] apiKey;
    private final long quotaBytes;

    FileRoutes(RealtimeHub hub, FileStore files, String apiKey, long quotaBytes) {
        this.hub = hub;
        this.files = files;
        this.mapper = hub.mapper();
        this.apiKey = apiKey == null ? null : apiKey.getBytes(StandardCharsets.UTF_8);
        this.quotaBytes = quotaBytes;
    }

    boolean secured() {
        return apiKey != null || hub.requiresAuthentication();
    }

    /** Whether the request carries the API key. */
    boolean hasKey(HttpRoute.Request request) {
        return apiKey != null && request.header("X-Api-Key")
                .map(k -> MessageDigest.isEqual(apiKey, k.getBytes(StandardCharsets.UTF_8))).orElse(false);
    }

    /**
     * The caller of a request: the key holder (privileged, no owner), a token's user (admins privileged), or on
     * an open server the client address.
     *
     * @throws RealtimeException {@code unauthorized} on a secured server without key or valid token
     */
    Caller caller(HttpRoute.Request request) {
        if (hasKey(request)) {
            return new Caller(null, true);
        }
        Optional<String> token = request.bearerToken();
        if (token.isPresent() && hub.requiresAuthentication()) {
            Principal p = hub.authenticate(token.get()).orElseThrow();
            return new Caller(p.userId(), p.hasRole("admin"));
        }
        if (secured()) {
            throw new RealtimeException(ErrorCode.UNAUTHORIZED, "send X-Api-Key or Authorization: Bearer <token>");
        }
        return new Caller("address:" + request.clientAddress(), false);
    }

    /** {@code POST /api/files}: stores a PDF for its caller, answers {@code {"filename": ...}}. */
    HttpRoute.Response upload(HttpRoute.Request request) throws IOException {
        Caller caller = caller(request);
        Uploads.Upload upload = Uploads.read(request);
        if (caller.owner() != null && files.bytesOwnedBy(caller.owner()) + upload.content().length > quotaBytes) {
            throw new RealtimeException(ErrorCode.TOO_LARGE, "upload quota of " + (quotaBytes >> 20)
                    + " MB reached; older uploads are deleted after the retention period");
        }
        String stored = files.save(upload.content(), upload.filename(), caller.owner());
        return HttpRoute.Response.json(201, mapper.writeValueAsString(Map.of("filename", stored,
                "originalName", upload.filename(), "size", upload.content().length)));
    }

    /** {@code GET /api/files/{name}}: a page image for anyone, a PDF for its owner (on a secured server). */
    HttpRoute.Response download(HttpRoute.Request request) throws IOException {
        String name = last(request.path());
        boolean image = name.endsWith(".png") || name.endsWith(".jpg");
        if (!image && secured()) {
            Caller caller = caller(request);
            Optional<String> owner = files.ownerOf(name);
            if (!caller.privileged() && owner.isPresent() && !owner.get().equals(caller.owner())) {
                throw new RealtimeException(ErrorCode.FORBIDDEN, "this file belongs to another user");
            }
        }
        try (InputStream in = files.open(name)) {
            String type = name.endsWith(".png") ? "image/png" : name.endsWith(".jpg") ? "image/jpeg"
                    : name.endsWith(".pdf") ? "application/pdf" : "application/octet-stream";
            return new HttpRoute.Response(200, type, in.readAllBytes());
        }
    }

    /** {@code GET /api/quizzes/{id}}: the whole quiz, for its owner, an admin or the key (anyone when open). */
    HttpRoute.Response quiz(HttpRoute.Request request, Optional<Quiz> quiz) throws IOException {
        Quiz q = quiz.orElseThrow(() -> new RealtimeException(ErrorCode.NOT_FOUND, "no such quiz"));
        requireOwner(request, q);
        return HttpRoute.Response.json(200, mapper.writeValueAsString(q.publicView()));
    }

    /** {@code GET /q/{token}}: the participant view; with {@code ?answers=true}, the owner's whole quiz. */
    HttpRoute.Response shared(HttpRoute.Request request, Optional<Quiz> quiz) throws IOException {
        Quiz q = quiz.orElseThrow(() -> new RealtimeException(ErrorCode.NOT_FOUND, "no such quiz"));
        if (request.queryParam("answers").map("true"::equals).orElse(false)) {
            requireOwner(request, q);
            return HttpRoute.Response.json(200, mapper.writeValueAsString(q.publicView()));
        }
        return HttpRoute.Response.json(200, mapper.writeValueAsString(q.participantView()));
    }

    private void requireOwner(HttpRoute.Request request, Quiz q) {
        if (!secured()) {
            return;
        }
        Caller caller = caller(request);
        if (!caller.privileged() && q.ownerUserId() != null && !q.ownerUserId().equals(caller.owner())) {
            throw new RealtimeException(ErrorCode.FORBIDDEN, "only the quiz's owner sees its answers");
        }
    }

    static String last(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }
}

package dev.realtime.jakarta.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.realtime.core.ErrorCode;
import dev.realtime.core.PublishResult;
import dev.realtime.core.RealtimeHub;
import dev.realtime.core.history.HistoryEntry;
import dev.realtime.core.history.HistoryPage;
import dev.realtime.core.jobs.JobPublisher;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.glassfish.grizzly.http.server.Request;

/**
 * The standalone server's built-in API: {@code GET /health}, {@code POST /api/jobs/{id}/events} (with the API key,
 * an optional {@code Idempotency-Key}) and {@code GET /api/jobs/{id}/history} (the key, or the owner's or an
 * admin's bearer token on a secured server). Errors are {@link HttpError}s. Stateless apart from final
 * configuration; thread-safe; called on Grizzly worker threads.
 */
final class JobsApi {
    static final int MAX_HISTORY_LIMIT = 1000;

    private final RealtimeHub hub;
    private final ObjectMapper mapper;
    /** SHA-256 of the API key, or null when the API is open; hashes compare in constant time, any length. */
    private final byte[] apiKeyHash;
    private final long startedAt = System.nanoTime();

    JobsApi(RealtimeHub hub, String apiKey) {
        this.hub = hub;
        this.mapper = hub.mapper();
        this.apiKeyHash = apiKey == null ? null : sha256(apiKey);
    }

    boolean hasApiKey() {
        return apiKeyHash != null;
    }

    /** Status for anyone; the counters only on an open server or with the API key (metrics belong elsewhere). */
    HttpRoute.Response health(Request request) {
        ObjectNode out = mapper.createObjectNode();
        out.put("status", hub.isRunning() ? "ok" : "stopping");
        if (!secured() || validApiKey(request)) {
            out.setAll((ObjectNode) mapper.valueToTree(hub.stats()));
        }
        out.put("uptimeSeconds", (System.nanoTime() - startedAt) / 1_000_000_000L);
        return HttpRoute.Response.json(200, out.toString());
    }

    HttpRoute.Response publish(String jobId, byte[] body, Request request) {
        JsonNode msg = json(body);
        String type = requiredText(msg, "type");
        String userId = optionalText(msg, "userId");
        JobPublisher.Job job;
        String key = request.getHeader("Idempotency-Key");
        try {
            JobPublisher jobs = key == null || key.isEmpty() ? hub.jobs() : hub.jobs().idempotent(key);
            job = jobs.job(jobId, userId);
        } catch (IllegalArgumentException e) {
            throw new HttpError(400, ErrorCode.BAD_REQUEST, e.getMessage());
        }
        PublishResult result = switch (type) {
            case "progress" -> {
                JsonNode p = msg.get("progress");
                if (p == null || !p.isIntegralNumber() || !p.canConvertToInt() || p.asInt() < 0 || p.asInt() > 100) {
                    throw new HttpError(400, ErrorCode.BAD_REQUEST, "'progress' must be an integer from 0 to 100");
                }
                yield job.progress(p.asInt(), optionalText(msg, "message"));
            }
            case "update" -> job.update(requiredText(msg, "status"), msg.has("data") ? msg.get("data") : null);
            case "completed" -> job.completed(msg.has("result") ? msg.get("result") : null);
            case "error" -> job.failed(requiredText(msg, "error"));
            default -> throw new HttpError(400, ErrorCode.BAD_REQUEST, "unknown type '" + clip(type)
                    + "'; expected progress, update, completed or error");
        };
        ObjectNode out = mapper.createObjectNode();
        out.put("offset", result.offset());
        out.put("epoch", result.epoch());
        out.put("stream", result.stream());
        out.put("delivered", result.delivered());
        out.put("duplicate", result.duplicate());
        // a repeat with the same Idempotency-Key stored nothing new: 200 with the first publish's offset
        return HttpRoute.Response.json(result.duplicate() ? 200 : 201, out.toString());
    }

    HttpRoute.Response history(String jobId, Request request) throws JsonProcessingException {
        long after = longParam(request, "after", 0, 0, Long.MAX_VALUE);
        int limit = (int) longParam(request, "limit", 100, 1, MAX_HISTORY_LIMIT);
        String stream = "job:" + jobId;
        HistoryPage page = hub.history(stream, after, limit);
        ObjectNode out = mapper.createObjectNode();
        out.put("jobId", jobId);
        out.put("stream", stream);
        out.put("epoch", page.position().epoch());
        out.put("offset", page.position().offset());
        out.put("complete", page.complete());
        ArrayNode events = out.putArray("events");
        for (HistoryEntry e : page.entries()) {
            ObjectNode ev = events.addObject();
            ev.put("offset", e.offset());
            ev.put("epoch", e.epoch());
            ev.put("event", e.event());
            ev.set("data", mapper.readTree(e.data()));
            ev.put("timestamp", e.timestamp().truncatedTo(java.time.temporal.ChronoUnit.MILLIS).toString());
        }
        return HttpRoute.Response.json(200, out.toString());
    }

    /**
     * History is open only on an open server (no API key, no authenticator). Otherwise it needs the API key, or a
     * bearer token of the job's owner or of an admin (the hub's room rules for {@code job:{id}} decide).
     */
    private boolean secured() {
        return apiKeyHash != null || hub.requiresAuthentication();
    }

    private boolean validApiKey(Request request) {
        String given = request.getHeader("X-Api-Key");
        return apiKeyHash != null && given != null && !given.isEmpty()
                && MessageDigest.isEqual(apiKeyHash, sha256(given));
    }

    void requireHistoryAccess(String jobId, Request request) {
        if (!secured()) {
            return;
        }
        String key = request.getHeader("X-Api-Key");
        if (key != null && !key.isEmpty() && apiKeyHash != null) {
            requireApiKey(request);
            return;
        }
        String auth = request.getHeader("Authorization");
        if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7) && hub.requiresAuthentication()) {
            dev.realtime.core.security.Principal p;
            try {
                p = hub.authenticate(auth.substring(7).trim()).orElseThrow();
            } catch (dev.realtime.core.RealtimeException e) {
                throw new HttpError(401, ErrorCode.UNAUTHORIZED, e.getMessage());
            }
            boolean owner = hub.jobs().ownerOf(jobId).map(p.userId()::equals).orElse(false);
            if (!owner && !p.hasRole("admin")) {
                throw new HttpError(403, ErrorCode.FORBIDDEN, "only the job's owner may read its history");
            }
            return;
        }
        throw new HttpError(401, ErrorCode.UNAUTHORIZED, "history needs X-Api-Key or the job owner's bearer token");
    }

    void requireApiKey(Request request) {
        if (apiKeyHash == null) {
            return;
        }
        String given = request.getHeader("X-Api-Key");
        if (given == null || given.isEmpty()) {
            throw new HttpError(401, ErrorCode.UNAUTHORIZED, "missing X-Api-Key header");
        }
        if (!MessageDigest.isEqual(apiKeyHash, sha256(given))) {
            throw new HttpError(401, ErrorCode.UNAUTHORIZED, "invalid API key");
        }
    }

    static String jobId(String rest, String suffix) {
        String id = rest.substring(0, rest.length() - suffix.length());
        if (id.isEmpty() || !RealtimeHub.validRoom("job:" + id)) {
            throw new HttpError(400, ErrorCode.BAD_REQUEST,
                    "invalid job id '" + clip(id) + "': letters, digits and :_-./@ only");
        }
        return id;
    }

    JsonNode json(byte[] body) {
        if (body.length == 0) {
            throw new HttpError(400, ErrorCode.BAD_REQUEST, "a JSON body is required");
        }
        JsonNode msg;
        try {
            msg = mapper.readTree(body);
        } catch (IOException e) {
            String m = e instanceof JsonProcessingException jpe ? jpe.getOriginalMessage() : e.getMessage();
            throw new HttpError(400, ErrorCode.BAD_REQUEST, "malformed JSON: " + firstLine(m));
        }
        if (msg == null || !msg.isObject()) {
            throw new HttpError(400, ErrorCode.BAD_REQUEST, "the body must be a JSON object");
        }
        return msg;
    }

    static String requiredText(JsonNode msg, String field) {
        JsonNode v = msg.get(field);
        if (v == null || !v.isTextual() || v.asText().isBlank()) {
            throw new HttpError(400, ErrorCode.BAD_REQUEST, "missing string field '" + field + "'");
        }
        return v.asText();
    }

    static String optionalText(JsonNode msg, String field) {
        JsonNode v = msg.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new HttpError(400, ErrorCode.BAD_REQUEST, "'" + field + "' must be a string");
        }
        return v.asText();
    }

    private static long longParam(Request request, String name, long dflt, long min, long max) {
        String v = request.getParameter(name);
        if (v == null || v.isEmpty()) {
            return dflt;
        }
        long n;
        try {
            n = Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new HttpError(400, ErrorCode.BAD_REQUEST, "'" + name + "' must be an integer");
        }
        if (n < min || n > max) {
            throw new HttpError(400, ErrorCode.BAD_REQUEST, "'" + name + "' must be from " + min + " to " + max);
        }
        return n;
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JDK", e);
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unreadable";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    private static String clip(String s) {
        return s.length() > 64 ? s.substring(0, 64) + "..." : s;
    }
}

package dev.realtime.jakarta.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.realtime.core.ErrorCode;
import dev.realtime.core.PublishResult;
import dev.realtime.core.pushes.DocumentProgress;
import dev.realtime.core.pushes.Notification;
import dev.realtime.core.pushes.PushPublisher;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code POST /api/pushes} (header {@code X-Api-Key}): the {@link PushPublisher} pushes for non-Java backends.
 * The body names the push in {@code type}:
 * <pre>
 * {"type":"notification","userId":"u1","id":"n-1","title":"Quiz ready","message":"...","level":"success","data":{}}
 * {"type":"notification","id":"n-2","title":"Maintenance","message":"...","level":"warning"}   (no userId: everyone)
 * {"type":"analytics_update","educatorId":"e1","updates":{"averageScore":72.5}}
 * {"type":"document_processing","userId":"u1","documentId":"d-7","status":"processing","progress":40,
 *  "message":"Extracting page 2","filename":"notes.pdf"}
 * </pre>
 * Answers {@code 201 {stream, offset, epoch, delivered}} ({@code stream} null and {@code offset} 0 when the user
 * room keeps no history; a notification to everyone answers {@code {delivered}} only). Bad input is a
 * {@code 400 bad_request} naming the field. Stateless; thread-safe; called on Grizzly worker threads.
 */
final class PushesApi {
    static final String PATH = "/api/pushes";

    private final PushPublisher pushes;
    private final ObjectMapper mapper;
    private final JobsApi jobs;

    PushesApi(PushPublisher pushes, ObjectMapper mapper, JobsApi jobs) {
        this.pushes = pushes;
        this.mapper = mapper;
        this.jobs = jobs;
    }

    HttpRoute.Response publish(byte[] body) {
        JsonNode msg = jobs.json(body);
        String type = JobsApi.requiredText(msg, "type");
        try {
            return switch (type) {
                case PushPublisher.NOTIFICATION -> notification(msg);
                case PushPublisher.ANALYTICS_UPDATE -> {
                    JsonNode u = msg.get("updates");
                    if (u == null || !u.isObject() || u.isEmpty()) {
                        throw new HttpError(400, ErrorCode.BAD_REQUEST, "'updates' must be a non-empty object");
                    }
                    Map<String, JsonNode> updates = new LinkedHashMap<>();
                    u.fields().forEachRemaining(f -> updates.put(f.getKey(), f.getValue()));
                    yield result(pushes.analytics(JobsApi.requiredText(msg, "educatorId"), updates));
                }
                case PushPublisher.DOCUMENT_PROCESSING -> {
                    JsonNode p = msg.get("progress");
                    if (p == null || !p.isIntegralNumber() || !p.canConvertToInt()) {
                        throw new HttpError(400, ErrorCode.BAD_REQUEST, "'progress' must be an integer from 0 to 100");
                    }
                    yield result(pushes.documentProgress(JobsApi.requiredText(msg, "userId"), new DocumentProgress(
                            JobsApi.requiredText(msg, "documentId"), JobsApi.requiredText(msg, "status"), p.asInt(),
                            JobsApi.optionalText(msg, "message"), JobsApi.optionalText(msg, "filename"))));
                }
                default -> throw new HttpError(400, ErrorCode.BAD_REQUEST, "unknown type '" + clip(type)
                        + "'; expected notification, analytics_update or document_processing");
            };
        } catch (IllegalArgumentException e) {
            throw new HttpError(400, ErrorCode.BAD_REQUEST, e.getMessage());
        }
    }

    private HttpRoute.Response notification(JsonNode msg) {
        String title = JobsApi.optionalText(msg, "title");
        String level = JobsApi.optionalText(msg, "level");
        Notification n = new Notification(JobsApi.requiredText(msg, "id"), title == null ? "" : title,
                JobsApi.requiredText(msg, "message"), level == null ? "info" : level,
                msg.hasNonNull("data") ? msg.get("data") : null);
        String userId = JobsApi.optionalText(msg, "userId");
        if (userId == null) {
            ObjectNode out = mapper.createObjectNode();
            out.put("delivered", pushes.notifyAll(n));
            return HttpRoute.Response.json(201, out.toString());
        }
        return result(pushes.notifyUser(userId, n));
    }

    private HttpRoute.Response result(PublishResult r) {
        ObjectNode out = mapper.createObjectNode();
        out.put("stream", r.stream());
        out.put("offset", r.offset());
        out.put("epoch", r.epoch());
        out.put("delivered", r.delivered());
        return HttpRoute.Response.json(201, out.toString());
    }

    private static String clip(String s) {
        return s.length() > 64 ? s.substring(0, 64) + "..." : s;
    }
}

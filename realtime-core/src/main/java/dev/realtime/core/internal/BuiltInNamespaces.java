package dev.realtime.core.internal;

import dev.realtime.core.Timestamps;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.realtime.core.ErrorCode;
import dev.realtime.core.RealtimeException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The namespaces existing frontends speak (seeds 000, 002, 003): {@code /jobs} with
 * {@code subscribe:jobs}/{@code unsubscribe:jobs}, {@code /quiz} greeting with {@code connection}, and
 * {@code /interview} greeting with {@code connection:success}.
 */
final class BuiltInNamespaces {
    private BuiltInNamespaces() {
    }

    /** The {@code subscribe:jobs} payload of seed 002: a job, a user's jobs, or (neither) all jobs. */
    record JobsSubscription(String jobId, String userId) {
        String room() {
            if (jobId != null && !jobId.isBlank()) {
                return Rooms.job(jobId);
            }
            if (userId != null && !userId.isBlank()) {
                return Rooms.user(userId);
            }
            return Rooms.ALL_JOBS;
        }
    }

    static void register(HubEngine engine) {
        engine.namespace("/");
        NamespaceImpl jobs = engine.namespace("/jobs");
        jobs.on("subscribe:jobs", JobsSubscription.class, (client, req) -> {
            JobsSubscription r = req == null ? new JobsSubscription(null, null) : req;
            String room = r.room();
            if (!Rooms.valid(room)) {
                return reply(false, room, "Invalid room name");
            }
            try {
                NamespaceSocket socket = (NamespaceSocket) client;
                engine.subscribe(socket, socket.subscriptions, null, room, null, null);
                socket.session.remember(socket);
                return reply(true, room, "Subscribed to " + room);
            } catch (RealtimeException e) {
                if (e.code() == ErrorCode.FORBIDDEN) {
                    return reply(false, room, e.getMessage());
                }
                throw e;
            }
        });
        jobs.on("unsubscribe:jobs", JobsSubscription.class, (client, req) -> {
            JobsSubscription r = req == null ? new JobsSubscription(null, null) : req;
            String room = r.room();
            NamespaceSocket socket = (NamespaceSocket) client;
            engine.unsubscribe(socket.subscriptions, room);
            socket.session.remember(socket);
            return reply(true, room, "Unsubscribed from " + room);
        });

        engine.namespace("/quiz").onConnect((socket, auth, recovered) -> {
            Map<String, Object> hello = new LinkedHashMap<>();
            hello.put("type", "connection");
            hello.put("message", "WebSocket connected successfully");
            hello.put("timestamp", Timestamps.format(engine.clock.instant()));
            hello.put("clientId", socket.id());
            socket.emit("connection", hello);
        });

        interviewSessions(engine, engine.namespace("/interview"));
        engine.namespace("/interview").onConnect((socket, auth, recovered) -> {
            ObjectNode hello = engine.mapper.createObjectNode();
            hello.put("socketId", socket.id());
            socket.userId().ifPresent(u -> hello.put("userId", u));
            hello.put("recovered", recovered);
            hello.put("timestamp", Timestamps.format(engine.clock.instant()));
            socket.emit("connection:success", hello);
        });
    }

    /** Seed 003's {@code session:join} / {@code session:leave} payload. */
    record SessionRef(String sessionId) {
    }

    private static void interviewSessions(HubEngine engine, NamespaceImpl interview) {
        interview.on("session:join", SessionRef.class, (client, req) -> {
            NamespaceSocket socket = (NamespaceSocket) client;
            if (req == null || req.sessionId() == null || !Rooms.valid("session:" + req.sessionId())) {
                throw new RealtimeException(ErrorCode.BAD_REQUEST, "session:join needs a valid sessionId");
            }
            String room = "session:" + req.sessionId();
            try {
                engine.subscribe(socket, socket.subscriptions, null, room, null, null);
            } catch (RealtimeException e) {
                socket.emit("session:error", Map.of("sessionId", req.sessionId(), "code", e.code().wire(),
                        "message", e.getMessage()));
                throw e;
            }
            Map<String, Object> joined = new LinkedHashMap<>();
            joined.put("sessionId", req.sessionId());
            joined.put("participants", engine.presence(room));
            joined.put("timestamp", Timestamps.format(engine.clock.instant()));
            socket.emit("session:joined", joined);
            return joined;
        });
        interview.on("session:leave", SessionRef.class, (client, req) -> {
            NamespaceSocket socket = (NamespaceSocket) client;
            if (req == null || req.sessionId() == null) {
                throw new RealtimeException(ErrorCode.BAD_REQUEST, "session:leave needs a sessionId");
            }
            engine.unsubscribe(socket.subscriptions, "session:" + req.sessionId());
            Map<String, Object> left = Map.of("sessionId", req.sessionId());
            socket.emit("session:left", left);
            return left;
        });
    }

    private static JsonNode reply(boolean success, String room, String message) {
        return com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode()
                .put("success", success).put("room", room).put("message", message);
    }
}

package dev.realtime.core.gateway;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.realtime.core.ErrorCode;
import dev.realtime.core.Namespace;
import dev.realtime.core.RealtimeException;
import dev.realtime.core.RealtimeHub;
import dev.realtime.core.Rooms;
import dev.realtime.core.Timestamps;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Seed 003's interview namespace as far as sessions go: the {@code connection:success} greeting,
 * {@code session:join} (authorized by the hub's room rules for {@code session:{id}}, answered with
 * {@code session:joined} and the participants present cluster-wide, or {@code session:error} with a code) and
 * {@code session:leave}. Presence events ({@code user:joined}, {@code user:left}, {@code user:disconnected}) come
 * from the hub's presence rooms.
 *
 * <p>Stateless; handlers run on each client's serial handler executor.
 *
 * @since 0.2
 */
public final class InterviewGateway {
    private InterviewGateway() {
    }

    /** Seed 003's {@code session:join} / {@code session:leave} payload. */
    public record SessionRef(String sessionId) {
    }

    /** Registers the greeting and the session events on {@code interview}. */
    public static void install(RealtimeHub hub, Namespace interview) {
        interview.onConnect((socket, auth, recovered) -> {
            ObjectNode hello = JsonNodeFactory.instance.objectNode();
            hello.put("socketId", socket.id());
            socket.userId().ifPresent(u -> hello.put("userId", u));
            hello.put("recovered", recovered);
            hello.put("timestamp", Timestamps.format(hub.clock().instant()));
            socket.emit("connection:success", hello);
        });
        interview.on("session:join", SessionRef.class, (client, req) -> {
            if (req == null || req.sessionId() == null || !Rooms.valid("session:" + req.sessionId())) {
                throw new RealtimeException(ErrorCode.BAD_REQUEST, "session:join needs a valid sessionId");
            }
            String room = "session:" + req.sessionId();
            try {
                client.subscribe(room, null);
            } catch (RealtimeException e) {
                client.emit("session:error", Map.of("sessionId", req.sessionId(), "code", e.code().wire(),
                        "message", e.getMessage()));
                throw e;
            }
            Map<String, Object> joined = new LinkedHashMap<>();
            joined.put("sessionId", req.sessionId());
            joined.put("participants", hub.presence(room));
            joined.put("timestamp", Timestamps.format(hub.clock().instant()));
            client.emit("session:joined", joined);
            return joined;
        });
        interview.on("session:leave", SessionRef.class, (client, req) -> {
            if (req == null || req.sessionId() == null) {
                throw new RealtimeException(ErrorCode.BAD_REQUEST, "session:leave needs a sessionId");
            }
            client.leave("session:" + req.sessionId());
            Map<String, Object> left = Map.of("sessionId", req.sessionId());
            client.emit("session:left", left);
            return left;
        });
    }
}

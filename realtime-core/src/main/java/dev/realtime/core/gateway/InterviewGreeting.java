package dev.realtime.core.gateway;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.realtime.core.Namespace;
import dev.realtime.core.RealtimeHub;
import dev.realtime.core.Timestamps;

/**
 * Seed 003's greeting on {@code /interview}: {@code connection:success {socketId, userId, recovered, timestamp}}
 * to every socket that connects (the JWT is checked by the hub before). The session events ({@code session:join},
 * status, audio, transcription, suggestions) belong to {@link dev.realtime.core.interview.InterviewGateway},
 * which an application builds on the hub.
 *
 * <p>Stateless; the listener runs on each client's serial handler executor.
 *
 * @since 0.2
 */
public final class InterviewGreeting {
    private InterviewGreeting() {
    }

    /** Registers the greeting on {@code interview}. */
    public static void install(RealtimeHub hub, Namespace interview) {
        interview.onConnect((socket, auth, recovered) -> {
            ObjectNode hello = JsonNodeFactory.instance.objectNode();
            hello.put("socketId", socket.id());
            socket.userId().ifPresent(u -> hello.put("userId", u));
            hello.put("recovered", recovered);
            hello.put("timestamp", Timestamps.format(hub.clock().instant()));
            socket.emit("connection:success", hello);
        });
    }
}

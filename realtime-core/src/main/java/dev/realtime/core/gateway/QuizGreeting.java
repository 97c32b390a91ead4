package dev.realtime.core.gateway;

import dev.realtime.core.Namespace;
import dev.realtime.core.Timestamps;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Seed 000's greeting on {@code /quiz}: {@code connection} with {@code {type, message, timestamp, clientId}} as
 * soon as a socket connects. The quiz events themselves come from {@link dev.realtime.core.quiz.QuizPipeline}.
 *
 * @since 0.2
 */
public final class QuizGreeting {
    private QuizGreeting() {
    }

    /** Greets every socket of {@code quiz}; timestamps from {@code clock}. */
    public static void install(Namespace quiz, Clock clock) {
        quiz.onConnect((socket, auth, recovered) -> {
            Map<String, Object> hello = new LinkedHashMap<>();
            hello.put("type", "connection");
            hello.put("message", "WebSocket connected successfully");
            hello.put("timestamp", Timestamps.format(clock.instant()));
            hello.put("clientId", socket.id());
            socket.emit("connection", hello);
        });
    }
}

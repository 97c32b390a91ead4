package dev.realtime.jakarta.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * One event received by a {@link RealtimeClient}.
 *
 * @param room   the room named in the frame: for job events the job's stream ({@code job:42}), also when the
 *               client received it through {@code all-jobs} or {@code user:{id}}; {@code null} for direct events
 * @param event  the event name, e.g. {@code job:progress}
 * @param offset position in the room's history, or 0 for rooms without history
 * @param epoch  the history epoch, or {@code null}
 * @param data   the payload
 * @since 0.1
 */
public record RealtimeEvent(String room, String event, long offset, String epoch, JsonNode data) {
    public RealtimeEvent {
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(data, "data");
    }
}

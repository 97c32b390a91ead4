package dev.realtime.jakarta.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * Typed payloads of the job events (seed 002), for {@link RealtimeClient#on(String, Class, TypedListener)}.
 * Unknown fields are ignored, so servers may add fields.
 *
 * @since 0.1
 */
public final class JobPayloads {
    private JobPayloads() {
    }

    /** {@code job:progress}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record JobProgress(String jobId, String status, int progress, String message, String timestamp) {
    }

    /** {@code job:update}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record JobUpdate(String jobId, String status, JsonNode data, String timestamp) {
    }

    /** {@code job:completed}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record JobCompleted(String jobId, String status, JsonNode result, String timestamp) {
    }

    /** {@code job:error}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record JobError(String jobId, String status, String error, String timestamp) {
    }
}

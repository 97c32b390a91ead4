package dev.realtime.core;

/**
 * What a publish did.
 *
 * @param stream    history stream the event was appended to, or {@code null} when the rooms keep no history
 * @param offset    offset assigned in {@code stream}, or {@code 0}
 * @param epoch     epoch of {@code stream}, or {@code null}
 * @param delivered number of local recipients the event was queued for on this node
 * @param duplicate true when the publish repeated an earlier one with the same idempotency key: nothing new was
 *                  stored, and {@code offset} is the first publish's
 * @since 0.1
 */
public record PublishResult(String stream, long offset, String epoch, int delivered, boolean duplicate) {
    /** A result of a first (not repeated) publish. */
    public PublishResult(String stream, long offset, String epoch, int delivered) {
        this(stream, offset, epoch, delivered, false);
    }
}

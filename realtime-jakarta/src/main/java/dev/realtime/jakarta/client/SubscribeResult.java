package dev.realtime.jakarta.client;

/**
 * The server's answer to a subscribe.
 *
 * @param room      the room
 * @param epoch     the room's history epoch, or {@code null} for rooms without history
 * @param offset    the stream's top at subscribe time, or 0
 * @param recovered for a resume: whether it was gap-free; {@code null} for a fresh subscribe
 * @since 0.1
 */
public record SubscribeResult(String room, String epoch, long offset, Boolean recovered) {
}

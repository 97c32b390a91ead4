package dev.realtime.core;

import dev.realtime.core.history.StreamPosition;

/**
 * The outcome of {@link Client#subscribe(String, StreamPosition)}.
 *
 * @param room      the room joined
 * @param position  the stream's position after the replay (offset and epoch to resume from), or {@code null} for a
 *                  room without history
 * @param recovered {@code true} when every event after the requested position was replayed, {@code false} when
 *                  the client missed events it cannot get (it was sent the latest one, its current state) and
 *                  {@code null} when no position was requested
 * @since 0.2
 */
public record SubscribeResult(String room, StreamPosition position, Boolean recovered) {
}

package dev.realtime.jakarta.client;

/**
 * Receives events of one name with the payload converted by Jackson, e.g.
 * {@code client.on("job:progress", JobProgress.class, (room, p) -> bar.set(p.progress()))}. Same threading as
 * {@link EventListener}; a payload that cannot be converted is logged and skipped.
 *
 * @param <T> payload type
 * @since 0.1
 */
@FunctionalInterface
public interface TypedListener<T> {
    void onEvent(String room, T payload);
}

package dev.realtime.jakarta.client;

/**
 * Receives events of one name (or all) with their room, offset and raw JSON data. Called on the client's event
 * thread, one event at a time, in arrival order; must not block for long (it delays every other callback).
 *
 * @since 0.1
 */
@FunctionalInterface
public interface EventListener {
    void onEvent(RealtimeEvent event);
}

package dev.realtime.core;

/**
 * Decides whether a client may join a room when it asks to subscribe (and again when it resumes). Called on the
 * thread handling the subscribe; must be fast and thread-safe.
 *
 * @since 0.1
 */
@FunctionalInterface
public interface SubscriptionPolicy {

    /** Whether {@code client} may join {@code room}. */
    boolean mayJoin(Client client, String room);

    /** Lets everyone join every room: for development only. */
    static SubscriptionPolicy allowAll() {
        return (client, room) -> true;
    }
}

package dev.realtime.core;

/**
 * Sees every inbound event of a namespace, with or without a handler (Socket.IO's {@code socket.onAny}), before
 * its handler runs. Registered with {@link Namespace#onAny}; runs on the client's serial handler executor, in the
 * order events arrived. It cannot acknowledge; a failure is logged and does not stop the handler.
 *
 * @since 0.2
 */
@FunctionalInterface
public interface AnyListener {
    void onEvent(Client client, String event, Arguments args);
}

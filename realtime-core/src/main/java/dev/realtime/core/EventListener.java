package dev.realtime.core;

/**
 * Handles one inbound event with all its arguments (Socket.IO's {@code socket.on("ev", (a, b, cb) => ...)}),
 * registered with {@link Namespace#on(String, EventListener)}. For the common one-argument case,
 * {@link EventHandler} converts the first argument to a type.
 *
 * <p>Called on the hub's handler executor, after the handlers of earlier events of the same client (one client's
 * events are handled in order); never on a transport I/O thread. The return value is the acknowledgement, as for
 * {@link EventHandler}: an {@link Ack} for several values or none, any other object for one, a
 * {@link java.util.concurrent.CompletionStage} to answer later. Throwing {@link RealtimeException} answers with
 * its code.
 *
 * @since 0.2
 */
@FunctionalInterface
public interface EventListener {
    Object handle(Client client, Arguments args) throws Exception;
}

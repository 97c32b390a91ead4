package dev.realtime.core;

/**
 * Handles one inbound client event registered with {@link RealtimeHub#on}. The payload has already been
 * converted to the registered type by Jackson.
 *
 * <p>Called on the hub's handler executor, never on a transport I/O thread, so it may block briefly; long work
 * belongs on your own executor (return a {@link java.util.concurrent.CompletionStage}). The return value is the
 * acknowledgement sent back when the client asked for one ({@code null} acknowledges with no data); a
 * {@code CompletionStage} acknowledges when it completes. Throwing {@link RealtimeException} sends an
 * {@code error} with its code; any other exception sends {@code internal} and is logged.
 *
 * @param <T> payload type
 * @since 0.1
 */
@FunctionalInterface
public interface EventHandler<T> {
    Object handle(Client client, T payload) throws Exception;
}

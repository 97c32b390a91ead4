package dev.realtime.core;

/**
 * Decides whether a socket may connect to a namespace, before its connect listeners run (Socket.IO's
 * {@code namespace.use((socket, next) => ...)}). Middlewares run in registration order on the connection's serial
 * executor, never on a container I/O thread, so they may do blocking lookups briefly. Throwing
 * {@link RealtimeException} rejects the connection: Socket.IO clients get a {@code connect_error} whose
 * {@code message} is the exception's message and whose {@code data} is {@link RealtimeException#data()} (or
 * {@code {"code": ...}}); the socket's {@link Client#data()} may be filled for later handlers.
 *
 * @since 0.2
 */
@FunctionalInterface
public interface Middleware {
    void check(Client socket);
}

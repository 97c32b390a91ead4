package dev.realtime.core;

import java.util.Optional;

/**
 * The application's own check of an upgrade or polling handshake (Socket.IO's {@code allowRequest}), run by
 * {@link RealtimeHub#checkHandshake} after the hub's admission checks (origin, rates, connection limits) and
 * before the connection exists. Return a rejection to refuse with its HTTP status and body.
 *
 * <p>Called on the adapter's request thread for every handshake: keep it quick and free of blocking I/O.
 *
 * @since 0.2
 */
@FunctionalInterface
public interface HandshakeFilter {
    Optional<HandshakeRejection> check(Protocol protocol, Handshake handshake);
}

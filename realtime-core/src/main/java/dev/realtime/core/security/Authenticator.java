package dev.realtime.core.security;

/**
 * Turns a bearer token into a {@link Principal}. The hub finds the token in, by priority: the Socket.IO CONNECT
 * auth object ({@code {"token": "..."}}), the {@code Authorization: Bearer} header, the {@code ?token=} query
 * parameter, or a first native-protocol message {@code {"type":"auth","token":"..."}}.
 *
 * <p>{@link #authenticate} is called on the connection's serial executor over the hub's handler pool (never on
 * a container I/O thread), so it may fetch remote keys. {@link #authenticateLocally} is called on the adapter's
 * request thread during the handshake, to count connections per user: it must not block.
 *
 * @since 0.1
 */
@FunctionalInterface
public interface Authenticator {

    /**
     * @throws AuthenticationException when the token is not acceptable
     */
    Principal authenticate(String token);

    /**
     * Verifies a token without blocking I/O (local keys only), for the handshake's per-user admission; empty when
     * that is not possible (the handshake is then counted per client address, and the token is verified later by
     * {@link #authenticate}). The default is empty: a custom authenticator may do I/O.
     *
     * @throws AuthenticationException when the token is verifiably not acceptable
     * @since 0.2
     */
    default java.util.Optional<Principal> authenticateLocally(String token) {
        return java.util.Optional.empty();
    }
}

package dev.realtime.core.security;

/**
 * Turns a bearer token into a {@link Principal}. The hub finds the token in, by priority: the Socket.IO CONNECT
 * auth object ({@code {"token": "..."}}), the {@code Authorization: Bearer} header, the {@code ?token=} query
 * parameter, or a first native-protocol message {@code {"type":"auth","token":"..."}}.
 *
 * <p>Called on transport threads for every connection: implementations must be thread-safe and fast (verify
 * signatures locally; cache remote keys).
 *
 * @since 0.1
 */
@FunctionalInterface
public interface Authenticator {

    /**
     * @throws AuthenticationException when the token is not acceptable
     */
    Principal authenticate(String token);
}

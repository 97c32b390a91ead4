package dev.realtime.core.security;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Who is on the other end of a connection, as an {@link Authenticator} established it.
 *
 * @param userId    the user id (a JWT's {@code sub})
 * @param roles     roles, e.g. {@code admin}; never null
 * @param expiresAt when the credentials expire (the connection is closed then), or null for never
 * @param claims    every verified claim, for application rules
 * @since 0.1
 */
public record Principal(String userId, Set<String> roles, Instant expiresAt, Map<String, Object> claims) {
    public Principal {
        Objects.requireNonNull(userId, "userId");
        roles = Set.copyOf(roles);
        claims = claims == null ? Map.of() : Map.copyOf(claims);
    }

    public boolean hasRole(String role) {
        return roles.contains(role);
    }
}

package dev.realtime.core.interview;

import dev.realtime.core.security.Principal;
import java.util.Collection;
import java.util.Objects;

/**
 * Who takes part in which interview session: the application's source of truth for the join rule (by default a
 * user may join {@code session:{id}} only when the directory names it a participant, or when it has the admin
 * role; see {@link SessionAccess}).
 *
 * <p>Implementations: {@link #inMemory()} (participants registered by the application, e.g. when it schedules an
 * interview), {@link #fromClaim(String)} (the token lists the sessions its user may join), and
 * {@link #anyAuthenticatedUser()} (any user with a valid token; for demos and trusted deployments). An application
 * with its own database implements the one method.
 *
 * <p><b>Threads.</b> Called on the joining client's handler thread (and by the hub's room rules on subscribe and
 * recovery); it may do quick I/O. Implementations must be thread-safe.
 *
 * @since 0.2
 */
@FunctionalInterface
public interface SessionDirectory {

    /** Whether {@code principal} is a participant of {@code sessionId}. */
    boolean isParticipant(String sessionId, Principal principal);

    /** A directory in memory, empty at first: register participants with {@link InMemorySessionDirectory#add}. */
    static InMemorySessionDirectory inMemory() {
        return new InMemorySessionDirectory();
    }

    /** Every authenticated user is a participant of every session (isolation then rests on session ids). */
    static SessionDirectory anyAuthenticatedUser() {
        return (sessionId, principal) -> principal != null;
    }

    /**
     * The token's claim {@code claim} (a string or an array of strings) lists the sessions its user may join, e.g.
     * {@code "sessions": ["s-1", "s-2"]}.
     */
    static SessionDirectory fromClaim(String claim) {
        Objects.requireNonNull(claim, "claim");
        return (sessionId, principal) -> {
            if (principal == null) {
                return false;
            }
            Object v = principal.claims().get(claim);
            if (v instanceof String s) {
                return s.equals(sessionId);
            }
            return v instanceof Collection<?> c && c.contains(sessionId);
        };
    }
}

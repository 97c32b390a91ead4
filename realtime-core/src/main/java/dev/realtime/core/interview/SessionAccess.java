package dev.realtime.core.interview;

import dev.realtime.core.Client;
import dev.realtime.core.security.Principal;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiPredicate;

/**
 * The join rule for {@code session:{id}} rooms: the client's user is a participant in the
 * {@link SessionDirectory}, or has the admin role. Give the same instance to the hub and to the gateway, so that
 * a native client subscribing to {@code session:{id}} directly, and a Socket.IO session being recovered, are held
 * to the rule the gateway applies:
 *
 * <pre>{@code
 * SessionAccess access = SessionAccess.of(directory);
 * RealtimeHub hub = RealtimeHub.builder().authenticator(jwt).allowRooms(SessionAccess.PREFIX, access).build();
 * InterviewGateway gateway = InterviewGateway.builder(hub).access(access).build();
 * }</pre>
 * Without an authenticator (development mode) the hub lets everyone in and so does this rule.
 *
 * <p>Immutable and thread-safe; called on handler threads.
 *
 * @param directory who takes part in which session
 * @param adminRole the role that may join every session
 * @since 0.2
 */
public record SessionAccess(SessionDirectory directory, String adminRole) implements BiPredicate<Client, String> {
    /** The room prefix of interview sessions. */
    public static final String PREFIX = "session:";

    public SessionAccess {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(adminRole, "adminRole");
    }

    /** The rule over {@code directory} with the admin role {@code admin}. */
    public static SessionAccess of(SessionDirectory directory) {
        return new SessionAccess(directory, "admin");
    }

    /** Whether {@code principal} (null in development mode) may join the session. */
    public boolean mayJoin(Optional<Principal> principal, String sessionId, boolean authenticated) {
        if (principal.isEmpty()) {
            return !authenticated;
        }
        return principal.get().hasRole(adminRole) || directory.isParticipant(sessionId, principal.get());
    }

    @Override
    public boolean test(Client client, String room) {
        if (!room.startsWith(PREFIX)) {
            return false;
        }
        Optional<Principal> p = client.principal();
        return p.isPresent() && mayJoin(p, room.substring(PREFIX.length()), true);
    }
}

package dev.realtime.core.history;

import java.util.Objects;
import java.util.Set;

/**
 * What a disconnected Socket.IO socket leaves behind so that it can be recovered, on any node: its ids, its
 * namespace, its rooms and its user.
 *
 * @param pid       private session id the client presents
 * @param sid       the socket id, restored on recovery
 * @param namespace the namespace, e.g. {@code /jobs}
 * @param rooms     rooms the socket was in
 * @param userId    the authenticated user, or null; a recovery by another user is refused
 * @since 0.1
 */
public record RecoverySession(String pid, String sid, String namespace, Set<String> rooms, String userId) {
    public RecoverySession {
        Objects.requireNonNull(pid, "pid");
        Objects.requireNonNull(sid, "sid");
        Objects.requireNonNull(namespace, "namespace");
        rooms = Set.copyOf(rooms);
    }
}

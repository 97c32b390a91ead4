package dev.realtime.core.interview;

import dev.realtime.core.security.Principal;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link SessionDirectory} in memory: the application registers each session's participants (for a cluster, each
 * node's directory must be told, or use a shared implementation). Thread-safe.
 *
 * @since 0.2
 */
public final class InMemorySessionDirectory implements SessionDirectory {
    private final ConcurrentHashMap<String, Set<String>> participants = new ConcurrentHashMap<>();

    InMemorySessionDirectory() {
    }

    /** Adds participants (user ids) to a session; returns this directory. */
    public InMemorySessionDirectory add(String sessionId, String... userIds) {
        Objects.requireNonNull(sessionId, "sessionId");
        participants.computeIfAbsent(sessionId, k -> ConcurrentHashMap.newKeySet()).addAll(List.of(userIds));
        return this;
    }

    /** Removes a participant from a session (it may no longer join; members already in stay). */
    public void remove(String sessionId, String userId) {
        participants.computeIfPresent(sessionId, (k, v) -> {
            v.remove(userId);
            return v.isEmpty() ? null : v;
        });
    }

    /** The registered participants of a session (a copy). */
    public Set<String> participants(String sessionId) {
        return Set.copyOf(participants.getOrDefault(sessionId, Set.of()));
    }

    @Override
    public boolean isParticipant(String sessionId, Principal principal) {
        return principal != null && participants.getOrDefault(sessionId, Set.of()).contains(principal.userId());
    }
}

package dev.realtime.core.interview;

import java.time.Instant;
import java.util.Set;

/**
 * One session as this node sees it.
 *
 * @param sessionId        the id ({@code session:{id}} is its room)
 * @param participants     users present cluster-wide (the hub's presence, deduplicated per user)
 * @param localConnections connections of this node in the session
 * @param createdAt        when this node first saw the session
 * @param lastActivity     the last join, status, audio or transcription in it (on any node, as far as known)
 * @param status           the current status from the shared history, or null
 * @param audioChunks      chunks relayed by this node
 * @param audioBytes       bytes relayed by this node
 * @param transcriptions   final transcriptions produced by this node
 * @since 0.2
 */
public record SessionInfo(String sessionId, Set<String> participants, int localConnections, Instant createdAt,
                          Instant lastActivity, String status, long audioChunks, long audioBytes,
                          long transcriptions) {
}

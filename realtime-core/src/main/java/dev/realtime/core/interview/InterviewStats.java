package dev.realtime.core.interview;

/**
 * Counters of one node's {@link InterviewGateway} since it was built (gauges: {@code sessions}, {@code members}).
 *
 * @param sessions               sessions with state on this node
 * @param members                connections of this node in those sessions
 * @param chunksRelayed          {@code audio:stream} chunks relayed
 * @param bytesRelayed           audio bytes relayed (decoded)
 * @param chunksRejected         chunks refused with {@code audio:error}
 * @param transcriptions         final transcriptions produced
 * @param transcriptionFailures  requests answered with {@code transcription:error}
 * @param suggestions            {@code responses:suggestions} sent
 * @param sessionsCleanedUp      sessions removed by the idle cleanup
 * @since 0.2
 */
public record InterviewStats(int sessions, int members, long chunksRelayed, long bytesRelayed, long chunksRejected,
                             long transcriptions, long transcriptionFailures, long suggestions,
                             long sessionsCleanedUp) {
}

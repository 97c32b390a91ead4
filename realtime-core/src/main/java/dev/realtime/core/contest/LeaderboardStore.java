package dev.realtime.core.contest;

import java.util.List;
import java.util.Optional;

/**
 * Scores and ranks of contests: the one place that knows who answered what and who leads, shared by every node
 * of a cluster (see the Redis module's sorted-set implementation). The default is {@link #inMemory()}.
 *
 * <p><b>Order.</b> Higher score first; equal scores: whoever reached the score earlier (the elapsed time of the
 * last answer that scored) first; still equal: user ids in reverse code-point order. Implementations keep this
 * order with {@link #sortKey}, so every implementation ranks alike.
 *
 * <p><b>Contract.</b> {@link #submit} is atomic and idempotent per (contest, user, question): the first answer is
 * recorded and added to the score, a later one changes nothing and returns the first. Implementations are
 * thread-safe; failures are {@link dev.realtime.core.StoreException}s. Calls may do I/O: never call them under a
 * lock.
 *
 * @since 0.1
 */
public interface LeaderboardStore extends AutoCloseable {
    /** Milliseconds per score unit in {@link #sortKey}: the elapsed part must stay below it. */
    long TIME_SLOTS = 1_000_000_000L;
    /** The largest total score the sort key represents exactly (2^53 / {@link #TIME_SLOTS}). */
    long MAX_SCORE = (1L << 53) / TIME_SLOTS - 1;

    /**
     * Records {@code answer} for the user unless they already answered that question, and adds its points.
     *
     * @return the recorded answer (the first one for a duplicate), the new total and rank
     */
    Submission submit(String contestId, String userId, AnswerRecord answer);

    /** Puts the user on the board with 0 points if absent (a participant who joined); no effect otherwise. */
    void enter(String contestId, String userId);

    /** The first {@code limit} standings, best first. */
    List<Standing> top(String contestId, int limit);

    /** The user's standing, when on the board. */
    Optional<Standing> standing(String contestId, String userId);

    /** Users on the board. */
    long size(String contestId);

    /** Removes a contest's board and answers. */
    void delete(String contestId);

    /** Releases resources the store owns (a pool built from a URL); the default does nothing. */
    @Override
    default void close() {
    }

    /**
     * The single number the board sorts by (descending): {@code score * TIME_SLOTS + (TIME_SLOTS - 1 - reached)},
     * exact in a double for scores up to {@link #MAX_SCORE}.
     *
     * @param reachedMillis elapsed milliseconds when the score was reached, {@code 0..TIME_SLOTS-1}
     */
    static double sortKey(long score, long reachedMillis) {
        long reached = Math.max(0, Math.min(TIME_SLOTS - 1, reachedMillis));
        return (double) (Math.min(score, MAX_SCORE) * TIME_SLOTS + (TIME_SLOTS - 1 - reached));
    }

    /** The score part of a {@link #sortKey}. */
    static long scoreOf(double sortKey) {
        return (long) sortKey / TIME_SLOTS;
    }

    /** A board in this process's memory (one node and tests). */
    static LeaderboardStore inMemory() {
        return new InMemoryLeaderboardStore();
    }
}

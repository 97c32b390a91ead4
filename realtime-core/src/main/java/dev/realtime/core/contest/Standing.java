package dev.realtime.core.contest;

import java.util.Objects;

/**
 * One line of a leaderboard. Immutable.
 *
 * @param rank   1-based position; no two users share a rank (ties are broken, see {@link LeaderboardStore})
 * @param userId the participant
 * @param score  total points
 * @since 0.1
 */
public record Standing(int rank, String userId, long score) {
    public Standing {
        Objects.requireNonNull(userId, "userId");
        if (rank < 1) {
            throw new IllegalArgumentException("rank must be >= 1: " + rank);
        }
    }
}

package dev.realtime.core.contest;

import java.util.Objects;

/**
 * What {@link LeaderboardStore#submit} did. Immutable.
 *
 * @param answer    the recorded answer: this one, or for a duplicate the first one
 * @param duplicate whether the user had already answered this question (nothing changed)
 * @param score     the user's total after the call
 * @param rank      the user's 1-based rank after the call
 * @since 0.1
 */
public record Submission(AnswerRecord answer, boolean duplicate, long score, int rank) {
    public Submission {
        Objects.requireNonNull(answer, "answer");
    }
}

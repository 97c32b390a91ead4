package dev.realtime.core.contest;

import java.util.Objects;

/**
 * The scored result of one user's answer to one question, as first recorded. Immutable.
 *
 * @param questionId    the question
 * @param correct       whether the answer was right
 * @param points        points awarded (0 when wrong)
 * @param elapsedMillis server time from the contest's start to the answer's arrival
 * @since 0.1
 */
public record AnswerRecord(String questionId, boolean correct, long points, long elapsedMillis) {
    public AnswerRecord {
        Objects.requireNonNull(questionId, "questionId");
        if (points < 0 || elapsedMillis < 0) {
            throw new IllegalArgumentException("points and elapsedMillis must be >= 0");
        }
    }
}

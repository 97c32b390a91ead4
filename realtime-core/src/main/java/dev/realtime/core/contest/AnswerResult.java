package dev.realtime.core.contest;

/**
 * The acknowledgement of {@code contest:submit_answer} (also sent as {@code contest:answer_result}). For a
 * repeated submit it carries the first answer's result, with {@code duplicate} set. Immutable.
 *
 * @param status        always {@code "ok"} (refusals are {@code {status:"error", code, message}})
 * @param contestId     the contest
 * @param questionId    the question
 * @param correct       whether the (first) answer was right
 * @param points        points it scored
 * @param score         the user's total now
 * @param rank          the user's 1-based rank now
 * @param duplicate     whether this was a repeated submit
 * @param elapsedMillis server time from the contest's start to the (first) answer
 * @since 0.1
 */
public record AnswerResult(String status, String contestId, String questionId, boolean correct, long points,
                           long score, int rank, boolean duplicate, long elapsedMillis) {
}

package dev.realtime.core.quiz;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * Payload of {@code replace-question} (seed 001's question replacement): {@code {quizId, questionIndex,
 * instructions?}}.
 *
 * @param quizId        a stored quiz
 * @param questionIndex 0-based index into the quiz's questions
 * @param instructions  optional wishes for the new question (passed to generators that follow free text)
 * @since 0.1
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ReplaceQuestionRequest(String quizId, Integer questionIndex, String instructions) {
}

package dev.realtime.core.quiz;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * Payload of {@code cancel-quiz}: {@code {quizId}} as acknowledged for {@code generate-quiz}.
 *
 * @since 0.1
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CancelQuizRequest(String quizId) {
}

package dev.realtime.core.quiz;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * Payload of {@code generate-quiz} (seed 000): {@code {filename, options?}}.
 *
 * @param filename a name returned by {@link FileStore#save} (the upload endpoint)
 * @param options  may be {@code null}
 * @since 0.1
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record GenerateQuizRequest(String filename, QuizOptions options) {
}

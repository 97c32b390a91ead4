package dev.realtime.core.quiz;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.realtime.core.ErrorCode;
import java.util.Locale;

/**
 * The {@code options} of a {@code generate-quiz} request (seed 000). Every field may be {@code null} (absent);
 * {@link #normalized} fills in defaults and validates.
 *
 * @param questionsPerPage    questions wanted per page (default 3)
 * @param difficulty          {@code easy}, {@code medium}, {@code hard} or {@code mixed} (default)
 * @param includeExplanations whether questions carry explanations (default {@code true})
 * @param generateImages      whether page images are extracted and attached to questions (default {@code false})
 * @param language            language of the questions (default {@code English})
 * @since 0.1
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record QuizOptions(Integer questionsPerPage, String difficulty, Boolean includeExplanations,
                          Boolean generateImages, String language) {
    /** Questions per page when the request does not say. */
    public static final int DEFAULT_QUESTIONS_PER_PAGE = 3;

    /** All defaults. */
    public static QuizOptions defaults() {
        return new QuizOptions(null, null, null, null, null).normalized(QuestionRequest.MAX_COUNT);
    }

    /**
     * A copy with every field set.
     *
     * @param maxQuestionsPerPage upper bound for {@link #questionsPerPage}
     * @throws QuizException {@code bad_request} in stage {@code validation} for out-of-range values
     */
    public QuizOptions normalized(int maxQuestionsPerPage) {
        int count = questionsPerPage == null ? DEFAULT_QUESTIONS_PER_PAGE : questionsPerPage;
        if (count < 1 || count > maxQuestionsPerPage) {
            throw badRequest("questionsPerPage must be 1.." + maxQuestionsPerPage + ": " + count);
        }
        String d = difficulty == null || difficulty.isBlank() ? "mixed" : difficulty.trim().toLowerCase(Locale.ROOT);
        if (!QuestionRequest.DIFFICULTIES.contains(d)) {
            throw badRequest("difficulty must be easy, medium, hard or mixed: " + difficulty);
        }
        String lang = language == null || language.isBlank() ? "English" : language.trim();
        if (lang.length() > 40) {
            throw badRequest("language is too long");
        }
        return new QuizOptions(count, d, includeExplanations == null || includeExplanations,
                generateImages != null && generateImages, lang);
    }

    private static QuizException badRequest(String message) {
        return new QuizException(ErrorCode.BAD_REQUEST, "bad_request", QuizException.VALIDATION, message);
    }
}

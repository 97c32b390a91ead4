package dev.realtime.core.quiz;

import java.util.List;
import java.util.Objects;

/**
 * A question as it appears in a {@link Quiz} and in {@code question-generated} events: the generator's
 * {@link Question} plus where it came from. Immutable.
 *
 * @param id                 random id, stable for the question's life (a replacement gets a new one)
 * @param page               1-based source page
 * @param question           question text
 * @param options            four options in display order
 * @param correctAnswerIndex 0-based index of the correct option
 * @param explanation        may be empty
 * @param difficulty         {@code easy}, {@code medium} or {@code hard}
 * @param imageUrl           URL path of the page's image ({@code /api/files/...}), or {@code null}
 * @since 0.1
 */
public record QuizQuestion(String id, int page, String question, List<String> options, int correctAnswerIndex,
                           String explanation, String difficulty, String imageUrl) {
    public QuizQuestion {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(question, "question");
        options = List.copyOf(options);
        if (page < 1) {
            throw new IllegalArgumentException("page must be >= 1: " + page);
        }
        if (correctAnswerIndex < 0 || correctAnswerIndex >= options.size()) {
            throw new IllegalArgumentException("correctAnswerIndex out of range: " + correctAnswerIndex);
        }
        explanation = explanation == null ? "" : explanation;
    }

    /** Wraps a generated question. */
    public static QuizQuestion of(String id, int page, Question q, String imageUrl) {
        return new QuizQuestion(id, page, q.question(), q.options(), q.correctAnswerIndex(), q.explanation(),
                q.difficulty(), imageUrl);
    }
}

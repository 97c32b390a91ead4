package dev.realtime.core.quiz;

import java.util.List;
import java.util.Objects;

/**
 * A multiple-choice question. Generators in this package only return questions with exactly four distinct,
 * non-blank options and {@code 0 <= correctAnswerIndex < 4}. Immutable.
 *
 * @param question           the question text
 * @param options            the answer options, in display order
 * @param correctAnswerIndex 0-based index of the correct option
 * @param explanation        why the answer is right (may be empty when explanations were not requested)
 * @param difficulty         {@code easy}, {@code medium} or {@code hard}
 * @since 0.1
 */
public record Question(String question, List<String> options, int correctAnswerIndex, String explanation,
                       String difficulty) {
    public Question {
        Objects.requireNonNull(question, "question");
        options = List.copyOf(options);
        explanation = explanation == null ? "" : explanation;
        Objects.requireNonNull(difficulty, "difficulty");
        if (correctAnswerIndex < 0 || correctAnswerIndex >= options.size()) {
            throw new IllegalArgumentException("correctAnswerIndex " + correctAnswerIndex + " out of range for "
                    + options.size() + " options");
        }
    }

    /** The text of the correct option. */
    public String correctAnswer() {
        return options.get(correctAnswerIndex);
    }
}

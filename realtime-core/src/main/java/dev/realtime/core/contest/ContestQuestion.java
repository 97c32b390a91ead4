package dev.realtime.core.contest;

import dev.realtime.core.quiz.Question;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One question of a contest. {@link #participantView()} is what participants see: never the correct answer nor
 * the explanation. Immutable.
 *
 * @param id                 unique within the contest, e.g. {@code q1}
 * @param question           the question text
 * @param options            the answer options, in display order (at least two)
 * @param correctAnswerIndex 0-based index of the correct option
 * @param points             points for a correct answer at the very start of the contest (1..100,000)
 * @param difficulty         {@code easy}, {@code medium} or {@code hard}
 * @param explanation        why the answer is right (may be empty)
 * @since 0.1
 */
public record ContestQuestion(String id, String question, List<String> options, int correctAnswerIndex, int points,
                              String difficulty, String explanation) {
    /** Largest {@link #points()} a question may carry. */
    public static final int MAX_POINTS = 100_000;

    public ContestQuestion {
        Objects.requireNonNull(id, "id");
        if (id.isBlank() || id.length() > 64) {
            throw new IllegalArgumentException("question id must be 1..64 characters");
        }
        Objects.requireNonNull(question, "question");
        options = List.copyOf(options);
        if (options.size() < 2) {
            throw new IllegalArgumentException("a question needs at least two options");
        }
        if (correctAnswerIndex < 0 || correctAnswerIndex >= options.size()) {
            throw new IllegalArgumentException("correctAnswerIndex out of range: " + correctAnswerIndex);
        }
        if (points < 1 || points > MAX_POINTS) {
            throw new IllegalArgumentException("points must be 1.." + MAX_POINTS + ": " + points);
        }
        difficulty = difficulty == null ? "medium" : difficulty;
        explanation = explanation == null ? "" : explanation;
    }

    /** A contest question from a generated one. */
    public static ContestQuestion of(String id, Question q, int points) {
        return new ContestQuestion(id, q.question(), q.options(), q.correctAnswerIndex(), points, q.difficulty(),
                q.explanation());
    }

    /**
     * Whether {@code answer} is correct: the option's index (a number or a numeric string) or the option's text
     * (trimmed, case-insensitive).
     */
    public boolean isCorrect(Object answer) {
        if (answer instanceof Number n) {
            return n.doubleValue() == correctAnswerIndex;
        }
        if (answer instanceof String s) {
            String t = s.trim();
            if (t.equalsIgnoreCase(options.get(correctAnswerIndex).trim())) {
                return true;
            }
            return t.matches("\\d{1,3}") && Integer.parseInt(t) == correctAnswerIndex
                    && options.stream().noneMatch(o -> o.trim().equalsIgnoreCase(t));
        }
        return false;
    }

    /** The question as participants see it: id, text, options, points, difficulty; no answer. */
    public Map<String, Object> participantView() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("question", question);
        m.put("options", options);
        m.put("points", points);
        m.put("difficulty", difficulty);
        return m;
    }
}

package dev.realtime.core.quiz;

import java.util.Locale;
import java.util.Set;

/**
 * What to generate questions about. Immutable; the constructor validates and normalises.
 *
 * @param text                source material: a page's text, or a topic description
 * @param count               number of questions wanted, 1..50
 * @param difficulty          {@code easy}, {@code medium}, {@code hard} or {@code mixed} (case-insensitive;
 *                            {@code null} = {@code mixed})
 * @param includeExplanations whether each question must carry an explanation
 * @param language            language of the questions, e.g. {@code English} or {@code de} ({@code null} = English)
 * @param subject             optional subject/topic hint (e.g. {@code Biology}), or {@code null}
 * @param instructions        optional extra instructions from a person (e.g. when replacing a question: "ask about
 *                            the date instead"), or {@code null}; generators that cannot follow free text ignore it
 * @since 0.1
 */
public record QuestionRequest(String text, int count, String difficulty, boolean includeExplanations,
                              String language, String subject, String instructions) {
    /** Accepted difficulty values. */
    public static final Set<String> DIFFICULTIES = Set.of("easy", "medium", "hard", "mixed");
    /** Upper bound of {@link #count()}. */
    public static final int MAX_COUNT = 50;

    public QuestionRequest {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("text must not be blank");
        }
        if (count < 1 || count > MAX_COUNT) {
            throw new IllegalArgumentException("count must be in 1.." + MAX_COUNT + ": " + count);
        }
        difficulty = difficulty == null ? "mixed" : difficulty.trim().toLowerCase(Locale.ROOT);
        if (!DIFFICULTIES.contains(difficulty)) {
            throw new IllegalArgumentException("difficulty must be one of " + DIFFICULTIES + ": " + difficulty);
        }
        language = language == null || language.isBlank() ? "English" : language.trim();
        subject = subject == null || subject.isBlank() ? null : subject.trim();
        instructions = instructions == null || instructions.isBlank() ? null : instructions.trim();
    }

    /** A request without extra instructions. */
    public QuestionRequest(String text, int count, String difficulty, boolean includeExplanations, String language,
                           String subject) {
        this(text, count, difficulty, includeExplanations, language, subject, null);
    }

    /** {@code count} mixed-difficulty questions with explanations, in English. */
    public static QuestionRequest of(String text, int count) {
        return new QuestionRequest(text, count, "mixed", true, null, null);
    }
}

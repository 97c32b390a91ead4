package dev.realtime.core.quiz;

import java.util.Optional;

/**
 * Stores generated quizzes. The default is {@link #inMemory()}; a cluster uses a shared store (Redis module).
 *
 * <p>Implementations are thread-safe; {@link #replaceQuestion} is atomic with respect to other replacements of
 * the same quiz. Failures other than "not found" are {@link dev.realtime.core.StoreException}s.
 *
 * @since 0.1
 */
public interface QuizStore {

    /** Inserts or overwrites a quiz (by id) and indexes its magic token. */
    void save(Quiz quiz);

    /** The quiz with this id. */
    Optional<Quiz> byId(String quizId);

    /** The quiz whose {@link Quiz#magicToken()} is {@code token}. */
    Optional<Quiz> byMagicToken(String token);

    /**
     * Replaces one question and returns the updated quiz.
     *
     * @throws QuizException {@code not_found} for an unknown quiz, {@code bad_request} for an index out of range
     */
    Quiz replaceQuestion(String quizId, int index, QuizQuestion question);

    /** A store in this process's memory (unbounded; for one node and tests). */
    static QuizStore inMemory() {
        return new InMemoryQuizStore();
    }
}

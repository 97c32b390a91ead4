package dev.realtime.core.quiz;

import java.util.List;

/**
 * Writes multiple-choice questions from source text.
 *
 * <p>{@link #generate} blocks (an implementation may call a remote model for tens of seconds): call it on a
 * pipeline/worker executor, never on a WebSocket or other I/O thread. Implementations are thread-safe.
 *
 * @since 0.1
 */
@FunctionalInterface
public interface QuestionGenerator {

    /**
     * Generates up to {@code request.count()} questions.
     *
     * @return valid questions (four distinct options, index in range), at most {@code count}; fewer when the source
     *         does not support more. Never {@code null}.
     * @throws QuestionGenerationException when no question could be produced
     */
    List<Question> generate(QuestionRequest request);
}

package dev.realtime.core.quiz;

import dev.realtime.core.ErrorCode;
import dev.realtime.core.RealtimeException;

/**
 * A {@link QuestionGenerator} could not produce questions. The {@link #code()} tells the client whether retrying
 * later may help ({@link ErrorCode#RATE_LIMITED}, {@link ErrorCode#UNAVAILABLE}) or not
 * ({@link ErrorCode#BAD_REQUEST}, e.g. a refused prompt).
 *
 * @since 0.1
 */
public class QuestionGenerationException extends RealtimeException {
    private static final long serialVersionUID = 1L;

    public QuestionGenerationException(ErrorCode code, String message) {
        super(code, message);
    }

    public QuestionGenerationException(ErrorCode code, String message, Throwable cause) {
        super(code, message, cause);
    }
}

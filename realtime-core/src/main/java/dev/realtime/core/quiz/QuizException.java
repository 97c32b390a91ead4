package dev.realtime.core.quiz;

import dev.realtime.core.ErrorCode;
import dev.realtime.core.RealtimeException;
import java.util.Objects;

/**
 * A quiz generation or file operation failed. Besides the hub-wide {@link #code()} it carries the seed's
 * {@code quiz-error} fields: a specific {@link #error()} code ({@code not_found}, {@code not_pdf},
 * {@code encrypted}, {@code corrupt}, {@code too_many_pages}, {@code too_large}, {@code bad_request},
 * {@code no_questions}, {@code cancelled}, {@code internal}, ...) and the {@link #stage()} it happened in
 * ({@code validation}, {@code extraction}, {@code generation}, {@code finalization}).
 *
 * @since 0.1
 */
public class QuizException extends RealtimeException {
    private static final long serialVersionUID = 1L;

    /** Stage: checking the request and the file, before any work. */
    public static final String VALIDATION = "validation";
    /** Stage: reading pages out of the PDF. */
    public static final String EXTRACTION = "extraction";
    /** Stage: generating questions. */
    public static final String GENERATION = "generation";
    /** Stage: metadata, storing, completing. */
    public static final String FINALIZATION = "finalization";

    private final String error;
    private final String stage;

    public QuizException(ErrorCode code, String error, String stage, String message) {
        this(code, error, stage, message, null);
    }

    public QuizException(ErrorCode code, String error, String stage, String message, Throwable cause) {
        super(code, message, cause);
        this.error = Objects.requireNonNull(error, "error");
        this.stage = Objects.requireNonNull(stage, "stage");
    }

    /** A validation failure: {@code error} is one of the documented file codes. */
    public static QuizException validation(String error, String message) {
        ErrorCode code = switch (error) {
            case "not_found" -> ErrorCode.NOT_FOUND;
            case "too_large", "too_many_pages" -> ErrorCode.TOO_LARGE;
            default -> ErrorCode.BAD_REQUEST;
        };
        return new QuizException(code, error, VALIDATION, message);
    }

    /** The specific error code sent as {@code quiz-error.error}. */
    public String error() {
        return error;
    }

    /** The stage sent as {@code quiz-error.stage}. */
    public String stage() {
        return stage;
    }
}

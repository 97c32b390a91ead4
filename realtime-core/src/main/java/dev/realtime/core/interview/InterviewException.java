package dev.realtime.core.interview;

import dev.realtime.core.ErrorCode;
import dev.realtime.core.RealtimeException;
import java.util.Objects;

/**
 * A refused interview request or a failed transcription, with the specific {@link #reason()} clients see as
 * {@code code} in {@code session:error}, {@code audio:error} and {@code transcription:error}, besides the generic
 * {@link #code()}.
 *
 * <p>Reasons: {@code bad_request}, {@code forbidden}, {@code not_joined}, {@code invalid_status},
 * {@code too_large}, {@code rate_limited}, {@code unsupported_format}, {@code unavailable} (no transcriber or LLM
 * can serve; the message says how to enable one), {@code timeout}, {@code busy} (transcription queue full),
 * {@code failed}.
 *
 * @since 0.2
 */
public class InterviewException extends RealtimeException {
    private static final long serialVersionUID = 1L;

    private final String reason;

    public InterviewException(String reason, String message) {
        super(codeOf(reason), message);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public InterviewException(String reason, String message, Throwable cause) {
        super(codeOf(reason), message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /** The specific code, e.g. {@code not_joined}. */
    public String reason() {
        return reason;
    }

    private static ErrorCode codeOf(String reason) {
        return switch (reason) {
            case "forbidden", "not_joined" -> ErrorCode.FORBIDDEN;
            case "too_large" -> ErrorCode.TOO_LARGE;
            case "rate_limited", "busy" -> ErrorCode.RATE_LIMITED;
            case "unavailable", "timeout" -> ErrorCode.UNAVAILABLE;
            case "failed" -> ErrorCode.INTERNAL;
            default -> ErrorCode.BAD_REQUEST;
        };
    }
}

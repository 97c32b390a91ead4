package dev.realtime.core.contest;

import dev.realtime.core.ErrorCode;
import dev.realtime.core.RealtimeException;
import java.util.Objects;

/**
 * A refused contest request, with a specific {@link #reason()} that clients see as {@code code} (in an answer's
 * acknowledgement, in {@code contest:error}, in a REST error body) besides the generic {@link #code()}.
 *
 * <p>Reasons: {@code bad_request}, {@code unauthorized}, {@code contest_not_found}, {@code unknown_question},
 * {@code not_registered}, {@code contest_not_started}, {@code contest_ended}, {@code registration_closed}.
 *
 * @since 0.1
 */
public class ContestException extends RealtimeException {
    private static final long serialVersionUID = 1L;

    private final String reason;

    public ContestException(String reason, String message) {
        super(codeOf(reason), message);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /** The specific code, e.g. {@code contest_ended}. */
    public String reason() {
        return reason;
    }

    private static ErrorCode codeOf(String reason) {
        return switch (reason) {
            case "contest_not_found", "unknown_question" -> ErrorCode.NOT_FOUND;
            case "not_registered", "contest_not_started", "contest_ended", "registration_closed" -> ErrorCode.FORBIDDEN;
            case "unauthorized" -> ErrorCode.UNAUTHORIZED;
            default -> ErrorCode.BAD_REQUEST;
        };
    }
}

package dev.realtime.core.llm;

import dev.realtime.core.ErrorCode;
import dev.realtime.core.RealtimeException;

import java.time.Instant;
import java.util.Optional;

/**
 * Every key of an {@link ApiKeyPool} is blocked or cooling beyond the allowed wait. {@link #earliestRetryAt()} is
 * when the first cooling key becomes usable again (usable as a {@code Retry-After}); empty when every key is
 * permanently blocked.
 *
 * @since 0.1
 */
public class NoKeyAvailableException extends RealtimeException {
    private static final long serialVersionUID = 1L;

    private final Instant earliestRetryAt;

    public NoKeyAvailableException(Instant earliestRetryAt, String message, Throwable cause) {
        super(ErrorCode.RATE_LIMITED, message, cause);
        this.earliestRetryAt = earliestRetryAt;
    }

    /** When a key is expected to be usable again; empty if all keys are blocked permanently. */
    public Optional<Instant> earliestRetryAt() {
        return Optional.ofNullable(earliestRetryAt);
    }
}

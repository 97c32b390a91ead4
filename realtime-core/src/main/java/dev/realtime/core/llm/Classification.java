package dev.realtime.core.llm;

import java.time.Duration;
import java.util.Objects;

/**
 * The outcome of classifying one failed call.
 *
 * @param errorClass the class, which fixes penalty and action
 * @param retryDelay server-suggested delay ({@code RetryInfo}, "Please retry in Xs", or {@code Retry-After}), or
 *                   {@code null}
 * @param reason     short human-readable cause for statistics and logs (never contains the key)
 * @since 0.1
 */
public record Classification(ErrorClass errorClass, Duration retryDelay, String reason) {
    public Classification {
        Objects.requireNonNull(errorClass, "errorClass");
        reason = reason == null ? errorClass.name() : reason;
    }

    /** A classification without retry delay. */
    public static Classification of(ErrorClass errorClass, String reason) {
        return new Classification(errorClass, null, reason);
    }
}

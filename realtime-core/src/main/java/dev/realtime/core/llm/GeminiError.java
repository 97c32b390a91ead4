package dev.realtime.core.llm;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A parsed {@code google.rpc.Status} error envelope ({@code {"error":{code,message,status,details}}}). Only the
 * details a rotating client acts on are extracted: {@code ErrorInfo} (reason, domain, metadata),
 * {@code QuotaFailure} violations and {@code RetryInfo.retryDelay}. Immutable.
 *
 * @param httpStatus  the HTTP status of the response
 * @param status      canonical code such as {@code RESOURCE_EXHAUSTED}; {@code null} if the body was not an envelope
 * @param message     human-readable message, or the raw body (truncated) if it was not an envelope
 * @param reason      {@code ErrorInfo.reason} such as {@code API_KEY_INVALID}, or {@code null}
 * @param retryDelay  {@code RetryInfo.retryDelay}, or {@code null}
 * @param detailTypes short type names of all {@code details} entries, e.g. {@code ErrorInfo}, {@code Help}
 * @since 0.1
 */
public record GeminiError(int httpStatus, String status, String message, String reason,
                          Map<String, String> metadata, List<QuotaViolation> quotaViolations, Duration retryDelay,
                          Set<String> detailTypes) {
    public GeminiError {
        message = message == null ? "" : message;
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
        quotaViolations = quotaViolations == null ? List.of() : List.copyOf(quotaViolations);
        detailTypes = detailTypes == null ? Set.of() : Set.copyOf(detailTypes);
    }

    /**
     * Parses an error body. Never fails: a body that is not a JSON envelope yields an error with only
     * {@code httpStatus} and {@code message} set. Accepts an envelope wrapped in an array ({@code [{"error":...}]}).
     */
    public static GeminiError parse(int httpStatus, String body) {
        return GeminiJson.parseError(httpStatus, body);
    }

    /**
     * Parses a protobuf JSON {@code Duration} such as {@code "38s"} or {@code "45.837906927s"}.
     *
     * @return the duration, or {@code null} when {@code text} is not a valid duration
     */
    public static Duration parseProtoDuration(String text) {
        if (text == null) {
            return null;
        }
        String t = text.trim();
        if (!t.endsWith("s") || t.length() < 2) {
            return null;
        }
        try {
            java.math.BigDecimal seconds = new java.math.BigDecimal(t.substring(0, t.length() - 1));
            if (seconds.signum() < 0) {
                return null;
            }
            long whole = seconds.longValue();
            long nanos = seconds.subtract(java.math.BigDecimal.valueOf(whole)).movePointRight(9).longValue();
            return Duration.ofSeconds(whole, nanos);
        } catch (NumberFormatException | ArithmeticException e) {
            return null;
        }
    }

    /** True when any quota violation is per-day. */
    public boolean hasPerDayViolation() {
        return quotaViolations.stream().anyMatch(QuotaViolation::perDay);
    }

    /** True when any quota violation is per-minute. */
    public boolean hasPerMinuteViolation() {
        return quotaViolations.stream().anyMatch(QuotaViolation::perMinute);
    }
}

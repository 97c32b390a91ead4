package dev.realtime.core.llm;

import dev.realtime.core.ErrorCode;

import java.time.Duration;

/**
 * The API answered with a non-2xx status. {@link #error()} holds the parsed envelope; how a rotating client reacts
 * is decided by {@link ErrorClassifier}. The {@link #code()} is chosen for the end user: key and quota problems are
 * the operator's, so they surface as {@link ErrorCode#UNAVAILABLE} or {@link ErrorCode#RATE_LIMITED}, not as a bad
 * request.
 *
 * @since 0.1
 */
public class GeminiApiException extends GeminiException {
    private static final long serialVersionUID = 1L;

    private final transient GeminiError error;
    private final Duration retryAfterHeader;

    /**
     * @param error            the parsed error body
     * @param retryAfterHeader the {@code Retry-After} header if present (Gemini normally omits it), else {@code null}
     */
    public GeminiApiException(GeminiError error, Duration retryAfterHeader) {
        super(codeFor(error), "Gemini API error " + error.httpStatus()
                + (error.status() == null ? "" : " " + error.status())
                + (error.reason() == null ? "" : " (" + error.reason() + ")") + ": " + error.message());
        this.error = error;
        this.retryAfterHeader = retryAfterHeader;
    }

    /** HTTP status code. */
    public int httpStatus() {
        return error.httpStatus();
    }

    /** The parsed error envelope. */
    public GeminiError error() {
        return error;
    }

    /** The {@code Retry-After} header, or {@code null}. */
    public Duration retryAfterHeader() {
        return retryAfterHeader;
    }

    private static ErrorCode codeFor(GeminiError e) {
        if (e.reason() != null && e.reason().startsWith("API_KEY")) {
            return ErrorCode.UNAVAILABLE;
        }
        int s = e.httpStatus();
        if (s == 401 || s == 403) {
            return ErrorCode.UNAVAILABLE;
        }
        if (s == 404) {
            return ErrorCode.NOT_FOUND;
        }
        if (s == 413) {
            return ErrorCode.TOO_LARGE;
        }
        if (s == 429) {
            return ErrorCode.RATE_LIMITED;
        }
        if (s >= 400 && s < 500) {
            return ErrorCode.BAD_REQUEST;
        }
        return ErrorCode.UNAVAILABLE;
    }
}

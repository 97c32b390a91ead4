package dev.realtime.core.llm;

import dev.realtime.core.ErrorCode;

/**
 * The call did not produce an HTTP response: request timeout, connection failure, broken stream, or the calling
 * thread was interrupted (the interrupt flag is restored before this is thrown).
 *
 * @since 0.1
 */
public class GeminiTransportException extends GeminiException {
    private static final long serialVersionUID = 1L;

    /** What went wrong. */
    public enum Kind {
        /** No response within the request timeout. */
        TIMEOUT,
        /** Connection refused/reset, or an I/O error while reading. */
        IO,
        /** The calling thread was interrupted; never retried. */
        INTERRUPTED
    }

    private final Kind kind;

    public GeminiTransportException(Kind kind, String message, Throwable cause) {
        super(kind == Kind.INTERRUPTED ? ErrorCode.INTERNAL : ErrorCode.UNAVAILABLE, message, cause);
        this.kind = kind;
    }

    /** The failure kind. */
    public Kind kind() {
        return kind;
    }
}

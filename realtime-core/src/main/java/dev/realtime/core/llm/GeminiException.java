package dev.realtime.core.llm;

import dev.realtime.core.ErrorCode;
import dev.realtime.core.RealtimeException;

/**
 * Base of every failure raised by {@link GeminiClient}: HTTP errors ({@link GeminiApiException}), transport
 * failures ({@link GeminiTransportException}) and unusable 200 responses ({@link GeminiContentException}).
 *
 * @since 0.1
 */
public class GeminiException extends RealtimeException {
    private static final long serialVersionUID = 1L;

    public GeminiException(ErrorCode code, String message) {
        super(code, message);
    }

    public GeminiException(ErrorCode code, String message, Throwable cause) {
        super(code, message, cause);
    }
}

package dev.realtime.core.llm;

import dev.realtime.core.ErrorCode;

/**
 * HTTP 200, but the response carries no usable content. The key worked, so these never penalise it.
 *
 * @since 0.1
 */
public abstract class GeminiContentException extends GeminiException {
    private static final long serialVersionUID = 1L;

    private final transient GenerateContentResponse response;

    protected GeminiContentException(ErrorCode code, String message, GenerateContentResponse response) {
        super(code, message);
        this.response = response;
    }

    /** The (possibly aggregated streamed) response that was rejected. */
    public GenerateContentResponse response() {
        return response;
    }
}

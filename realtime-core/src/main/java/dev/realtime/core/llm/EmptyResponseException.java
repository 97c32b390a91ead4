package dev.realtime.core.llm;

import dev.realtime.core.ErrorCode;

/**
 * No candidates, or a candidate without content and without a filter reason (e.g. finishReason {@code OTHER}).
 *
 * @since 0.1
 */
public class EmptyResponseException extends GeminiContentException {
    private static final long serialVersionUID = 1L;

    private final String finishReason;

    public EmptyResponseException(String finishReason, GenerateContentResponse response) {
        super(ErrorCode.UNAVAILABLE, "Gemini returned no content" + (finishReason == null ? ""
                : " (finishReason " + finishReason + ")"), response);
        this.finishReason = finishReason;
    }

    /** The finish reason, or {@code null} when there was no candidate. */
    public String finishReason() {
        return finishReason;
    }
}

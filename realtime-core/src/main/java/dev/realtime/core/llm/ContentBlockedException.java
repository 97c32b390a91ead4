package dev.realtime.core.llm;

import dev.realtime.core.ErrorCode;

/**
 * The prompt was refused ({@code promptFeedback.blockReason}, no candidates) or the output was stopped by a filter
 * (finishReason {@code SAFETY}, {@code RECITATION}, {@code BLOCKLIST}, {@code PROHIBITED_CONTENT}, {@code SPII},
 * {@code IMAGE_SAFETY}...). Retrying the same prompt rarely helps.
 *
 * @since 0.1
 */
public class ContentBlockedException extends GeminiContentException {
    private static final long serialVersionUID = 1L;

    private final String reason;
    private final boolean promptBlocked;

    public ContentBlockedException(String reason, boolean promptBlocked, GenerateContentResponse response) {
        super(ErrorCode.BAD_REQUEST, (promptBlocked ? "Prompt blocked by Gemini: " : "Output stopped by Gemini: ")
                + reason, response);
        this.reason = reason;
        this.promptBlocked = promptBlocked;
    }

    /** The block reason or finish reason, e.g. {@code SAFETY}. */
    public String reason() {
        return reason;
    }

    /** True when the prompt itself was refused; false when the output was filtered. */
    public boolean promptBlocked() {
        return promptBlocked;
    }
}

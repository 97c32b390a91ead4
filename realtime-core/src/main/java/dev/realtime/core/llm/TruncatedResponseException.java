package dev.realtime.core.llm;

import dev.realtime.core.ErrorCode;

/**
 * Generation stopped at {@code maxOutputTokens} (finishReason {@code MAX_TOKENS}). The partial text is available
 * through {@link #response()}; structured JSON output is then truncated and invalid. Retry with a higher token
 * limit or a smaller task.
 *
 * @since 0.1
 */
public class TruncatedResponseException extends GeminiContentException {
    private static final long serialVersionUID = 1L;

    public TruncatedResponseException(GenerateContentResponse response) {
        super(ErrorCode.UNAVAILABLE, "Gemini output truncated (finishReason MAX_TOKENS)", response);
    }
}

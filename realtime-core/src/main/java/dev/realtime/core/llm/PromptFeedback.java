package dev.realtime.core.llm;

/**
 * Feedback on the prompt; {@code blockReason} is non-null when the prompt was refused (HTTP 200 without
 * candidates), e.g. {@code SAFETY}, {@code OTHER}, {@code BLOCKLIST}, {@code PROHIBITED_CONTENT}.
 *
 * @since 0.1
 */
public record PromptFeedback(String blockReason) {
}

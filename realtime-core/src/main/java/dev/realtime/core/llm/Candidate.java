package dev.realtime.core.llm;

/**
 * One generated candidate. {@code content} may be {@code null} when generation stopped early (e.g.
 * {@code finishReason} {@code MAX_TOKENS} or {@code OTHER}); {@code finishReason} is {@code null} on
 * intermediate stream chunks.
 *
 * @since 0.1
 */
public record Candidate(Content content, String finishReason, int index) {
    /** The candidate's text, or an empty string when it has no content. */
    public String text() {
        return content == null ? "" : content.text();
    }
}

package dev.realtime.core.llm;

/**
 * Token accounting of a response ({@code usageMetadata}). In a stream the values are cumulative; the last chunk's
 * values are the totals.
 *
 * @since 0.1
 */
public record UsageMetadata(int promptTokenCount, int candidatesTokenCount, int thoughtsTokenCount,
                            int totalTokenCount) {
    /** All counts zero (response without usage metadata). */
    public static final UsageMetadata EMPTY = new UsageMetadata(0, 0, 0, 0);

    /** Output tokens billed: candidates plus thinking tokens. */
    public int outputTokenCount() {
        return candidatesTokenCount + thoughtsTokenCount;
    }
}

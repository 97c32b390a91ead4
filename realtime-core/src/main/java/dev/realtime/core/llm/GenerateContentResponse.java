package dev.realtime.core.llm;

import java.util.List;

/**
 * A {@code GenerateContentResponse}, or one chunk of a stream (same shape). Immutable.
 *
 * @param candidates     possibly empty, never {@code null}
 * @param promptFeedback {@code null} when absent
 * @param usageMetadata  {@link UsageMetadata#EMPTY} when absent
 * @since 0.1
 */
public record GenerateContentResponse(List<Candidate> candidates, PromptFeedback promptFeedback,
                                      UsageMetadata usageMetadata, String modelVersion, String responseId) {
    public GenerateContentResponse {
        candidates = candidates == null ? List.of() : List.copyOf(candidates);
        usageMetadata = usageMetadata == null ? UsageMetadata.EMPTY : usageMetadata;
    }

    /** Text of the first candidate, or an empty string. Structured (JSON) output arrives here as a string. */
    public String text() {
        return candidates.isEmpty() ? "" : candidates.get(0).text();
    }

    /** Finish reason of the first candidate, or {@code null}. */
    public String finishReason() {
        return candidates.isEmpty() ? null : candidates.get(0).finishReason();
    }
}

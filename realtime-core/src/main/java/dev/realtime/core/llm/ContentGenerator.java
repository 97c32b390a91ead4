package dev.realtime.core.llm;

import java.util.function.Consumer;

/**
 * Something that answers Gemini {@code generateContent} requests: a single key
 * ({@link GeminiClient#forKey(String)}) or a rotating pool ({@link GeminiKeyRotatingClient}).
 *
 * <p>Calls block the calling thread until the response (or the whole stream) is complete; run them on a worker
 * executor, never on an I/O thread. Implementations are thread-safe.
 *
 * @since 0.1
 */
public interface ContentGenerator {

    /**
     * Generates content.
     *
     * @return a response with at least one candidate with content and a non-filtered finish reason
     * @throws ContentBlockedException     prompt or output blocked
     * @throws TruncatedResponseException  finishReason {@code MAX_TOKENS}
     * @throws EmptyResponseException      no usable candidate
     * @throws GeminiException             API or transport failure (after the implementation's retries)
     * @throws NoKeyAvailableException     a pool had no usable key
     */
    GenerateContentResponse generateContent(GenerateContentRequest request);

    /**
     * Streams content over server-sent events, calling {@code onChunk} on the calling thread for every chunk in
     * order, and returns the aggregate (concatenated text, last finish reason, last cumulative usage). Content
     * checks as in {@link #generateContent} are applied to the aggregate after the stream ends.
     */
    GenerateContentResponse streamGenerateContent(GenerateContentRequest request,
                                                  Consumer<GenerateContentResponse> onChunk);
}

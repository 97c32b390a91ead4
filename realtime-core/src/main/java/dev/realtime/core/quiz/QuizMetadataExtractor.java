package dev.realtime.core.quiz;

import java.util.List;

/**
 * Derives a quiz's title, description and topics. The default, {@link #fromText()}, is deterministic and works
 * offline.
 *
 * <p>Implementations are thread-safe and may block (an LLM-backed one would); they are called on the pipeline
 * executor.
 *
 * @since 0.1
 */
@FunctionalInterface
public interface QuizMetadataExtractor {

    /**
     * @param pageTexts  the text of every page, in order (empty strings for pages without text)
     * @param questions  the generated questions
     * @param sourceName the stored file name (fallback title material)
     */
    QuizMetadata extract(List<String> pageTexts, List<QuizQuestion> questions, String sourceName);

    /**
     * Title: the first heading-like line (3-120 characters, not a sentence) of the first page with text, else its
     * first sentence, else "Quiz"; description: the first two sentences after the title (at most 240 characters);
     * topics: the five most frequent content words of five or more letters (ties by first appearance).
     */
    static QuizMetadataExtractor fromText() {
        return new TextMetadataExtractor();
    }
}

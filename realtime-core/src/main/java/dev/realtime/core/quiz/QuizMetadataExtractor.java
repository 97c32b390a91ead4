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
     * Derives everything from the document's topic terms (noun phrases and names ranked by how often their nouns
     * recur, see the offline generator), never from its first sentence. Title: the first heading-like line (3-120
     * characters, not a sentence) of the first page with text, else the main topics of up to three pages ("The water
     * cycle, tectonic plates and the heart"), else "Quiz"; description: "Questions about ..., including ..." (at most
     * 240 characters); topics: the five best-ranked topic terms. A long document is sampled: at most 20 pages with
     * text, spread evenly over it.
     */
    static QuizMetadataExtractor fromText() {
        return new TextMetadataExtractor();
    }
}

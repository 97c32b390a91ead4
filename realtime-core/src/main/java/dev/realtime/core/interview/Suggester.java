package dev.realtime.core.interview;

import java.util.Objects;
import org.slf4j.LoggerFactory;

/**
 * Answer suggestions for the interviewee after a final transcription, the SPI behind {@code responses:suggestions}.
 * Implementations: {@link GeminiSuggester} (the LLM through the key pool), {@link OfflineSuggester} (rules, no
 * key), and {@link #withFallback}.
 *
 * <p><b>Threads.</b> {@link #suggest} may block (an HTTP call); it is only called on the gateway's transcription
 * workers, possibly concurrently. Implementations must be thread-safe.
 *
 * @since 0.2
 */
public interface Suggester {

    /** A short name, sent as the suggestions' {@code source}. */
    String name();

    /**
     * Suggestions that answer {@code transcript} (usually an interviewer's question).
     *
     * @return one to a few short suggestions (none when there is nothing to suggest) and their source
     * @throws dev.realtime.core.RealtimeException when the suggester cannot answer
     */
    Suggestions suggest(String sessionId, String transcript);

    /** {@code primary}, and {@code fallback} when the primary fails (logged) or suggests nothing. */
    static Suggester withFallback(Suggester primary, Suggester fallback) {
        Objects.requireNonNull(primary, "primary");
        Objects.requireNonNull(fallback, "fallback");
        return new Suggester() {
            @Override
            public String name() {
                return primary.name() + "+" + fallback.name();
            }

            @Override
            public Suggestions suggest(String sessionId, String transcript) {
                try {
                    Suggestions s = primary.suggest(sessionId, transcript);
                    if (!s.items().isEmpty()) {
                        return s;
                    }
                } catch (RuntimeException e) {
                    LoggerFactory.getLogger(Suggester.class).warn("{} suggestions failed, using {}: {}",
                            primary.name(), fallback.name(), e.toString());
                }
                return fallback.suggest(sessionId, transcript);
            }
        };
    }
}

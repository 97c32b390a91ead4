package dev.realtime.core.interview;

import java.util.Objects;

/**
 * A final transcription: the text, which transcriber produced it, and its confidence when the engine reports one.
 *
 * @param text        the words, lower- or mixed-case as the engine gives them; may be empty (silence)
 * @param transcriber the engine's {@link Transcriber#name()}
 * @param confidence  0..1, or null when unknown
 * @since 0.2
 */
public record Transcript(String text, String transcriber, Double confidence) {
    public Transcript {
        text = Objects.requireNonNullElse(text, "").trim();
        Objects.requireNonNull(transcriber, "transcriber");
    }
}

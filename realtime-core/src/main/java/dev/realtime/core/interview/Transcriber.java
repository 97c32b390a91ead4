package dev.realtime.core.interview;

import java.util.Optional;
import java.util.function.Consumer;

/**
 * Speech to text, the SPI behind {@code transcription:request}. Implementations:
 * {@link PocketsphinxTranscriber} (offline, no key; the default when Debian's {@code pocketsphinx} is installed),
 * {@link GeminiTranscriber} (audio as inline data through the key pool), and {@link #unavailable(String)}.
 *
 * <p><b>Threads.</b> {@link #transcribe} blocks (a process, an HTTP call) and is only called on the gateway's
 * transcription workers, never on a handler or I/O thread; it may be called concurrently. {@code partial} is
 * called on the same worker thread with the text recognized so far, once per utterance of a long clip; it must
 * be quick.
 *
 * @since 0.2
 */
public interface Transcriber {

    /** A short name for results and logs, e.g. {@code pocketsphinx}. */
    String name();

    /**
     * Why this transcriber cannot work here, with how to enable it (e.g. which package to install), or empty when
     * it can.
     */
    default Optional<String> unavailableReason() {
        return Optional.empty();
    }

    /**
     * Transcribes a clip.
     *
     * @param partial told the cumulative text after each utterance while a long clip is processed
     * @throws InterviewException {@code unavailable}, {@code unsupported_format}, {@code timeout}, {@code too_large}
     *                            or {@code failed}
     */
    Transcript transcribe(AudioClip clip, Consumer<String> partial);

    /** A transcriber that always fails with {@code unavailable} and {@code message}. */
    static Transcriber unavailable(String message) {
        return new Transcriber() {
            @Override
            public String name() {
                return "unavailable";
            }

            @Override
            public Optional<String> unavailableReason() {
                return Optional.of(message);
            }

            @Override
            public Transcript transcribe(AudioClip clip, Consumer<String> partial) {
                throw new InterviewException("unavailable", message);
            }
        };
    }
}

package dev.realtime.core.interview;

import dev.realtime.core.RealtimeException;
import dev.realtime.core.llm.ContentGenerator;
import dev.realtime.core.llm.GenerateContentRequest;
import dev.realtime.core.llm.GenerateContentResponse;
import dev.realtime.core.llm.GenerationConfig;
import dev.realtime.core.llm.NoKeyAvailableException;
import dev.realtime.core.llm.Part;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * A {@link Transcriber} on Gemini: the clip goes as inline data ({@code audio/wav}, {@code audio/webm},
 * {@code audio/ogg}, {@code audio/mp3}; raw {@code pcm16} is wrapped in a WAV header first) with a verbatim
 * transcription prompt, through a {@link ContentGenerator} (the rotating key pool,
 * {@link dev.realtime.core.llm.GeminiKeyRotatingClient}). The answer is streamed: every chunk but the last is
 * reported as a partial result.
 *
 * <p><b>Threads.</b> Blocks the calling worker for the HTTP exchange (the generator's timeouts and retries apply).
 * Thread-safe. Gemini failures map to {@code unavailable} (no key usable: the pool is exhausted) or {@code failed}.
 *
 * @since 0.2
 */
public final class GeminiTranscriber implements Transcriber {
    static final String PROMPT = "Transcribe the speech in this audio verbatim, in its own language. "
            + "Answer with the transcript only, without timestamps, speaker labels or comments. "
            + "Answer with an empty text when there is no speech.";
    /** Inline data is limited to 20 MB per request by the API. */
    static final int MAX_INLINE_BYTES = 20 * 1024 * 1024;

    private final ContentGenerator gemini;

    public GeminiTranscriber(ContentGenerator gemini) {
        this.gemini = Objects.requireNonNull(gemini, "gemini");
    }

    @Override
    public String name() {
        return "gemini";
    }

    @Override
    public Transcript transcribe(AudioClip clip, Consumer<String> partial) {
        byte[] bytes = clip.bytes();
        if (clip.isPcm() && !clip.format().startsWith("wav")) {
            bytes = Pcm.decode(clip).toWav(); // Gemini needs a container: raw PCM gets a WAV header
        }
        if (bytes.length > MAX_INLINE_BYTES) {
            throw new InterviewException("too_large", "Gemini takes at most 20 MB of inline audio");
        }
        GenerateContentRequest request = GenerateContentRequest.builder()
                .userParts(Part.inlineData(clip.mimeType(), bytes), Part.text(clip.language() == null ? PROMPT
                        : PROMPT + " The speech is in " + clip.language() + "."))
                .generationConfig(GenerationConfig.builder().temperature(0.0).build())
                .build();
        StringBuilder soFar = new StringBuilder();
        String[] pending = new String[1];
        try {
            GenerateContentResponse r = gemini.streamGenerateContent(request, chunk -> {
                if (pending[0] != null) {
                    partial.accept(pending[0].trim());
                }
                soFar.append(chunk.text());
                pending[0] = soFar.toString();
            });
            return new Transcript(r.text(), name(), null);
        } catch (NoKeyAvailableException e) {
            throw new InterviewException("unavailable", "no Gemini key is usable right now: " + e.getMessage(), e);
        } catch (InterviewException e) {
            throw e;
        } catch (RealtimeException e) {
            throw new InterviewException("failed", "Gemini transcription failed: " + e.getMessage(), e);
        }
    }
}

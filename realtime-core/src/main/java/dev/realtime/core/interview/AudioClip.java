package dev.realtime.core.interview;

import java.util.Objects;

/**
 * Audio to transcribe, as a client sent it: the bytes of one chunk or request, its container or encoding
 * ({@code wav}, {@code pcm16} (raw little-endian 16-bit mono), {@code webm}, {@code ogg}, {@code mp3}, ...), the
 * sample rate the client declared (0 when unknown; a WAV header wins), and an optional language tag.
 *
 * <p>The array is not copied: treat it as read-only.
 *
 * @since 0.2
 */
public record AudioClip(byte[] bytes, String format, int sampleRate, String language) {
    public AudioClip {
        Objects.requireNonNull(bytes, "bytes");
        format = format == null || format.isBlank() ? "wav" : format.trim().toLowerCase(java.util.Locale.ROOT);
        if (sampleRate < 0) {
            throw new IllegalArgumentException("sampleRate must be >= 0");
        }
    }

    /** The MIME type of {@link #format()} as Gemini and browsers name it. */
    public String mimeType() {
        return switch (format) {
            case "wav", "wave", "pcm16", "pcm", "l16", "raw" -> "audio/wav";
            case "webm" -> "audio/webm";
            case "ogg", "opus" -> "audio/ogg";
            case "mp3", "mpeg" -> "audio/mp3";
            case "flac" -> "audio/flac";
            case "aac" -> "audio/aac";
            default -> format.contains("/") ? format : "audio/" + format;
        };
    }

    /** Whether the bytes are PCM this library can decode itself (a PCM WAV, or raw 16-bit PCM). */
    public boolean isPcm() {
        return switch (format) {
            case "wav", "wave", "pcm16", "pcm", "l16", "raw" -> true;
            default -> false;
        };
    }
}

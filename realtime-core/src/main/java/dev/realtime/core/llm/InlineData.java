package dev.realtime.core.llm;

import java.util.Base64;
import java.util.Objects;

/**
 * Binary content sent inline with a request ({@code Blob} in the Gemini API): audio, images or PDFs.
 *
 * @param mimeType IANA type such as {@code audio/mp3}, {@code image/png}, {@code application/pdf}
 * @param data     standard base64 encoding of the bytes
 * @since 0.1
 */
public record InlineData(String mimeType, String data) {
    public InlineData {
        if (mimeType == null || mimeType.isBlank()) {
            throw new IllegalArgumentException("mimeType must not be blank");
        }
        Objects.requireNonNull(data, "data");
    }

    /** Encodes {@code bytes} as standard base64. */
    public static InlineData of(String mimeType, byte[] bytes) {
        return new InlineData(mimeType, Base64.getEncoder().encodeToString(Objects.requireNonNull(bytes, "bytes")));
    }
}

package dev.realtime.core.llm;

/**
 * One part of a {@link Content}: exactly one of {@code text} or {@code inlineData} is non-null.
 *
 * @since 0.1
 */
public record Part(String text, InlineData inlineData) {
    public Part {
        if ((text == null) == (inlineData == null)) {
            throw new IllegalArgumentException("exactly one of text or inlineData must be set");
        }
    }

    /** A text part. */
    public static Part text(String text) {
        return new Part(text, null);
    }

    /** An inline binary part; {@code bytes} are base64-encoded. */
    public static Part inlineData(String mimeType, byte[] bytes) {
        return new Part(null, InlineData.of(mimeType, bytes));
    }

    /** An inline binary part whose data is already base64. */
    public static Part inlineBase64(String mimeType, String base64) {
        return new Part(null, new InlineData(mimeType, base64));
    }
}

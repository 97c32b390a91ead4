package dev.realtime.core.internal;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * One logical outbound message: a text frame, optionally followed by binary frames that must be written right
 * after it (Socket.IO attachments), or a lone binary frame when {@code text} is null.
 *
 * @param text          text frame, or {@code null}
 * @param binaries      binary frames following the text, in order (never null)
 * @param conflationKey non-null when a newer frame with the same key may replace this one while still queued
 */
public record Frame(String text, List<ByteBuffer> binaries, String conflationKey) {
    public static Frame text(String text) {
        return new Frame(text, List.of(), null);
    }

    public static Frame text(String text, String conflationKey) {
        return new Frame(text, List.of(), conflationKey);
    }

    int parts() {
        return (text == null ? 0 : 1) + binaries.size();
    }
}

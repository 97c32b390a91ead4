package dev.realtime.core.quiz;

import java.util.List;
import java.util.Objects;

/**
 * What the pipeline kept of one PDF page: its text (so a question can be regenerated later) and its stored
 * images. Immutable.
 *
 * @param number    1-based page number
 * @param status    {@code processed}, {@code skipped} or {@code failed}
 * @param text      the page text (empty for skipped and failed pages)
 * @param imageUrls URL paths of the stored page images
 * @since 0.1
 */
public record SourcePage(int number, String status, String text, List<String> imageUrls) {
    public SourcePage {
        Objects.requireNonNull(status, "status");
        text = text == null ? "" : text;
        imageUrls = List.copyOf(imageUrls);
    }
}

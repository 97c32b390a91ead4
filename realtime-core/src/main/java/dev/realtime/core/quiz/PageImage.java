package dev.realtime.core.quiz;

import java.util.Objects;

/**
 * A PNG image taken from a PDF page.
 *
 * @param png      PNG bytes
 * @param width    pixels
 * @param height   pixels
 * @param rendered {@code true} for a rendering of the whole page (a thumbnail), {@code false} for an image
 *                 embedded in the page
 * @since 0.1
 */
public record PageImage(byte[] png, int width, int height, boolean rendered) {
    public PageImage {
        Objects.requireNonNull(png, "png");
    }
}

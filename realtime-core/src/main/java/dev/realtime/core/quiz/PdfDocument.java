package dev.realtime.core.quiz;

import java.util.List;

/**
 * An opened, validated PDF: text and images per page. Pages are numbered from 1.
 *
 * <p>Not thread-safe: callers serialize access (the pipeline extracts text on one thread and guards image
 * extraction with the document's monitor). After {@link #close()}, every method throws
 * {@link IllegalStateException}.
 *
 * @since 0.1
 */
public interface PdfDocument extends AutoCloseable {

    /** Number of pages, at least 1. */
    int pageCount();

    /**
     * The text of one page in reading order; empty for an image-only page.
     *
     * @throws QuizException ({@code corrupt}, stage {@code extraction}) when the page cannot be read
     */
    String pageText(int page);

    /**
     * Images for one page: up to {@code maxImages} embedded raster images (tiny ones skipped), each re-encoded as
     * PNG and scaled down to at most {@code maxWidth} pixels wide; when the page has none, one PNG rendering of the
     * whole page {@code thumbnailWidth} pixels wide.
     */
    List<PageImage> pageImages(int page, int maxImages, int maxWidth, int thumbnailWidth);

    /** Releases the document; idempotent. */
    @Override
    void close();
}

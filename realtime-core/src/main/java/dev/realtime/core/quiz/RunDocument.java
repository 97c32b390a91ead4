package dev.realtime.core.quiz;

import dev.realtime.core.ErrorCode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The PDF of one {@link QuizRun}: checked against the size limits, opened, read page by page (text, images saved
 * to the file store) and closed once. PDFBox documents are not thread-safe: every access holds one lock, and
 * reads after {@link #close()} find no document. Thread-safe.
 */
final class RunDocument {
    private final QuizPipeline p;
    private final String filename;
    private final Object lock = new Object();
    private PdfDocument doc; // guarded by lock

    RunDocument(QuizPipeline pipeline, String filename) {
        this.p = pipeline;
        this.filename = filename;
    }

    /**
     * Opens the file if it is within the limits.
     *
     * @return its page count
     * @throws QuizException {@code not_found}, {@code too_large}, {@code storage}, or the reader's
     */
    int open() {
        long size = p.fileStore.size(filename); // not_found
        long limit = Math.min(p.maxBytes, p.fileStore.maxBytes());
        if (size > limit) {
            throw QuizException.validation("too_large", "File is too large: " + size + " bytes (limit " + limit + ")");
        }
        PdfDocument opened;
        Optional<Path> local = p.fileStore.localPath(filename);
        if (local.isPresent()) {
            opened = p.reader.open(local.get(), p.maxPages);
        } else {
            try (InputStream in = p.fileStore.open(filename)) {
                opened = p.reader.open(in, p.maxPages);
            } catch (IOException e) {
                throw new QuizException(ErrorCode.UNAVAILABLE, "storage", QuizException.VALIDATION,
                        "File cannot be read", e);
            }
        }
        synchronized (lock) {
            doc = opened;
        }
        return opened.pageCount();
    }

    /** The text of a page; empty once closed. */
    String pageText(int page) {
        synchronized (lock) {
            return doc == null ? "" : doc.pageText(page);
        }
    }

    /**
     * Saves a page's images to the file store.
     *
     * @return their URL paths
     * @throws QuizRun.Stopped when the document was closed (the run stopped)
     */
    List<String> storeImages(int page) {
        List<PageImage> images;
        synchronized (lock) {
            if (doc == null) {
                throw new QuizRun.Stopped();
            }
            images = doc.pageImages(page, p.maxImagesPerPage, p.maxImageWidth, p.thumbnailWidth);
        }
        List<String> urls = new ArrayList<>();
        for (PageImage img : images) {
            String name = p.fileStore.save(img.png(), "page-" + page + ".png");
            urls.add(p.fileStore.urlPath(name));
        }
        return List.copyOf(urls);
    }

    /** Closes the document, if open. Idempotent. */
    void close() {
        synchronized (lock) {
            if (doc != null) {
                doc.close();
                doc = null;
            }
        }
    }
}

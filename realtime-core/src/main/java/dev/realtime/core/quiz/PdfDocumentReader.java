package dev.realtime.core.quiz;

import java.io.InputStream;
import java.nio.file.Path;

/**
 * Opens PDFs and validates them before any work starts. The default, {@link #pdfBox()}, uses Apache PDFBox 3.
 *
 * <p>Both methods throw {@link QuizException} in stage {@code validation} with error {@code not_pdf} (no
 * {@code %PDF-} signature), {@code encrypted} (a password is needed, or content extraction is not permitted),
 * {@code corrupt} (unparseable, truncated: no {@code %%EOF} near the end, or no pages) or
 * {@code too_many_pages} (more than {@code maxPages}). On success the caller owns the returned document and
 * closes it.
 *
 * <p>Implementations are thread-safe; the documents they return are not (see {@link PdfDocument}).
 *
 * @since 0.1
 */
public interface PdfDocumentReader {

    /** Opens and validates a PDF read from a stream (buffered in memory); does not close {@code in}. */
    PdfDocument open(InputStream in, int maxPages);

    /** Opens and validates a PDF file with random access (not loaded into memory at once). */
    PdfDocument open(Path file, int maxPages);

    /** The Apache PDFBox 3 reader. */
    static PdfDocumentReader pdfBox() {
        return new PdfBoxDocumentReader();
    }
}

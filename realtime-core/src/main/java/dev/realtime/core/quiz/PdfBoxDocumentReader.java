package dev.realtime.core.quiz;

import dev.realtime.core.ErrorCode;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.imageio.ImageIO;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.io.RandomAccessRead;
import org.apache.pdfbox.io.RandomAccessReadBuffer;
import org.apache.pdfbox.io.RandomAccessReadBufferedFile;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDResources;
import org.apache.pdfbox.pdmodel.encryption.InvalidPasswordException;
import org.apache.pdfbox.pdmodel.graphics.PDXObject;
import org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject;
import org.apache.pdfbox.rendering.PDFRenderer;
import org.apache.pdfbox.text.PDFTextStripper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link PdfDocumentReader} over Apache PDFBox 3. Stateless and thread-safe. */
final class PdfBoxDocumentReader implements PdfDocumentReader {
    private static final Logger log = LoggerFactory.getLogger(PdfBoxDocumentReader.class);
    private static final byte[] SIGNATURE = "%PDF-".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] EOF_MARKER = "%%EOF".getBytes(StandardCharsets.US_ASCII);
    /** How far from the end {@code %%EOF} may be (trailing garbage some writers leave). */
    private static final int TAIL = 1024;
    /** Embedded images smaller than this (either side) are decoration, not content. */
    private static final int MIN_IMAGE_SIDE = 32;

    @Override
    public PdfDocument open(InputStream in, int maxPages) {
        Objects.requireNonNull(in, "in");
        RandomAccessRead source;
        try {
            source = new RandomAccessReadBuffer(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return open(source, maxPages);
    }

    @Override
    public PdfDocument open(Path file, int maxPages) {
        Objects.requireNonNull(file, "file");
        RandomAccessRead source;
        try {
            source = new RandomAccessReadBufferedFile(file);
        } catch (IOException e) {
            throw QuizException.validation("not_found", "File cannot be read: " + file.getFileName());
        }
        return open(source, maxPages);
    }

    private static PdfDocument open(RandomAccessRead source, int maxPages) {
        if (maxPages < 1) {
            throw new IllegalArgumentException("maxPages must be >= 1: " + maxPages);
        }
        PDDocument doc = null;
        boolean opened = false;
        try {
            checkFraming(source);
            doc = Loader.loadPDF(source);
            if (doc.isEncrypted() && !doc.getCurrentAccessPermission().canExtractContent()) {
                throw QuizException.validation("encrypted", "PDF is encrypted and does not permit text extraction");
            }
            int pages = doc.getNumberOfPages();
            if (pages < 1) {
                throw QuizException.validation("corrupt", "PDF has no readable pages");
            }
            if (pages > maxPages) {
                throw QuizException.validation("too_many_pages",
                        "PDF has " + pages + " pages; the limit is " + maxPages);
            }
            PdfDocument result = new PdfBoxDocument(doc);
            doc = null;
            opened = true;
            return result;
        } catch (InvalidPasswordException e) {
            throw QuizException.validation("encrypted", "PDF is password-protected");
        } catch (IOException | RuntimeException e) {
            if (e instanceof QuizException q) {
                throw q;
            }
            log.debug("unreadable PDF", e);
            throw QuizException.validation("corrupt", "PDF is corrupt or truncated: " + e.getMessage());
        } finally {
            if (doc != null) {
                closeQuietly(doc); // failed after loading: the document closes its source
            } else if (!opened) {
                try {
                    source.close();
                } catch (IOException e) {
                    log.debug("close failed", e);
                }
            }
        }
    }

    /** Signature at the start and {@code %%EOF} near the end, or the file is not (a complete) PDF. */
    private static void checkFraming(RandomAccessRead source) throws IOException {
        long length = source.length();
        byte[] head = new byte[SIGNATURE.length];
        source.seek(0);
        int n = source.read(head);
        if (n < SIGNATURE.length || !java.util.Arrays.equals(head, SIGNATURE)) {
            throw QuizException.validation("not_pdf", "File is not a PDF (missing %PDF- signature)");
        }
        int tailLength = (int) Math.min(TAIL, length);
        byte[] tail = new byte[tailLength];
        source.seek(length - tailLength);
        int read = 0;
        while (read < tailLength) {
            int r = source.read(tail, read, tailLength - read);
            if (r < 0) {
                break;
            }
            read += r;
        }
        source.seek(0);
        if (indexOf(tail, read, EOF_MARKER) < 0) {
            throw QuizException.validation("corrupt", "PDF is truncated (no %%EOF marker at the end)");
        }
    }

    private static int indexOf(byte[] data, int length, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (data[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static void closeQuietly(PDDocument doc) {
        try {
            doc.close();
        } catch (IOException e) {
            log.debug("close failed", e);
        }
    }

    /** One opened document. Not thread-safe (see {@link PdfDocument}). */
    private static final class PdfBoxDocument implements PdfDocument {
        private final PDDocument doc;
        private PDFRenderer renderer;
        private boolean closed;

        PdfBoxDocument(PDDocument doc) {
            this.doc = doc;
        }

        @Override
        public int pageCount() {
            requireOpen();
            return doc.getNumberOfPages();
        }

        @Override
        public String pageText(int page) {
            requireOpen();
            checkPage(page);
            try {
                PDFTextStripper stripper = new PDFTextStripper();
                stripper.setStartPage(page);
                stripper.setEndPage(page);
                stripper.setSortByPosition(true);
                return stripper.getText(doc).strip();
            } catch (IOException | RuntimeException e) {
                throw new QuizException(ErrorCode.BAD_REQUEST, "corrupt", QuizException.EXTRACTION,
                        "Page " + page + " cannot be read: " + e.getMessage(), e);
            }
        }

        @Override
        public List<PageImage> pageImages(int page, int maxImages, int maxWidth, int thumbnailWidth) {
            requireOpen();
            checkPage(page);
            List<PageImage> out = new ArrayList<>();
            PDPage p = doc.getPage(page - 1);
            try {
                PDResources resources = p.getResources();
                if (resources != null && maxImages > 0) {
                    for (COSName name : resources.getXObjectNames()) {
                        if (out.size() >= maxImages) {
                            break;
                        }
                        PDXObject x = resources.getXObject(name);
                        if (x instanceof PDImageXObject img && img.getWidth() >= MIN_IMAGE_SIDE
                                && img.getHeight() >= MIN_IMAGE_SIDE) {
                            BufferedImage bi = scale(img.getImage(), maxWidth);
                            out.add(new PageImage(png(bi), bi.getWidth(), bi.getHeight(), false));
                        }
                    }
                }
                if (out.isEmpty()) {
                    if (renderer == null) {
                        renderer = new PDFRenderer(doc);
                    }
                    float widthPt = p.getCropBox().getWidth();
                    if (p.getRotation() % 180 != 0) {
                        widthPt = p.getCropBox().getHeight();
                    }
                    float scale = thumbnailWidth / Math.max(1f, widthPt);
                    BufferedImage bi = renderer.renderImage(page - 1, scale);
                    out.add(new PageImage(png(bi), bi.getWidth(), bi.getHeight(), true));
                }
            } catch (IOException | RuntimeException e) {
                throw new QuizException(ErrorCode.BAD_REQUEST, "corrupt", QuizException.EXTRACTION,
                        "Images of page " + page + " cannot be read: " + e.getMessage(), e);
            }
            return List.copyOf(out);
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                closeQuietly(doc);
            }
        }

        private void requireOpen() {
            if (closed) {
                throw new IllegalStateException("document is closed");
            }
        }

        private void checkPage(int page) {
            if (page < 1 || page > doc.getNumberOfPages()) {
                throw new IllegalArgumentException("page out of range: " + page);
            }
        }

        private static BufferedImage scale(BufferedImage src, int maxWidth) {
            if (src.getWidth() <= maxWidth && src.getType() != BufferedImage.TYPE_CUSTOM) {
                return src;
            }
            int w = Math.min(maxWidth, src.getWidth());
            int h = Math.max(1, Math.round(src.getHeight() * (w / (float) src.getWidth())));
            BufferedImage dst = new BufferedImage(w, h, BufferedImage.TYPE_INT_ARGB);
            Graphics2D g = dst.createGraphics();
            try {
                g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
                g.drawImage(src, 0, 0, w, h, null);
            } finally {
                g.dispose();
            }
            return dst;
        }

        private static byte[] png(BufferedImage image) throws IOException {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            if (!ImageIO.write(image, "png", out)) {
                throw new IOException("no PNG writer");
            }
            return out.toByteArray();
        }
    }
}

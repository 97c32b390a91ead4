package dev.realtime.core.quiz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PdfBoxDocumentReaderTest {
    private final PdfDocumentReader reader = PdfDocumentReader.pdfBox();

    @TempDir
    Path dir;

    @Test
    void textPerPageAndImagesFromFileAndStream() throws Exception {
        byte[] pdf = TestPdfs.builder().text(TestPdfs.PAGES.get(0)).blank().imageOnly().build();
        Path file = Files.write(dir.resolve("a.pdf"), pdf);
        for (PdfDocument doc : List.of(reader.open(file, 10), reader.open(new ByteArrayInputStream(pdf), 10))) {
            try (doc) {
                assertEquals(3, doc.pageCount());
                String text = doc.pageText(1);
                assertTrue(text.startsWith("The Life of Marie Curie"), text);
                assertTrue(text.replaceAll("\\s+", " ").contains("Marie Curie was born in Warsaw in 1867"), text);
                assertEquals("", doc.pageText(2));
                assertEquals("", doc.pageText(3));
                List<PageImage> embedded = doc.pageImages(3, 3, 800, 200);
                assertEquals(1, embedded.size());
                assertFalse(embedded.get(0).rendered());
                assertEquals(120, embedded.get(0).width());
                List<PageImage> thumb = doc.pageImages(2, 3, 800, 200);
                assertTrue(thumb.get(0).rendered());
                assertEquals(200, thumb.get(0).width());
                assertTrue(Math.abs(thumb.get(0).height() - 283) <= 1, "A4 proportions: " + thumb.get(0).height());
                assertEquals(60, doc.pageImages(3, 3, 60, 200).get(0).width(), "scaled down to maxWidth");
            }
        }
    }

    @Test
    void validation() {
        byte[] good = TestPdfs.builder().textPages(3).build();
        assertEquals("not_pdf", error(TestPdfs.notPdf(), 10));
        assertEquals("not_pdf", error(new byte[0], 10));
        assertEquals("encrypted", error(TestPdfs.builder().textPages(1).buildEncrypted("pw"), 10));
        assertEquals("corrupt", error(TestPdfs.truncated(good, 0.5), 10));
        assertEquals("corrupt", error(TestPdfs.truncated(good, 0.95), 10));
        assertEquals("too_many_pages", error(good, 2));
        reader.open(new ByteArrayInputStream(good), 3).close();
    }

    private String error(byte[] pdf, int maxPages) {
        return assertThrows(QuizException.class, () -> reader.open(new ByteArrayInputStream(pdf), maxPages)).error();
    }

    @Test
    void offlineGeneratorCopesWithAHeadingRunningIntoTheText() {
        // a heading followed by a sentence starting with the same name used to crash the distractor ranking
        String text = TestPdfs.PAGES.get(0);
        assertFalse(new OfflineQuestionGenerator().generate(QuestionRequest.of(text, 3)).isEmpty());
    }
}

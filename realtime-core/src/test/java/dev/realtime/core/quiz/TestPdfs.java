package dev.realtime.core.quiz;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.encryption.AccessPermission;
import org.apache.pdfbox.pdmodel.encryption.StandardProtectionPolicy;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.apache.pdfbox.pdmodel.graphics.image.LosslessFactory;
import org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject;

/** Builds real PDFs with PDFBox for tests: text pages, blank pages, image-only pages, encrypted files. */
public final class TestPdfs {
    /** Real prose, one page each; the offline generator writes several questions from every one. */
    static final List<String> PAGES = List.of(
            "The Life of Marie Curie\n"
                    + "Marie Curie was born in Warsaw in 1867, when Poland was part of the Russian Empire. She moved to "
                    + "Paris in 1891 to study physics and mathematics at the University of Paris, where she met the "
                    + "physicist Pierre Curie. In 1898 the Curies announced the discovery of two new elements, which "
                    + "they named polonium and radium. Polonium was named after Poland, the country of her birth. "
                    + "Isolating radium from pitchblende took years of exhausting work in a poorly equipped shed.",
            "In 1903 Marie Curie, Pierre Curie and Henri Becquerel shared the Nobel Prize in Physics for their "
                    + "research on radiation. Marie Curie became the first woman to win a Nobel Prize. After the death "
                    + "of Pierre Curie in 1906, she took over his professorship at the Sorbonne. In 1911 she received a "
                    + "second Nobel Prize, this time in Chemistry, for the discovery of polonium and radium. During the "
                    + "First World War she developed mobile radiography units that helped surgeons in France.",
            "Ada Lovelace was born in London in 1815 as the only legitimate child of the poet Lord Byron. Her mother "
                    + "Anne Isabella Milbanke encouraged her interest in mathematics and logic. In 1833 she met Charles "
                    + "Babbage, who was designing a mechanical calculator called the Difference Engine. In 1843 "
                    + "Lovelace translated an article by the Italian engineer Luigi Menabrea about the Analytical "
                    + "Engine and added extensive notes. Her notes contain an algorithm for computing Bernoulli numbers.",
            "Julius Caesar crossed the Rubicon river in 49 BC and started a civil war against Pompey and the Senate. "
                    + "After his victory at Pharsalus in 48 BC he travelled to Egypt, where he supported Cleopatra in "
                    + "her struggle for the throne of Alexandria. Caesar reformed the Roman calendar, and the Julian "
                    + "calendar remained in use in Europe for more than 1600 years. He was assassinated in Rome on the "
                    + "Ides of March in 44 BC by a group of senators led by Brutus and Cassius.");

    private static final PDType1Font FONT = new PDType1Font(Standard14Fonts.FontName.HELVETICA);

    private final List<Object> pages = new ArrayList<>(); // String text, Table, Boolean (true: image only), null: blank
    private final List<Boolean> withImage = new ArrayList<>();

    public static TestPdfs builder() {
        return new TestPdfs();
    }

    /** A page of text. */
    public TestPdfs text(String text) {
        pages.add(text);
        withImage.add(false);
        return this;
    }

    /** A page of text with an embedded picture. */
    public TestPdfs textWithImage(String text) {
        pages.add(text);
        withImage.add(true);
        return this;
    }

    /** A page of text followed by a table: each row's cells are drawn in columns 150 points apart. */
    public TestPdfs table(String text, List<List<String>> rows) {
        pages.add(new Table(text, List.copyOf(rows)));
        withImage.add(false);
        return this;
    }

    private record Table(String text, List<List<String>> rows) {
    }

    /** A page with nothing on it. */
    public TestPdfs blank() {
        pages.add(null);
        withImage.add(false);
        return this;
    }

    /** A page with only a picture (no text layer, like a scan). */
    public TestPdfs imageOnly() {
        pages.add(Boolean.TRUE);
        withImage.add(true);
        return this;
    }

    /** {@code n} text pages cycling through {@link #PAGES}, each made unique by its page number. */
    public TestPdfs textPages(int n) {
        for (int i = 0; i < n; i++) {
            text(PAGES.get(i % PAGES.size()) + " This summary is part " + (i + 1) + " of the course.");
        }
        return this;
    }

    public byte[] build() {
        return build(null);
    }

    /** The PDF encrypted with a user password (it cannot be opened without it). */
    public byte[] buildEncrypted(String userPassword) {
        return build(userPassword);
    }

    private byte[] build(String userPassword) {
        try (PDDocument doc = new PDDocument()) {
            for (int i = 0; i < pages.size(); i++) {
                Object content = pages.get(i);
                PDPage page = new PDPage(PDRectangle.A4);
                doc.addPage(page);
                try (PDPageContentStream cs = new PDPageContentStream(doc, page)) {
                    if (content instanceof String text) {
                        writeText(cs, text);
                    } else if (content instanceof Table table) {
                        writeText(cs, table.text());
                        writeTable(cs, table.rows());
                    }
                    if (withImage.get(i)) {
                        PDImageXObject img = LosslessFactory.createFromImage(doc, picture(i));
                        cs.drawImage(img, 150, 150, 300, 200);
                    }
                }
            }
            if (userPassword != null) {
                StandardProtectionPolicy policy = new StandardProtectionPolicy("owner-secret", userPassword,
                        new AccessPermission());
                policy.setEncryptionKeyLength(128);
                doc.protect(policy);
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            doc.save(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void writeText(PDPageContentStream cs, String text) throws IOException {
        cs.beginText();
        cs.setFont(FONT, 11);
        cs.setLeading(15);
        cs.newLineAtOffset(50, 780);
        for (String paragraph : text.split("\n")) {
            for (String line : wrap(paragraph, 85)) {
                cs.showText(line);
                cs.newLine();
            }
            cs.newLine();
        }
        cs.endText();
    }

    private static void writeTable(PDPageContentStream cs, List<List<String>> rows) throws IOException {
        float y = 420;
        for (List<String> row : rows) {
            for (int c = 0; c < row.size(); c++) {
                cs.beginText();
                cs.setFont(FONT, 10);
                cs.newLineAtOffset(50 + 150 * c, y);
                cs.showText(row.get(c));
                cs.endText();
            }
            y -= 18;
        }
    }

    private static List<String> wrap(String text, int width) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.split(" ")) {
            if (line.length() + word.length() + 1 > width && line.length() > 0) {
                lines.add(line.toString());
                line.setLength(0);
            }
            if (line.length() > 0) {
                line.append(' ');
            }
            line.append(word);
        }
        if (line.length() > 0) {
            lines.add(line.toString());
        }
        return lines;
    }

    private static BufferedImage picture(int seed) {
        BufferedImage img = new BufferedImage(120, 80, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(new Color(40 + seed * 20 % 200, 120, 200));
        g.fillRect(0, 0, 120, 80);
        g.setColor(Color.ORANGE);
        g.fillOval(20, 10, 60, 60);
        g.dispose();
        return img;
    }

    /** The first {@code fraction} of the bytes: a download cut short. */
    public static byte[] truncated(byte[] pdf, double fraction) {
        return Arrays.copyOf(pdf, (int) (pdf.length * fraction));
    }

    /** A text file that is not a PDF. */
    public static byte[] notPdf() {
        return "name,score\nalice,3\nbob,5\n".getBytes(StandardCharsets.UTF_8);
    }
}

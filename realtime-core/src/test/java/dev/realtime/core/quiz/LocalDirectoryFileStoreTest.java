package dev.realtime.core.quiz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LocalDirectoryFileStoreTest {
    @TempDir
    Path dir;

    @Test
    void savesUnderAnUnguessableNameKeepingThePdfExtension() throws Exception {
        FileStore store = FileStore.localDirectory(dir.resolve("uploads"), 1_000_000);
        byte[] pdf = TestPdfs.builder().textPages(1).build();
        String a = store.save(pdf, "My Course.PDF");
        String b = store.save(pdf, "My Course.PDF");
        assertTrue(a.matches("[0-9a-f]{32}\\.pdf"), a);
        assertNotEquals(a, b);
        assertEquals(pdf.length, store.size(a));
        try (InputStream in = store.open(a)) {
            assertArrayEquals(pdf, in.readAllBytes());
        }
        assertEquals("/api/files/" + a, store.urlPath(a));
        assertTrue(store.localPath(a).orElseThrow().startsWith(dir.resolve("uploads").toRealPath()));
        assertTrue(store.save(new byte[] {1, 2}, "notes.exe").endsWith(".bin"));
        try (var files = Files.list(dir.resolve("uploads"))) {
            assertEquals(3, files.count(), "no temporary files left behind");
        }
    }

    @Test
    void rejectsNonPdfContentUnderAPdfNameAndOversizedFiles() {
        FileStore store = FileStore.localDirectory(dir, 100);
        assertEquals("not_pdf", assertThrows(QuizException.class,
                () -> store.save("hello".getBytes(), "a.pdf")).error());
        QuizException big = assertThrows(QuizException.class, () -> store.save(new byte[101], "a.png"));
        assertEquals("too_large", big.error());
        assertEquals("validation", big.stage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"../secret.pdf", "..", "a/b.pdf", "/etc/passwd", "..\\x.pdf", "", "x", ".hidden.pdf",
            "0123456789abcdef0123456789abcdef.pdf"})
    void unknownAndTraversalNamesAreNotFound(String name) throws Exception {
        Files.writeString(dir.resolve("..").normalize().resolve("secret.pdf"), "%PDF-");
        FileStore store = FileStore.localDirectory(dir.resolve("store"), 100);
        assertEquals("not_found", assertThrows(QuizException.class, () -> store.open(name)).error());
        assertEquals("not_found", assertThrows(QuizException.class, () -> store.size(name)).error());
    }
}

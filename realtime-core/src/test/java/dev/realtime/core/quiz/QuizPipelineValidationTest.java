package dev.realtime.core.quiz;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.realtime.core.quiz.QuizClient.Ack;
import dev.realtime.core.quiz.QuizClient.Frame;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The quiz pipeline end to end (real PDFs, a real hub, in-process clients): request validation, isolation between
 * quizzes, and builder checks.
 */
@Timeout(30)
class QuizPipelineValidationTest extends QuizPipelineTestBase {
    // ---- validation ----

    private void assertValidationError(String filename, String expectedError) {
        QuizClient c = QuizClient.nativeClient(hub);
        Ack ack = c.request("generate-quiz", request(filename, 2));
        assertNull(ack.errorCode(), "validation of the file happens after the acknowledgement");
        List<Frame> frames = c.untilTerminal();
        assertEquals(List.of("start", "progress", "quiz-error"), types(frames), expectedError);
        JsonNode err = frames.get(2).data();
        assertEquals(List.of("type", "message", "error", "stage"), fields(err));
        assertEquals("error", err.path("type").asText());
        assertEquals(expectedError, err.path("error").asText(), err.toString());
        assertEquals("validation", err.path("stage").asText());
        assertFalse(err.path("message").asText().isBlank());
    }

    @Test
    void eachValidationErrorHasItsCode() {
        ScriptedGenerator g = new ScriptedGenerator();
        start(builder(g).limits(3, 40_000));
        byte[] good = TestPdfs.builder().textPages(2).build();

        assertValidationError("0123456789abcdef0123456789abcdef.pdf", "not_found");
        assertValidationError("../../etc/passwd", "not_found");
        assertValidationError(files.save(TestPdfs.notPdf(), "scores.csv"), "not_pdf");
        assertValidationError(upload(TestPdfs.builder().textPages(2).buildEncrypted("s3cret")), "encrypted");
        assertValidationError(upload(TestPdfs.truncated(good, 0.6)), "corrupt");
        assertValidationError(upload(("%PDF-1.7\n" + "garbage ".repeat(200) + "\n%%EOF\n").getBytes()), "corrupt");
        assertValidationError(upload(TestPdfs.builder().textPages(4).build()), "too_many_pages");
        assertEquals(0, g.total.get(), "no generator call for an invalid file");
    }

    @Test
    void tooLargeFileIsRejectedBeforeReading() {
        ScriptedGenerator g = new ScriptedGenerator();
        start(builder(g).limits(300, 2_000));
        assertValidationError(upload(TestPdfs.builder().textPages(3).build()), "too_large");
        assertEquals(0, g.total.get());
    }

    @Test
    void badRequestIsRefusedInTheAckAndAsQuizError() {
        start(builder(new OfflineQuestionGenerator()));
        QuizClient c = QuizClient.nativeClient(hub);
        Ack ack = c.request("generate-quiz", Map.of("filename", "x.pdf", "options", Map.of("difficulty", "extreme")));
        assertEquals("bad_request", ack.errorCode());
        JsonNode err = c.next(QuizPipeline.QUIZ_ERROR).data();
        assertEquals("bad_request", err.path("error").asText());
        assertEquals("validation", err.path("stage").asText());
        assertEquals("bad_request", c.request("generate-quiz", Map.of("options", Map.of())).errorCode());
        assertEquals("bad_request", c.request("generate-quiz",
                Map.of("filename", "x.pdf", "options", Map.of("questionsPerPage", 0))).errorCode());
    }

    // ---- isolation ----

    @Test
    void concurrentGenerationsFromTwoClientsDoNotMix() {
        CountDownLatch curieRunning = new CountDownLatch(1);
        CountDownLatch otherRunning = new CountDownLatch(1);
        OfflineQuestionGenerator offline = new OfflineQuestionGenerator();
        start(builder(r -> { // every call waits until both documents are being generated at the same time
            (r.text().contains("Curie") ? curieRunning : otherRunning).countDown();
            try {
                assertTrue(curieRunning.await(5, TimeUnit.SECONDS) && otherRunning.await(5, TimeUnit.SECONDS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return offline.generate(r);
        }).maxParallelPages(2));
        String curie = upload(TestPdfs.builder().text(TestPdfs.PAGES.get(0)).text(TestPdfs.PAGES.get(1)).build());
        String other = upload(TestPdfs.builder().text(TestPdfs.PAGES.get(2)).text(TestPdfs.PAGES.get(3)).build());
        QuizClient a = QuizClient.nativeClient(hub);
        QuizClient b = QuizClient.socketIo(hub);
        String quizA = a.request("generate-quiz", request(curie, 2)).data().path("quizId").asText();
        String quizB = b.request("generate-quiz", request(other, 2)).data().path("quizId").asText();
        assertNotEquals(quizA, quizB);
        List<Frame> fa = a.untilTerminal();
        List<Frame> fb = b.untilTerminal();
        assertOnly(fa, quizA, "Curie", List.of("Lovelace", "Caesar"));
        assertOnly(fb, quizB, "Lovelace", List.of("Curie", "Warsaw"));
        a.transport.assertNoMore(100);
        b.transport.assertNoMore(0);
    }

    private static void assertOnly(List<Frame> frames, String quizId, String expected, List<String> foreign) {
        assertEquals("quiz-complete", frames.get(frames.size() - 1).event());
        assertEquals(quizId, frames.get(frames.size() - 1).data().path("data").path("quizId").asText());
        String all = frames.toString();
        assertTrue(all.contains(expected));
        foreign.forEach(word -> assertFalse(all.contains(word), word + " leaked into " + quizId));
        frames.stream().filter(f -> f.event().equals("quiz-event"))
                .forEach(f -> assertEquals(quizId, f.data().path("data").path("quizId").asText()));
    }

    @Test
    void builderFailsFast() {
        assertThrowsIae(() -> QuizPipeline.builder(hub).maxParallelPages(0));
        assertThrowsIae(() -> QuizPipeline.builder(hub).publicBaseUrl("quiz.example"));
        assertThrowsIae(() -> QuizPipeline.builder(hub).limits(0, 1));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> QuizPipeline.builder(hub).fileStore(files).build());
        java.util.concurrent.ExecutorService ex = java.util.concurrent.Executors.newSingleThreadExecutor();
        try {
            org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                    () -> QuizPipeline.builder(hub).executor(ex).executor(ex));
            // a caller's executor is not shut down by close(), and one thread is enough (workers never wait)
            QuizPipeline p = builder(new OfflineQuestionGenerator()).executor(ex).maxParallelPages(4).build()
                    .register();
            pipeline = p;
            QuizClient c = QuizClient.nativeClient(hub);
            c.request("generate-quiz", request(upload(TestPdfs.builder().textPages(6).build()), 1));
            List<Frame> frames = c.untilTerminal();
            assertEquals("quiz-complete", frames.get(frames.size() - 1).event());
            p.close();
            pipeline = null;
            assertFalse(ex.isShutdown());
        } finally {
            ex.shutdownNow();
        }
        assertNotNull(hub);
    }

    private static void assertThrowsIae(org.junit.jupiter.api.function.Executable e) {
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, e);
    }
}

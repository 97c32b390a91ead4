package dev.realtime.core.quiz;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.realtime.core.RealtimeHub;
import dev.realtime.core.llm.ApiKeyPool;
import dev.realtime.core.llm.GeminiClient;
import dev.realtime.core.llm.GeminiKeyRotatingClient;
import dev.realtime.core.quiz.QuizClient.Frame;
import dev.realtime.core.testing.FakeGeminiServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Throughput figures, logged and never asserted (machines differ). */
@Tag("measurement")
@Timeout(120)
class QuizMeasurementTest {
    private static final Logger log = LoggerFactory.getLogger(QuizMeasurementTest.class);

    @TempDir
    Path dir;

    private long runMillis(RealtimeHub hub, QuizPipeline pipeline, FileStore files, int pages, int perPage) {
        String file = files.save(TestPdfs.builder().textPages(pages).build(), "course.pdf");
        QuizClient c = QuizClient.nativeClient(hub);
        long start = System.nanoTime();
        c.request("generate-quiz", Map.of("filename", file, "options", Map.of("questionsPerPage", perPage)));
        long extracted = 0;
        long firstQuestion = 0;
        Frame done;
        while (true) {
            done = c.next();
            if (done.type().equals("pdf-processed")) {
                extracted = (System.nanoTime() - start) / 1_000_000;
            }
            if (done.type().equals("question-generated") && firstQuestion == 0) {
                firstQuestion = (System.nanoTime() - start) / 1_000_000;
            }
            if (done.event().startsWith("quiz-complete") || done.event().equals("quiz-error")) {
                break;
            }
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        log.info("MEASUREMENT {} pages: validation + text extraction {} ms, first question at {} ms, complete at {} ms",
                pages, extracted, firstQuestion, millis);
        assertEquals("quiz-complete", done.event(), done.toString());
        assertEquals(pages, done.data().path("data").path("stats").path("pagesProcessed").asInt());
        return millis;
    }

    @Test
    void offlineGeneratorOnA100PagePdf() {
        try (RealtimeHub hub = RealtimeHub.builder().build()) {
            FileStore files = FileStore.localDirectory(dir, LocalDirectoryFileStore.DEFAULT_MAX_BYTES);
            try (QuizPipeline pipeline = QuizPipeline.builder(hub).generator(new OfflineQuestionGenerator())
                    .fileStore(files).build().register()) {
                runMillis(hub, pipeline, files, 100, 3); // warm-up (JIT, font cache)
                long ms = runMillis(hub, pipeline, files, 100, 3);
                log.info("MEASUREMENT offline: 100 pages in {} ms = {} pages/s (4 parallel pages, 3 questions/page)",
                        ms, String.format("%.1f", 100_000.0 / ms));
            }
        }
    }

    @Test
    void fakeGeminiWith300msLatencyAtConcurrency8() {
        try (RealtimeHub hub = RealtimeHub.builder().build(); FakeGeminiServer server = FakeGeminiServer.start()) {
            server.defaultResponse(QuizGeminiTest.twoQuestions());
            ApiKeyPool pool = ApiKeyPool.builder().addKey("k1").addKey("k2").build();
            GeminiKeyRotatingClient gemini = GeminiKeyRotatingClient.builder(
                    GeminiClient.builder().baseUrl(server.baseUrl()).build(), pool).build();
            FileStore files = FileStore.localDirectory(dir, LocalDirectoryFileStore.DEFAULT_MAX_BYTES);
            try (QuizPipeline pipeline = QuizPipeline.builder(hub)
                    .generator(GeminiQuestionGenerator.builder(gemini).build())
                    .fileStore(files).maxParallelPages(8).threads(8).build().register()) {
                runMillis(hub, pipeline, files, 16, 2); // warm-up (HTTP client, JIT)
                server.latency(Duration.ofMillis(300));
                long ms = runMillis(hub, pipeline, files, 100, 2);
                long ideal = (long) Math.ceil(100 / 8.0) * 300;
                log.info("MEASUREMENT fake Gemini: 100 pages, 300 ms latency, 8 parallel pages: {} ms "
                        + "(ideal ceil(100/8) x 300 ms = {} ms, overhead {} %)", ms, ideal,
                        String.format("%.1f", (ms - ideal) * 100.0 / ideal));
            }
        }
    }
}

package dev.realtime.core.quiz;

import com.fasterxml.jackson.databind.JsonNode;
import dev.realtime.core.RealtimeHub;
import dev.realtime.core.llm.Sleeper;
import dev.realtime.core.quiz.QuizClient.Frame;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Shared fixture of the quiz pipeline tests ({@link QuizPipelineTest}, {@link QuizPipelineFailuresTest},
 * {@link QuizPipelineValidationTest}): a real hub and a local file store in a temporary directory per test, a
 * pipeline builder whose retry sleeps are recorded, request and PDF helpers, and {@link ScriptedGenerator}.
 *
 * <p>One instance per test method (JUnit's default lifecycle); the pipeline a test starts is closed after it, then
 * the hub. The recorded sleeps and the scripted generator's counters are thread-safe (pipeline workers write them).
 */
@Timeout(30)
abstract class QuizPipelineTestBase {
    static final List<String> FULL_SEQUENCE = List.of(
            "start", "progress", "progress", "pdf-processed",
            "page-processing", "question-generated", "question-generated",
            "page-processing", "question-generated", "question-generated",
            "page-processing", "page-skipped",
            "page-processing", "page-skipped",
            "page-processing", "question-generated", "question-generated",
            "generating-metadata", "metadata-generated", "finalizing", "quiz-complete");

    @TempDir
    Path dir;
    RealtimeHub hub;
    FileStore files;
    QuizPipeline pipeline;
    final List<Duration> sleeps = new CopyOnWriteArrayList<>();
    final Sleeper recordingSleeper = sleeps::add;

    @BeforeEach
    void setUp() {
        hub = RealtimeHub.builder().build();
        files = FileStore.localDirectory(dir, LocalDirectoryFileStore.DEFAULT_MAX_BYTES);
    }

    @AfterEach
    void tearDown() {
        if (pipeline != null) {
            pipeline.close();
        }
        hub.close();
    }

    QuizPipeline.Builder builder(QuestionGenerator generator) {
        return QuizPipeline.builder(hub).generator(generator).fileStore(files)
                .publicBaseUrl("https://quiz.example/").pageRetries(2, Duration.ofMillis(5)).sleeper(recordingSleeper);
    }

    QuizPipeline start(QuizPipeline.Builder b) {
        pipeline = b.build().register();
        return pipeline;
    }

    String upload(byte[] pdf) {
        return files.save(pdf, "course.pdf");
    }

    static Map<String, Object> request(String filename, int perPage) {
        return Map.of("filename", filename, "options", Map.of("questionsPerPage", perPage, "difficulty", "mixed",
                "includeExplanations", true, "generateImages", false, "language", "English"));
    }

    static byte[] mixedPdf() {
        return TestPdfs.builder().text(TestPdfs.PAGES.get(0)).text(TestPdfs.PAGES.get(1)).blank().imageOnly()
                .text(TestPdfs.PAGES.get(2)).build();
    }

    static List<String> types(List<Frame> frames) {
        return frames.stream().map(Frame::describe).toList();
    }

    /** Counts calls per page marker and can fail or block chosen pages. */
    static final class ScriptedGenerator implements QuestionGenerator {
        final QuestionGenerator delegate = new OfflineQuestionGenerator();
        final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
        final AtomicInteger total = new AtomicInteger();
        volatile Function<QuestionRequest, List<Question>> script = delegate::generate;

        @Override
        public List<Question> generate(QuestionRequest request) {
            total.incrementAndGet();
            for (String marker : List.of("Warsaw", "Becquerel", "Lovelace", "Rubicon")) {
                if (request.text().contains(marker)) {
                    calls.computeIfAbsent(marker, k -> new AtomicInteger()).incrementAndGet();
                }
            }
            return script.apply(request);
        }

        int calls(String marker) {
            AtomicInteger n = calls.get(marker);
            return n == null ? 0 : n.get();
        }
    }

    // ---- helpers ----

    static List<String> fields(JsonNode node) {
        List<String> out = new ArrayList<>();
        Iterator<String> it = node.fieldNames();
        it.forEachRemaining(out::add);
        return out;
    }
}

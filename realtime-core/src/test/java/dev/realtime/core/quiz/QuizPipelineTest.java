package dev.realtime.core.quiz;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.realtime.core.ErrorCode;
import dev.realtime.core.RealtimeHub;
import dev.realtime.core.llm.Sleeper;
import dev.realtime.core.quiz.QuizClient.Ack;
import dev.realtime.core.quiz.QuizClient.Frame;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The quiz pipeline end to end: real PDFs, a real hub, in-process clients on both protocols. */
@Timeout(30)
class QuizPipelineTest {
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
    private RealtimeHub hub;
    private FileStore files;
    private QuizPipeline pipeline;
    private final List<Duration> sleeps = new CopyOnWriteArrayList<>();
    private final Sleeper recordingSleeper = sleeps::add;

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

    private QuizPipeline.Builder builder(QuestionGenerator generator) {
        return QuizPipeline.builder(hub).generator(generator).fileStore(files)
                .publicBaseUrl("https://quiz.example/").pageRetries(2, Duration.ofMillis(5)).sleeper(recordingSleeper);
    }

    private QuizPipeline start(QuizPipeline.Builder b) {
        pipeline = b.build().register();
        return pipeline;
    }

    private String upload(byte[] pdf) {
        return files.save(pdf, "course.pdf");
    }

    private static Map<String, Object> request(String filename, int perPage) {
        return Map.of("filename", filename, "options", Map.of("questionsPerPage", perPage, "difficulty", "mixed",
                "includeExplanations", true, "generateImages", false, "language", "English"));
    }

    private static byte[] mixedPdf() {
        return TestPdfs.builder().text(TestPdfs.PAGES.get(0)).text(TestPdfs.PAGES.get(1)).blank().imageOnly()
                .text(TestPdfs.PAGES.get(2)).build();
    }

    private static List<String> types(List<Frame> frames) {
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

    // ---- event sequences ----

    @Test
    void nativeClientGetsTheExactSeedSequence() {
        start(builder(new OfflineQuestionGenerator()).maxParallelPages(1));
        String file = upload(mixedPdf());
        QuizClient c = QuizClient.nativeClient(hub);
        assertFullRun(c, file);
    }

    @Test
    void socketIoClientOnQuizNamespaceGetsTheSameSequence() {
        start(builder(new OfflineQuestionGenerator()).maxParallelPages(1));
        String file = upload(mixedPdf());
        QuizClient c = QuizClient.socketIo(hub);
        assertFullRun(c, file);
    }

    private void assertFullRun(QuizClient c, String file) {
        Ack ack = c.request("generate-quiz", request(file, 2));
        assertNull(ack.errorCode());
        String quizId = ack.data().path("quizId").asText();
        String jobId = ack.data().path("jobId").asText();
        assertFalse(quizId.isBlank());
        assertFalse(jobId.isBlank());
        assertEquals(List.of("quizId", "jobId"), fields(ack.data()));

        List<Frame> frames = c.untilTerminal();
        assertEquals(FULL_SEQUENCE, types(frames));

        int n = 0;
        for (Frame f : frames) {
            if (f.event().equals("quiz-event")) {
                assertEquals(List.of("type", "data"), fields(f.data()));
                assertEquals(quizId, f.data().path("data").path("quizId").asText(), f.toString());
                assertFalse(f.data().path("data").path("message").asText().isBlank(), f.toString());
            }
            if (f.type().equals("pdf-processed")) {
                assertEquals(5, f.data().path("data").path("totalPages").asInt());
            }
            if (f.type().equals("question-generated")) {
                JsonNode d = f.data().path("data");
                assertEquals(++n, d.path("totalQuestions").asInt());
                assertEquals(4, d.path("question").path("options").size());
                assertEquals(5, d.path("totalPages").asInt());
                assertTrue(d.path("currentPage").asInt() == 1 || d.path("currentPage").asInt() == 2
                        || d.path("currentPage").asInt() == 5, d.toString());
            }
            if (f.type().equals("page-skipped")) {
                assertEquals("insufficient_text", f.data().path("data").path("reason").asText());
            }
        }
        JsonNode complete = frames.get(frames.size() - 1).data();
        assertEquals("completed", complete.path("type").asText());
        JsonNode d = complete.path("data");
        assertEquals(List.of("quiz", "quizId", "magicLink", "shareUrl", "totalQuestions", "title", "stats"), fields(d));
        assertEquals(quizId, d.path("quizId").asText());
        assertEquals(6, d.path("totalQuestions").asInt());
        assertEquals("The Life of Marie Curie", d.path("title").asText());
        assertEquals("https://quiz.example/api/quizzes/" + quizId, d.path("shareUrl").asText());
        String magic = d.path("magicLink").asText();
        assertTrue(Pattern.matches("https://quiz\\.example/q/[A-Za-z0-9_-]{43}", magic), magic);
        JsonNode stats = d.path("stats");
        assertEquals(List.of("totalPages", "pagesProcessed", "totalQuestions", "generatedAt"), fields(stats));
        assertEquals(5, stats.path("totalPages").asInt());
        assertEquals(3, stats.path("pagesProcessed").asInt());
        assertEquals(6, stats.path("totalQuestions").asInt());
        assertEquals(6, d.path("quiz").path("questions").size());
        assertFalse(d.path("quiz").has("magicToken"), "the token is only in the link");
        assertFalse(d.path("quiz").has("sourcePages"));

        Quiz stored = pipeline.store().byId(quizId).orElseThrow();
        assertEquals(stored, pipeline.store().byMagicToken(magic.substring(magic.lastIndexOf('/') + 1)).orElseThrow());
        assertEquals(6, stored.questions().size());
        assertEquals(List.of("processed", "processed", "skipped", "skipped", "processed"),
                stored.sourcePages().stream().map(SourcePage::status).toList());
        c.transport.assertNoMore(200);
    }

    @Test
    void parallelPagesAreReleasedInPageOrder() throws Exception {
        CountDownLatch page3Done = new CountDownLatch(1);
        List<String> completionOrder = new CopyOnWriteArrayList<>();
        OfflineQuestionGenerator offline = new OfflineQuestionGenerator();
        QuestionGenerator g = r -> {
            java.util.regex.Matcher m = Pattern.compile("part\\s+(\\d+)\\s+of").matcher(r.text());
            String part = m.find() ? m.group(1) : "?";
            if (part.equals("1")) {
                try {
                    assertTrue(page3Done.await(10, TimeUnit.SECONDS));
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }
            List<Question> qs = offline.generate(r);
            completionOrder.add(part);
            if (part.equals("3")) {
                page3Done.countDown();
            }
            return qs;
        };
        start(builder(g).maxParallelPages(4));
        String file = upload(TestPdfs.builder().textPages(8).build());
        QuizClient c = QuizClient.nativeClient(hub);
        c.request("generate-quiz", request(file, 2));
        List<Frame> frames = c.untilTerminal();
        assertEquals("quiz-complete", frames.get(frames.size() - 1).event());
        assertTrue(completionOrder.indexOf("3") < completionOrder.indexOf("1"), "page 3 finished first");
        List<Integer> pages = new ArrayList<>();
        for (Frame f : frames) {
            if (f.type().equals("question-generated")) {
                pages.add(f.data().path("data").path("currentPage").asInt());
            }
        }
        assertEquals(16, pages.size());
        for (int i = 1; i < pages.size(); i++) {
            assertTrue(pages.get(i - 1) <= pages.get(i), "in page order: " + pages);
        }
        List<Integer> started = frames.stream().filter(f -> f.type().equals("page-processing"))
                .map(f -> f.data().path("data").path("currentPage").asInt()).toList();
        assertEquals(List.of(1, 2, 3, 4, 5, 6, 7, 8), started);
    }

    // ---- failures and retries ----

    @Test
    void aPageThatKeepsFailingGivesPageErrorAndTheQuizStillCompletes() {
        ScriptedGenerator g = new ScriptedGenerator();
        g.script = r -> {
            if (r.text().contains("Becquerel")) {
                throw new QuestionGenerationException(ErrorCode.UNAVAILABLE, "model overloaded");
            }
            return g.delegate.generate(r);
        };
        start(builder(g).maxParallelPages(2));
        String file = upload(TestPdfs.builder().text(TestPdfs.PAGES.get(0)).text(TestPdfs.PAGES.get(1))
                .text(TestPdfs.PAGES.get(2)).build());
        QuizClient c = QuizClient.nativeClient(hub);
        c.request("generate-quiz", request(file, 2));
        List<Frame> frames = c.untilTerminal();

        Frame error = frames.stream().filter(f -> f.type().equals("page-error")).findFirst().orElseThrow();
        assertEquals(2, error.data().path("data").path("currentPage").asInt());
        assertEquals("unavailable", error.data().path("data").path("error").asText());
        assertEquals("model overloaded", error.data().path("data").path("message").asText());
        assertEquals(3, g.calls("Becquerel"), "first call + 2 retries");
        assertEquals(List.of(Duration.ofMillis(5), Duration.ofMillis(10)), sleeps, "exponential backoff");
        JsonNode done = frames.get(frames.size() - 1).data();
        assertEquals("quiz-complete", frames.get(frames.size() - 1).event());
        assertEquals(4, done.path("data").path("totalQuestions").asInt());
        assertEquals(2, done.path("data").path("stats").path("pagesProcessed").asInt());
    }

    @Test
    void aTransientFailureIsRetriedAndSucceeds() {
        ScriptedGenerator g = new ScriptedGenerator();
        AtomicInteger failures = new AtomicInteger();
        g.script = r -> {
            if (r.text().contains("Warsaw") && failures.getAndIncrement() == 0) {
                throw new IllegalStateException("connection reset");
            }
            return g.delegate.generate(r);
        };
        start(builder(g));
        String file = upload(TestPdfs.builder().text(TestPdfs.PAGES.get(0)).text(TestPdfs.PAGES.get(2)).build());
        QuizClient c = QuizClient.nativeClient(hub);
        c.request("generate-quiz", request(file, 2));
        List<Frame> frames = c.untilTerminal();
        assertFalse(types(frames).contains("page-error"), types(frames).toString());
        assertEquals(2, g.calls("Warsaw"));
        assertEquals(List.of(Duration.ofMillis(5)), sleeps);
        assertEquals(4, frames.get(frames.size() - 1).data().path("data").path("totalQuestions").asInt());
    }

    @Test
    void noQuestionsAtAllIsAQuizError() {
        start(builder(r -> List.of()));
        String file = upload(TestPdfs.builder().text(TestPdfs.PAGES.get(0)).build());
        QuizClient c = QuizClient.nativeClient(hub);
        c.request("generate-quiz", request(file, 2));
        List<Frame> frames = c.untilTerminal();
        assertEquals(List.of("start", "progress", "progress", "pdf-processed", "page-processing", "page-warning",
                "quiz-error"), types(frames));
        JsonNode err = frames.get(frames.size() - 1).data();
        assertEquals("no_questions", err.path("error").asText());
        assertEquals("generation", err.path("stage").asText());
    }

    // ---- cancellation ----

    /** Blocks every call until released; counts calls and interrupts. */
    static final class BlockingGenerator implements QuestionGenerator {
        final AtomicInteger calls = new AtomicInteger();
        final AtomicInteger interrupted = new AtomicInteger();
        final CountDownLatch release = new CountDownLatch(1);
        final OfflineQuestionGenerator offline = new OfflineQuestionGenerator();

        @Override
        public List<Question> generate(QuestionRequest request) {
            calls.incrementAndGet();
            try {
                if (!release.await(20, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("never released");
                }
            } catch (InterruptedException e) {
                interrupted.incrementAndGet();
                Thread.currentThread().interrupt();
                throw new QuestionGenerationException(ErrorCode.UNAVAILABLE, "interrupted");
            }
            return offline.generate(request);
        }
    }

    @Test
    void cancelQuizInterruptsInFlightCallsAndStopsFurtherCalls() {
        BlockingGenerator g = new BlockingGenerator();
        start(builder(g).maxParallelPages(2));
        String file = upload(TestPdfs.builder().textPages(10).build());
        QuizClient c = QuizClient.nativeClient(hub);
        String quizId = c.request("generate-quiz", request(file, 2)).data().path("quizId").asText();
        await().atMost(Duration.ofSeconds(5)).until(() -> g.calls.get() == 2);

        QuizClient stranger = QuizClient.nativeClient(hub);
        assertEquals("forbidden", stranger.request("cancel-quiz", Map.of("quizId", quizId)).errorCode());
        assertEquals("not_found", c.request("cancel-quiz", Map.of("quizId", "nope")).errorCode());

        Ack ack = c.request("cancel-quiz", Map.of("quizId", quizId));
        assertTrue(ack.data().path("cancelled").asBoolean(), ack.toString());
        List<Frame> frames = c.untilTerminal();
        JsonNode err = frames.get(frames.size() - 1).data();
        assertEquals(List.of("type", "message", "error", "stage"), fields(err));
        assertEquals("cancelled", err.path("error").asText());
        assertEquals("generation", err.path("stage").asText());
        assertFalse(types(frames).contains("question-generated"));

        await().atMost(Duration.ofSeconds(5)).until(() -> g.interrupted.get() == 2);
        g.release.countDown();
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> g.calls.get() == 2);
        assertEquals(0, pipeline.activeCount());
        c.transport.assertNoMore(100);
    }

    @Test
    void clientDisconnectStopsTheRun() {
        BlockingGenerator g = new BlockingGenerator();
        start(builder(g).maxParallelPages(2).heartbeatInterval(Duration.ofMillis(100)));
        String file = upload(TestPdfs.builder().textPages(10).build());
        QuizClient c = QuizClient.nativeClient(hub);
        String jobId = c.request("generate-quiz", request(file, 2)).data().path("jobId").asText();
        QuizClient observer = QuizClient.nativeClient(hub);
        observer.subscribeFromStart("job:" + jobId);
        await().atMost(Duration.ofSeconds(5)).until(() -> g.calls.get() == 2);

        c.handle.onClose(1001, "tab closed");

        Frame failed = observer.next("job:error");
        assertEquals("Client disconnected", failed.data().path("error").asText());
        await().atMost(Duration.ofSeconds(5)).until(() -> g.interrupted.get() == 2);
        g.release.countDown();
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> g.calls.get() == 2);
        assertEquals(0, pipeline.activeCount());
    }

    @Test
    void heartbeatWhileAPageTakesLong() {
        CountDownLatch release = new CountDownLatch(1);
        OfflineQuestionGenerator offline = new OfflineQuestionGenerator();
        start(builder(r -> {
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return offline.generate(r);
        }).heartbeatInterval(Duration.ofMillis(100)));
        String file = upload(TestPdfs.builder().text(TestPdfs.PAGES.get(0)).build());
        QuizClient c = QuizClient.nativeClient(hub);
        c.request("generate-quiz", request(file, 1));
        Frame hb;
        do {
            hb = c.next("quiz-event");
        } while (!hb.type().equals("heartbeat"));
        assertEquals(1, hb.data().path("data").path("currentPage").asInt());
        assertTrue(hb.data().path("data").path("elapsedMs").asLong() >= 100);
        release.countDown();
        List<Frame> rest = c.untilTerminal();
        assertEquals("quiz-complete", rest.get(rest.size() - 1).event());
    }

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

    // ---- job events ----

    @Test
    void jobEventsFlowToJobSubscribers() {
        start(builder(new OfflineQuestionGenerator()));
        String file = upload(TestPdfs.builder().text(TestPdfs.PAGES.get(0)).blank().text(TestPdfs.PAGES.get(3))
                .build());
        QuizClient c = QuizClient.nativeClient(hub);
        JsonNode ack = c.request("generate-quiz", request(file, 2)).data();
        String jobId = ack.path("jobId").asText();
        QuizClient observer = QuizClient.nativeClient(hub);
        observer.subscribeFromStart("job:" + jobId);

        Frame started = observer.next();
        assertEquals("job:update", started.event());
        assertEquals("started", started.data().path("status").asText());
        assertEquals(ack.path("quizId").asText(), started.data().path("data").path("quizId").asText());
        List<Integer> progress = new ArrayList<>();
        Frame f;
        while ((f = observer.next()).event().equals("job:progress")) {
            assertEquals(jobId, f.data().path("jobId").asText());
            progress.add(f.data().path("progress").asInt());
        }
        assertEquals(List.of(33, 66, 99), progress);
        assertEquals("job:completed", f.event());
        JsonNode result = f.data().path("result");
        assertEquals(ack.path("quizId").asText(), result.path("quizId").asText());
        assertEquals(4, result.path("totalQuestions").asInt());
        assertEquals("https://quiz.example/api/quizzes/" + ack.path("quizId").asText(),
                result.path("shareUrl").asText());
        assertEquals("quiz-complete", c.untilTerminal().stream().reduce((x, y) -> y).orElseThrow().event());
    }

    // ---- images ----

    @Test
    void pageImagesAreStoredAndLinked() throws Exception {
        start(builder(new OfflineQuestionGenerator()));
        String file = upload(TestPdfs.builder().textWithImage(TestPdfs.PAGES.get(0)).text(TestPdfs.PAGES.get(2))
                .build());
        QuizClient c = QuizClient.nativeClient(hub);
        c.request("generate-quiz", Map.of("filename", file, "options", Map.of("generateImages", true,
                "questionsPerPage", 1)));
        List<Frame> frames = c.untilTerminal();
        List<JsonNode> questions = frames.stream().filter(f -> f.type().equals("question-generated"))
                .map(f -> f.data().path("data").path("question")).toList();
        assertEquals(2, questions.size());
        int[] widths = new int[2];
        for (int i = 0; i < 2; i++) {
            String url = questions.get(i).path("imageUrl").asText();
            assertTrue(Pattern.matches("/api/files/[0-9a-f]{32}\\.png", url), url);
            String name = url.substring("/api/files/".length());
            try (var in = files.open(name)) {
                widths[i] = javax.imageio.ImageIO.read(in).getWidth();
            }
        }
        assertEquals(120, widths[0], "the embedded picture itself");
        assertEquals(200, widths[1], "a rendered thumbnail of a page without pictures");
    }

    // ---- helpers ----

    static List<String> fields(JsonNode node) {
        List<String> out = new ArrayList<>();
        Iterator<String> it = node.fieldNames();
        it.forEachRemaining(out::add);
        return out;
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

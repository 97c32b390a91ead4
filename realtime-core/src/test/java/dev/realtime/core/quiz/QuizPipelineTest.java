package dev.realtime.core.quiz;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.realtime.core.quiz.QuizClient.Ack;
import dev.realtime.core.quiz.QuizClient.Frame;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The quiz pipeline end to end: real PDFs, a real hub, in-process clients on both protocols. Event sequences, job
 * events and images here; failures, retries and cancellation in {@link QuizPipelineFailuresTest}, validation,
 * isolation and builder checks in {@link QuizPipelineValidationTest}.
 */
@Timeout(30)
class QuizPipelineTest extends QuizPipelineTestBase {
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
}

package dev.realtime.core.quiz;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.realtime.core.ErrorCode;
import dev.realtime.core.quiz.QuizClient.Ack;
import dev.realtime.core.quiz.QuizClient.Frame;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The quiz pipeline end to end (real PDFs, a real hub, in-process clients): failures, retries and cancellation. */
@Timeout(30)
class QuizPipelineFailuresTest extends QuizPipelineTestBase {
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
}

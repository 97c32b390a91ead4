package dev.realtime.core.quiz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.realtime.core.Handshake;
import dev.realtime.core.RealtimeHub;
import dev.realtime.core.quiz.QuizClient.Ack;
import dev.realtime.core.quiz.QuizClient.Frame;
import dev.realtime.core.security.JwtAuthenticator;
import dev.realtime.core.security.Jwts;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** An authenticated user: seed 001's quiz_status in the user room, and question replacement. */
@Timeout(30)
class QuizUserFlowTest {
    @TempDir
    Path dir;
    private RealtimeHub hub;
    private QuizPipeline pipeline;
    private FileStore files;

    @BeforeEach
    void setUp() {
        hub = RealtimeHub.builder().authenticator(JwtAuthenticator.builder().hmacSecret(Jwts.SECRET).build()).build();
        files = FileStore.localDirectory(dir, LocalDirectoryFileStore.DEFAULT_MAX_BYTES);
        pipeline = QuizPipeline.builder(hub).generator(new OfflineQuestionGenerator()).fileStore(files)
                .publicBaseUrl("https://quiz.example").build().register();
    }

    @AfterEach
    void tearDown() {
        pipeline.close();
        hub.close();
    }

    private QuizClient user(String name) {
        return QuizClient.nativeClient(hub, new Handshake("/ws",
                Map.of("Authorization", List.of("Bearer " + Jwts.user(name, Instant.now()))), Map.of(), "10.0.0.1"));
    }

    @Test
    void quizStatusReachesTheUserRoomAndAQuestionCanBeReplaced() {
        QuizClient alice = user("alice");
        alice.subscribe("user:alice");
        String file = files.save(TestPdfs.builder().text(TestPdfs.PAGES.get(0)).text(TestPdfs.PAGES.get(1)).build(),
                "curie.pdf");
        JsonNode ack = alice.request("generate-quiz", Map.of("filename", file, "options",
                Map.of("questionsPerPage", 2))).data();
        String quizId = ack.path("quizId").asText();
        String jobId = ack.path("jobId").asText();

        List<Frame> frames = new ArrayList<>(alice.untilTerminal());
        assertEquals("quiz-complete", frames.get(frames.size() - 1).event());
        frames.add(alice.next("quiz_status"));
        List<String> statuses = new ArrayList<>();
        for (Frame f : frames) {
            if (f.event().equals("quiz_status")) {
                JsonNode d = f.data();
                assertEquals(List.of("jobId", "quizId", "status", "progress", "message"), QuizPipelineTest.fields(d));
                assertEquals(jobId, d.path("jobId").asText());
                assertEquals(quizId, d.path("quizId").asText());
                statuses.add(d.path("status").asText() + ":" + d.path("progress").asInt());
            }
        }
        assertEquals(List.of("processing:0", "processing:50", "processing:99", "completed:100"), statuses);
        Quiz quiz = pipeline.store().byId(quizId).orElseThrow();
        assertEquals("alice", quiz.ownerUserId());

        // replacement
        QuizQuestion before = quiz.questions().get(1);
        Ack replaced = alice.request("replace-question", Map.of("quizId", quizId, "questionIndex", 1,
                "instructions", "Ask about a year"));
        assertNull(replaced.errorCode(), String.valueOf(replaced));
        JsonNode q = replaced.data().path("question");
        assertEquals(quizId, replaced.data().path("quizId").asText());
        assertEquals(1, replaced.data().path("questionIndex").asInt());
        assertNotEquals(before.question(), q.path("question").asText());
        assertEquals(before.page(), q.path("page").asInt());
        String replaceJob = replaced.data().path("jobId").asText();

        List<String> progress = new ArrayList<>();
        JsonNode last;
        do {
            last = alice.next("question_replace").data();
            assertEquals(replaceJob, last.path("jobId").asText());
            assertEquals(1, last.path("questionIndex").asInt());
            progress.add(last.path("status").asText() + ":" + last.path("progress").asInt());
        } while (last.path("status").asText().equals("processing"));
        assertEquals(List.of("processing:0", "processing:30", "processing:80", "completed:100"), progress);
        assertEquals(q, last.path("question"));

        Quiz after = pipeline.store().byId(quizId).orElseThrow();
        assertEquals(q.path("question").asText(), after.questions().get(1).question());
        assertEquals(quiz.questions().get(0), after.questions().get(0));
        assertEquals(quiz.questions().size(), after.questions().size());
        alice.transport.assertNoMore(100);

        QuizClient bob = user("bob");
        assertEquals("forbidden", bob.request("replace-question", Map.of("quizId", quizId, "questionIndex", 0))
                .errorCode());
        assertEquals("not_found", alice.request("replace-question", Map.of("quizId", "nope", "questionIndex", 0))
                .errorCode());
        assertEquals("bad_request", alice.request("replace-question", Map.of("quizId", quizId, "questionIndex", 99))
                .errorCode());
        assertTrue(pipeline.store().byMagicToken(quiz.magicToken()).isPresent());
    }
}

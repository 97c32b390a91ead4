package dev.realtime.jakarta.socketio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.realtime.core.RealtimeHub;
import dev.realtime.core.quiz.FileStore;
import dev.realtime.core.quiz.OfflineQuestionGenerator;
import dev.realtime.core.quiz.QuizPipeline;
import dev.realtime.core.quiz.TestPdfs;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Seed 000's quiz flow driven by the official npm socket.io-client over a real connection. */
class SocketIoQuizTest {

    @Test
    void generateQuizEmitsSeed000EventSequence(@TempDir Path dir) throws Exception {
        try (SocketIoServerFixture fx = new SocketIoServerFixture(RealtimeHub.builder())) {
            FileStore files = FileStore.localDirectory(dir, 10L << 20);
            try (QuizPipeline quizzes = QuizPipeline.builder(fx.hub).generator(new OfflineQuestionGenerator())
                    .fileStore(files).maxParallelPages(1).publicBaseUrl(fx.url()).build().register()) {
                String filename = files.save(TestPdfs.builder().textPages(2).blank().build(), "lesson.pdf");
                try (NodePeer peer = new NodePeer(fx.url(), "quiz", filename)) {
                    JsonNode r = peer.next("hello");
                    assertEquals("connection", r.path("hello").asText());
                    assertFalse(r.path("ack").path("quizId").asText().isEmpty(), r.toString());
                    List<String> types = new ArrayList<>();
                    r.path("types").forEach(t -> types.add(t.asText()));
                    List<String> distinct = types.stream().filter(t -> !t.equals("heartbeat")).distinct().toList();
                    assertEquals(List.of("start", "progress", "pdf-processed", "page-processing",
                            "question-generated", "page-skipped", "generating-metadata", "metadata-generated",
                            "finalizing"), distinct, types.toString());
                    assertEquals(3, types.stream().filter("page-processing"::equals).count());
                    JsonNode complete = r.path("complete");
                    assertEquals("completed", complete.path("type").asText(), r.toString());
                    JsonNode data = complete.path("data");
                    assertEquals(r.path("questions").asInt(), data.path("totalQuestions").asInt());
                    assertTrue(data.path("totalQuestions").asInt() >= 2);
                    assertEquals(3, data.path("stats").path("totalPages").asInt());
                    assertTrue(data.path("magicLink").asText().startsWith(fx.url() + "/q/"));
                    assertTrue(data.path("shareUrl").asText().endsWith(data.path("quizId").asText()));
                    assertFalse(data.path("title").asText().isBlank());
                    peer.awaitDone();
                }
            }
        }
    }
}

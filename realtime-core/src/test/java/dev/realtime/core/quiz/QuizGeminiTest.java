package dev.realtime.core.quiz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.realtime.core.RealtimeHub;
import dev.realtime.core.llm.ApiKeyPool;
import dev.realtime.core.llm.GeminiClient;
import dev.realtime.core.llm.GeminiKeyRotatingClient;
import dev.realtime.core.quiz.QuizClient.Frame;
import dev.realtime.core.testing.FakeClock;
import dev.realtime.core.testing.FakeGeminiServer;
import dev.realtime.core.testing.FakeGeminiServer.FakeResponse;
import dev.realtime.core.testing.FakeSleeper;
import dev.realtime.core.testing.GeminiBodies;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The pipeline over GeminiQuestionGenerator, the rotating key pool and a fake Gemini on a real port. */
@Timeout(30)
class QuizGeminiTest {
    static final String Q1 = """
            {"question":"In which city was Marie Curie born?","options":["Paris","Warsaw","Vienna","Krakow"],
             "correctAnswerIndex":1,"explanation":"The page says she was born in Warsaw.","difficulty":"EASY"}""";
    static final String Q2 = """
            {"question":"Which element did the Curies name after Poland?","options":["Radium","Uranium","Polonium","Thorium"],
             "correctAnswerIndex":2,"explanation":"Polonium was named after Poland.","difficulty":"MEDIUM"}""";

    @TempDir
    Path dir;
    private final RealtimeHub hub = RealtimeHub.builder().build();
    private final FakeGeminiServer server = FakeGeminiServer.start();
    private QuizPipeline pipeline;

    @AfterEach
    void tearDown() {
        if (pipeline != null) {
            pipeline.close();
        }
        hub.close();
        server.close();
    }

    static FakeResponse twoQuestions() {
        return FakeResponse.ok(GeminiBodies.quiz("{\"questions\":[" + Q1 + "," + Q2 + "]}"));
    }

    @Test
    void completesWhenOneOfTwoKeysIsRateLimited() {
        server.always("k1", FakeResponse.error(429, GeminiBodies.RATE_LIMIT_PER_MINUTE));
        server.defaultResponse(twoQuestions());
        FakeClock clock = FakeClock.atDefault();
        ApiKeyPool pool = ApiKeyPool.builder().addKey("k1").addKey("k2").clock(clock)
                .sleeper(new FakeSleeper(clock)).build();
        GeminiKeyRotatingClient gemini = GeminiKeyRotatingClient.builder(
                GeminiClient.builder().baseUrl(server.baseUrl()).build(), pool).sleeper(new FakeSleeper(clock)).build();
        FileStore files = FileStore.localDirectory(dir, LocalDirectoryFileStore.DEFAULT_MAX_BYTES);
        pipeline = QuizPipeline.builder(hub).generator(GeminiQuestionGenerator.builder(gemini).build())
                .fileStore(files).maxParallelPages(3).build().register();
        String file = files.save(TestPdfs.builder().textPages(3).build(), "course.pdf");

        QuizClient c = QuizClient.socketIo(hub);
        c.request("generate-quiz", Map.of("filename", file, "options", Map.of("questionsPerPage", 2)));
        List<Frame> frames = c.untilTerminal();
        assertFalse(frames.stream().anyMatch(f -> f.type().equals("page-error")), frames.toString());
        Frame done = frames.get(frames.size() - 1);
        assertEquals("quiz-complete", done.event());
        JsonNode data = done.data().path("data");
        assertEquals(6, data.path("totalQuestions").asInt());
        assertEquals("Warsaw", data.path("quiz").path("questions").get(0).path("options").get(1).asText());
        assertTrue(server.requestsFor("k1").size() >= 1, "the limited key was tried");
        assertEquals(3, server.requestsFor("k2").size(), "one successful call per page, all on the healthy key");
        assertTrue(server.requests().get(0).json().at("/contents/0/parts/0/text").asText().contains("<page>"));
    }
}

package dev.realtime.core.quiz;

import com.fasterxml.jackson.databind.JsonNode;
import dev.realtime.core.ErrorCode;
import dev.realtime.core.llm.ApiKeyPool;
import dev.realtime.core.llm.GeminiClient;
import dev.realtime.core.llm.GeminiKeyRotatingClient;
import dev.realtime.core.testing.FakeGeminiServer;
import dev.realtime.core.testing.FakeGeminiServer.FakeResponse;
import dev.realtime.core.testing.FakeSleeper;
import dev.realtime.core.testing.GeminiBodies;
import dev.realtime.core.testing.FakeClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(10)
class GeminiQuestionGeneratorTest {
    private static final String PAGE = "Photosynthesis converts light energy into chemical energy in chloroplasts.";
    private static final String Q1 = """
            {"question":"Where does photosynthesis take place?","options":["Mitochondria","Chloroplasts","Nucleus","Ribosomes"],
             "correctAnswerIndex":1,"explanation":"The page says it happens in chloroplasts.","difficulty":"EASY"}""";
    private static final String Q2 = """
            {"question":"What does photosynthesis convert light energy into?","options":["Heat","Sound","Chemical energy","Kinetic energy"],
             "correctAnswerIndex":2,"explanation":"Light energy becomes chemical energy.","difficulty":"MEDIUM"}""";

    private FakeGeminiServer server;
    private GeminiQuestionGenerator generator;

    @BeforeEach
    void setUp() {
        server = FakeGeminiServer.start();
        FakeClock clock = FakeClock.atDefault();
        ApiKeyPool pool = ApiKeyPool.builder().addKey("k1").addKey("k2").clock(clock)
                .sleeper(new FakeSleeper(clock)).build();
        GeminiKeyRotatingClient rotating = GeminiKeyRotatingClient.builder(
                GeminiClient.builder().baseUrl(server.baseUrl()).build(), pool).sleeper(new FakeSleeper(clock)).build();
        generator = GeminiQuestionGenerator.builder(rotating).build();
    }

    @AfterEach
    void tearDown() {
        server.close();
    }

    private static FakeResponse quiz(String... questions) {
        return FakeResponse.ok(GeminiBodies.quiz("{\"questions\":[" + String.join(",", questions) + "]}"));
    }

    @Test
    void schemaConstrainedQuestionsAreParsedAndValidated() {
        server.defaultResponse(quiz(Q1, Q2));
        List<Question> questions = generator.generate(new QuestionRequest(PAGE, 2, "mixed", true, "English", "Biology"));

        assertEquals(2, questions.size());
        Question q = questions.get(0);
        assertEquals("Where does photosynthesis take place?", q.question());
        assertEquals("Chloroplasts", q.correctAnswer());
        assertEquals("easy", q.difficulty());
        assertEquals("medium", questions.get(1).difficulty());

        JsonNode body = server.requests().get(0).json();
        assertEquals(GeminiQuestionGenerator.SYSTEM_INSTRUCTION, body.at("/systemInstruction/parts/0/text").asText());
        assertTrue(body.at("/contents/0/parts/0/text").asText().contains(PAGE));
        String task = body.at("/contents/0/parts/1/text").asText();
        assertTrue(task.contains("Write 2 multiple-choice questions") && task.contains("Biology"), task);
        assertTrue(task.contains("strictly on the page text"), task);
        JsonNode config = body.at("/generationConfig");
        assertEquals("application/json", config.path("responseMimeType").asText());
        JsonNode item = config.at("/responseSchema/properties/questions/items");
        assertEquals(4, item.at("/properties/options/minItems").asInt());
        assertEquals(4, item.at("/properties/options/maxItems").asInt());
        assertEquals(3, item.at("/properties/correctAnswerIndex/maximum").asInt());
        assertEquals("question", item.at("/propertyOrdering/0").asText());
        assertEquals(2, config.at("/responseSchema/properties/questions/maxItems").asInt());
    }

    @Test
    void invalidJsonThenValidIsRetried() {
        server.enqueue("k1", FakeResponse.ok(GeminiBodies.quiz("Sure! Here are your questions: {\"questions\": [")));
        server.defaultResponse(quiz(Q1));
        List<Question> questions = generator.generate(QuestionRequest.of(PAGE, 1));
        assertEquals(1, questions.size());
        assertEquals(2, server.requests().size());
    }

    @Test
    void truncatedOutputIsRetriedWithMoreTokens() {
        server.enqueue("k1", FakeResponse.ok(GeminiBodies.MAX_TOKENS_TRUNCATED_JSON));
        server.defaultResponse(quiz(Q1));
        assertEquals(1, generator.generate(QuestionRequest.of(PAGE, 1)).size());
        assertEquals(4096, server.requests().get(0).json().at("/generationConfig/maxOutputTokens").asInt());
        assertEquals(8192, server.requests().get(1).json().at("/generationConfig/maxOutputTokens").asInt());
    }

    @Test
    void invalidQuestionsAreDroppedAndShortfallRetried() {
        String threeOptions = Q1.replace("\"Nucleus\",", "");
        String duplicateOptions = Q2.replace("\"Sound\"", "\"heat\"");
        String badIndex = Q1.replace("\"correctAnswerIndex\":1", "\"correctAnswerIndex\":4");
        String allOfTheAbove = Q2.replace("\"Kinetic energy\"", "\"All of the above\"");
        String blank = Q1.replace("Where does photosynthesis take place?", " ");
        server.enqueue("k1", quiz(threeOptions, duplicateOptions, badIndex, allOfTheAbove, blank, Q1));
        server.defaultResponse(quiz(Q1, Q2));
        List<Question> questions = generator.generate(QuestionRequest.of(PAGE, 2));
        assertEquals(2, questions.size());
        assertEquals(2, server.requests().size(), "only 1 of 2 valid on the first attempt");
    }

    @Test
    void persistentGarbageFailsAfterTheBound() {
        server.defaultResponse(FakeResponse.ok(GeminiBodies.quiz("not json")));
        QuestionGenerationException e = assertThrows(QuestionGenerationException.class,
                () -> generator.generate(QuestionRequest.of(PAGE, 3)));
        assertEquals(ErrorCode.UNAVAILABLE, e.code());
        assertEquals(3, server.requests().size());
    }

    @Test
    void partialResultIsReturnedAfterTheBound() {
        server.defaultResponse(quiz(Q1));
        List<Question> questions = generator.generate(QuestionRequest.of(PAGE, 3));
        assertEquals(1, questions.size());
        assertEquals(3, server.requests().size());
    }

    @Test
    void blockedPromptAndApiErrorsFailImmediately() {
        server.defaultResponse(FakeResponse.ok(GeminiBodies.BLOCKED_PROMPT));
        QuestionGenerationException blocked = assertThrows(QuestionGenerationException.class,
                () -> generator.generate(QuestionRequest.of(PAGE, 1)));
        assertEquals(ErrorCode.BAD_REQUEST, blocked.code());
        assertEquals(1, server.requests().size());

        server.defaultResponse(FakeResponse.error(429, GeminiBodies.RATE_LIMIT_PER_MINUTE));
        QuestionGenerationException limited = assertThrows(QuestionGenerationException.class,
                () -> generator.generate(QuestionRequest.of(PAGE, 1)));
        assertEquals(ErrorCode.RATE_LIMITED, limited.code());
    }

    @Test
    void requestValidation() {
        assertThrows(IllegalArgumentException.class, () -> QuestionRequest.of(" ", 1));
        assertThrows(IllegalArgumentException.class, () -> QuestionRequest.of("x", 0));
        assertThrows(IllegalArgumentException.class, () -> new QuestionRequest("x", 1, "extreme", true, null, null));
        QuestionRequest r = new QuestionRequest("x", 1, "HARD", false, " ", " ");
        assertEquals("hard", r.difficulty());
        assertEquals("English", r.language());
        assertEquals(null, r.subject());
        assertThrows(IllegalArgumentException.class, () -> GeminiQuestionGenerator.builder(
                GeminiClient.builder().build().forKey("k")).maxAttempts(0));
        assertThrows(IllegalArgumentException.class, () -> new Question("q", List.of("a", "b"), 2, "", "easy"));
        assertTrue(Duration.ofSeconds(1).toMillis() > 0);
    }
}

package dev.realtime.core.quiz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.realtime.core.ConnectionHandle;
import dev.realtime.core.Handshake;
import dev.realtime.core.Protocol;
import dev.realtime.core.RealtimeHub;
import dev.realtime.core.llm.ApiKeyPool;
import dev.realtime.core.llm.GeminiClient;
import dev.realtime.core.llm.GeminiKeyRotatingClient;
import dev.realtime.core.testing.FakeGeminiServer;
import dev.realtime.core.testing.FakeGeminiServer.FakeResponse;
import dev.realtime.core.testing.GeminiBodies;
import dev.realtime.core.testing.RecordingTransport;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Seed 004's question:generate flow over both protocols, against the local Gemini fake over real HTTP. */
class QuestionFlowTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String Q = """
            {"question":"Where does photosynthesis take place?","options":["Mitochondria","Chloroplasts","Nucleus","Ribosomes"],
             "correctAnswerIndex":1,"explanation":"In chloroplasts.","difficulty":"medium"}""";
    private final RealtimeHub hub = RealtimeHub.builder().build();
    private final FakeGeminiServer gemini = FakeGeminiServer.start();
    private QuestionFlow flow;

    @AfterEach
    void tearDown() {
        if (flow != null) {
            flow.close();
        }
        hub.close();
        gemini.close();
    }

    private QuestionGenerator geminiGenerator() {
        ApiKeyPool pool = ApiKeyPool.builder().addKey("k1").addKey("k2").build();
        return GeminiQuestionGenerator.builder(GeminiKeyRotatingClient.builder(
                GeminiClient.builder().baseUrl(gemini.baseUrl()).build(), pool).build()).build();
    }

    @Test
    void socketIoClientGetsGeneratingThenGenerated() throws Exception {
        gemini.always("k1", FakeResponse.error(429, GeminiBodies.RATE_LIMIT_PER_MINUTE));
        gemini.defaultResponse(FakeResponse.ok(GeminiBodies.quiz("{\"questions\":[" + Q + "]}")));
        flow = QuestionFlow.register(hub, geminiGenerator(), Duration.ofSeconds(30), 2);
        RecordingTransport t = new RecordingTransport(new Handshake("/socket.io/", Map.of(),
                Map.of("EIO", List.of("4"), "transport", List.of("websocket")), "127.0.0.1"));
        ConnectionHandle h = hub.connect(t, Protocol.SOCKET_IO);
        t.nextText();
        h.onText("40");
        t.nextText();
        h.onText("421[\"question:generate\",{\"examType\":\"SAT\",\"subject\":\"Biology\",\"difficulty\":\"medium\","
                + "\"questionType\":\"multiple-choice\",\"requestId\":\"r-1\"}]");
        JsonNode generating = null;
        JsonNode ack = null;
        JsonNode generated = null;
        while (generated == null) {
            String f = t.nextText();
            if (f.startsWith("431")) {
                ack = MAPPER.readTree(f.substring(3)).get(0);
            } else if (f.startsWith("42[\"question:generating\"")) {
                generating = MAPPER.readTree(f.substring(2)).get(1);
            } else if (f.startsWith("42[\"question:generated\"")) {
                generated = MAPPER.readTree(f.substring(2)).get(1);
            }
        }
        assertEquals("accepted", ack.path("status").asText());
        assertEquals("r-1", generating.path("requestId").asText());
        assertEquals("r-1", generated.path("requestId").asText());
        assertEquals("Chloroplasts", generated.path("question").path("options").get(1).asText());
        assertEquals(1, generated.path("question").path("correctAnswerIndex").asInt());
        assertTrue(gemini.requestsFor("k2").size() >= 1, "the rate-limited key was rotated away from");
    }

    @Test
    void nativeClientGetsATimeoutError() {
        gemini.latency(Duration.ofSeconds(3));
        gemini.defaultResponse(FakeResponse.ok(GeminiBodies.quiz("{\"questions\":[" + Q + "]}")));
        flow = QuestionFlow.register(hub, geminiGenerator(), Duration.ofMillis(300), 2);
        RecordingTransport t = new RecordingTransport();
        ConnectionHandle h = hub.connect(t, Protocol.NATIVE);
        t.next("connection");
        h.onText("{\"type\":\"emit\",\"id\":\"1\",\"event\":\"question:generate\",\"data\":{\"subject\":\"Math\","
                + "\"requestId\":\"slow\"}}");
        JsonNode err = t.nextMatching(f -> "question:error".equals(f.path("event").asText()));
        assertEquals("slow", err.path("data").path("requestId").asText());
        assertEquals("unavailable", err.path("data").path("code").asText());
    }

    @Test
    void offlineGeneratorNeedsSourceTextAndUsesIt() {
        flow = QuestionFlow.register(hub, new OfflineQuestionGenerator(), Duration.ofSeconds(30), 1);
        RecordingTransport t = new RecordingTransport();
        ConnectionHandle h = hub.connect(t, Protocol.NATIVE);
        t.next("connection");
        h.onText("{\"type\":\"emit\",\"id\":\"1\",\"event\":\"question:generate\",\"data\":{\"subject\":\"History\"}}");
        JsonNode refused = t.next("error");
        assertEquals("bad_request", refused.path("code").asText());
        assertTrue(refused.path("message").asText().contains("context"));
        String context = "Marie Curie was born in Warsaw in 1867. She moved to Paris in 1891 to study physics at the "
                + "University of Paris. In 1903 she shared the Nobel Prize in Physics with Pierre Curie and Henri "
                + "Becquerel. In 1911 she received a second Nobel Prize, in Chemistry, for discovering polonium and radium.";
        h.onText("{\"type\":\"emit\",\"id\":\"2\",\"event\":\"question:generate\",\"data\":{\"subject\":\"History\","
                + "\"requestId\":\"c\",\"context\":" + MAPPER.valueToTree(context) + "}}");
        JsonNode q = t.nextMatching(f -> "question:generated".equals(f.path("event").asText())).path("data");
        assertEquals("c", q.path("requestId").asText());
        assertEquals(4, q.path("question").path("options").size());
        assertFalse(q.path("question").path("question").asText().isBlank());
    }
}

package dev.realtime.core.llm;

import com.fasterxml.jackson.databind.JsonNode;
import dev.realtime.core.ErrorCode;
import dev.realtime.core.testing.FakeGeminiServer;
import dev.realtime.core.testing.FakeGeminiServer.FakeResponse;
import dev.realtime.core.testing.FakeGeminiServer.RecordedRequest;
import dev.realtime.core.testing.GeminiBodies;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(10)
class GeminiClientTest {
    private FakeGeminiServer server;
    private GeminiClient client;

    @BeforeEach
    void setUp() {
        server = FakeGeminiServer.start();
        client = GeminiClient.builder().baseUrl(server.baseUrl()).model("gemini-2.5-flash").build();
    }

    @AfterEach
    void tearDown() {
        server.close();
    }

    @Test
    void sendsRequestInGeminiFormatWithHeaderKey() {
        Map<String, Object> schema = Map.of("type", "OBJECT", "properties", Map.of("a", Map.of("type", "STRING")));
        GenerateContentRequest request = GenerateContentRequest.builder()
                .systemInstruction("You are terse.")
                .userText("Describe this")
                .userInlineData("audio/mp3", "ID3".getBytes(StandardCharsets.US_ASCII))
                .userParts(Part.inlineBase64("image/png", "iVBORw0KGgo="))
                .generationConfig(GenerationConfig.builder().temperature(0.4).maxOutputTokens(256)
                        .responseMimeType("application/json").responseSchema(schema).build())
                .build();

        GenerateContentResponse response = client.generateContent("KEY_A", request);

        assertEquals("Hello from the fake.", response.text());
        assertEquals("STOP", response.finishReason());
        assertEquals(new UsageMetadata(5, 44, 186, 235), response.usageMetadata());
        assertEquals(230, response.usageMetadata().outputTokenCount());
        assertEquals("AdVRaMmDCYekqtsPrb_-iAw", response.responseId());

        RecordedRequest rec = server.requests().get(0);
        assertEquals("/v1beta/models/gemini-2.5-flash:generateContent", rec.path());
        assertNull(rec.query(), "key must not be in the URL");
        assertEquals("KEY_A", rec.header("x-goog-api-key"));
        assertTrue(rec.header("content-type").startsWith("application/json"));
        JsonNode body = rec.json();
        assertEquals("You are terse.", body.at("/systemInstruction/parts/0/text").asText());
        assertEquals("user", body.at("/contents/0/role").asText());
        assertEquals("Describe this", body.at("/contents/0/parts/0/text").asText());
        assertEquals("audio/mp3", body.at("/contents/0/parts/1/inlineData/mimeType").asText());
        assertEquals(Base64.getEncoder().encodeToString("ID3".getBytes(StandardCharsets.US_ASCII)),
                body.at("/contents/0/parts/1/inlineData/data").asText());
        assertEquals("image/png", body.at("/contents/0/parts/2/inlineData/mimeType").asText());
        assertEquals(0.4, body.at("/generationConfig/temperature").asDouble());
        assertEquals(256, body.at("/generationConfig/maxOutputTokens").asInt());
        assertEquals("application/json", body.at("/generationConfig/responseMimeType").asText());
        assertEquals("OBJECT", body.at("/generationConfig/responseSchema/type").asText());
        assertFalse(body.at("/generationConfig").has("topK"), "unset fields are omitted");
    }

    @Test
    void blockedPromptIsTyped() {
        server.always("K", FakeResponse.ok(GeminiBodies.BLOCKED_PROMPT));
        ContentBlockedException e = assertThrows(ContentBlockedException.class,
                () -> client.generateContent("K", GenerateContentRequest.ofText("bad")));
        assertTrue(e.promptBlocked());
        assertEquals("SAFETY", e.reason());
        assertEquals(9, e.response().usageMetadata().promptTokenCount());
        assertEquals(ErrorCode.BAD_REQUEST, e.code());
    }

    @Test
    void filteredOutputIsTyped() {
        for (String reason : List.of("SAFETY", "RECITATION", "PROHIBITED_CONTENT")) {
            server.enqueue("K", FakeResponse.ok(GeminiBodies.finishedWith(reason)));
            ContentBlockedException e = assertThrows(ContentBlockedException.class,
                    () -> client.generateContent("K", GenerateContentRequest.ofText("x")));
            assertFalse(e.promptBlocked());
            assertEquals(reason, e.reason());
            assertEquals("Partial", e.response().text());
        }
    }

    @Test
    void maxTokensIsTruncation() {
        server.enqueue("K", FakeResponse.ok(GeminiBodies.MAX_TOKENS_TRUNCATED_JSON),
                FakeResponse.ok(GeminiBodies.MAX_TOKENS_NO_CONTENT));
        TruncatedResponseException e = assertThrows(TruncatedResponseException.class,
                () -> client.generateContent("K", GenerateContentRequest.ofText("x")));
        assertTrue(e.response().text().startsWith("{\"questions\""));
        assertThrows(TruncatedResponseException.class,
                () -> client.generateContent("K", GenerateContentRequest.ofText("x")));
    }

    @Test
    void emptyCandidatesAreTyped() {
        server.enqueue("K", FakeResponse.ok(GeminiBodies.EMPTY_CANDIDATE), FakeResponse.ok(GeminiBodies.NO_CANDIDATES));
        EmptyResponseException e1 = assertThrows(EmptyResponseException.class,
                () -> client.generateContent("K", GenerateContentRequest.ofText("x")));
        assertEquals("OTHER", e1.finishReason());
        EmptyResponseException e2 = assertThrows(EmptyResponseException.class,
                () -> client.generateContent("K", GenerateContentRequest.ofText("x")));
        assertNull(e2.finishReason());
    }

    @Test
    void httpErrorsCarryParsedEnvelope() {
        server.enqueue("K", FakeResponse.error(429, GeminiBodies.RATE_LIMIT_PER_MINUTE));
        GeminiApiException e = assertThrows(GeminiApiException.class,
                () -> client.generateContent("K", GenerateContentRequest.ofText("x")));
        assertEquals(429, e.httpStatus());
        assertEquals(ErrorCode.RATE_LIMITED, e.code());
        assertEquals("RESOURCE_EXHAUSTED", e.error().status());
        assertEquals(Duration.ofSeconds(38), e.error().retryDelay());
        assertEquals("GenerateRequestsPerMinutePerProjectPerModel-FreeTier",
                e.error().quotaViolations().get(0).quotaId());
        assertTrue(e.error().hasPerMinuteViolation());
        assertNull(e.retryAfterHeader());
    }

    @Test
    void retryAfterHeaderIsExposedWhenPresent() {
        server.enqueue("K", FakeResponse.error(429, GeminiBodies.BARE_429).withHeader("Retry-After", "7"));
        GeminiApiException e = assertThrows(GeminiApiException.class,
                () -> client.generateContent("K", GenerateContentRequest.ofText("x")));
        assertEquals(Duration.ofSeconds(7), e.retryAfterHeader());
    }

    @Test
    void requestTimeoutIsATransportTimeout() {
        GeminiClient fast = GeminiClient.builder().baseUrl(server.baseUrl())
                .requestTimeout(Duration.ofMillis(150)).build();
        server.enqueue("K", FakeResponse.ok(GeminiBodies.OK).withDelay(Duration.ofMillis(1500)));
        GeminiTransportException e = assertThrows(GeminiTransportException.class,
                () -> fast.generateContent("K", GenerateContentRequest.ofText("x")));
        assertEquals(GeminiTransportException.Kind.TIMEOUT, e.kind());
        assertEquals(ErrorCode.UNAVAILABLE, e.code());
    }

    @Test
    void connectionRefusedIsAnIoTransportError() {
        String url = server.baseUrl();
        server.close();
        GeminiClient dead = GeminiClient.builder().baseUrl(url).build();
        GeminiTransportException e = assertThrows(GeminiTransportException.class,
                () -> dead.generateContent("K", GenerateContentRequest.ofText("x")));
        assertEquals(GeminiTransportException.Kind.IO, e.kind());
        server = FakeGeminiServer.start();
    }

    @Test
    void streamsSseChunksWithCrlfOrLfFraming() {
        for (boolean crlf : new boolean[] {true, false}) {
            server.enqueue("K", FakeResponse.sse(crlf, GeminiBodies.SSE_CHUNK_1, GeminiBodies.SSE_CHUNK_2));
            List<GenerateContentResponse> chunks = new ArrayList<>();
            GenerateContentResponse all = client.streamGenerateContent("K", GenerateContentRequest.ofText("hi"),
                    chunks::add);
            assertEquals(2, chunks.size());
            assertEquals("**Italian:** Ciao", chunks.get(1).text());
            assertEquals("Here you go!\n\n1.  **English:** Hi\n**Italian:** Ciao", all.text());
            assertEquals("STOP", all.finishReason());
            assertEquals(235, all.usageMetadata().totalTokenCount(), "usage is cumulative: last chunk wins");
        }
        RecordedRequest rec = server.requests().get(0);
        assertEquals("/v1beta/models/gemini-2.5-flash:streamGenerateContent", rec.path());
        assertEquals("alt=sse", rec.query());
        assertEquals("K", rec.header("x-goog-api-key"));
    }

    @Test
    void streamBlockedPromptAndHttpErrorBeforeStreaming() {
        server.enqueue("K", FakeResponse.sse(true, GeminiBodies.BLOCKED_PROMPT),
                FakeResponse.error(400, GeminiBodies.API_KEY_INVALID));
        List<GenerateContentResponse> chunks = new ArrayList<>();
        assertThrows(ContentBlockedException.class,
                () -> client.streamGenerateContent("K", GenerateContentRequest.ofText("x"), chunks::add));
        GeminiApiException e = assertThrows(GeminiApiException.class,
                () -> client.streamGenerateContent("K", GenerateContentRequest.ofText("x"), chunks::add));
        assertEquals("API_KEY_INVALID", e.error().reason());
        assertTrue(chunks.isEmpty());
    }

    @Test
    void builderValidatesEagerly() {
        assertThrows(IllegalArgumentException.class, () -> GeminiClient.builder().baseUrl("ftp://x"));
        assertThrows(IllegalArgumentException.class, () -> GeminiClient.builder().baseUrl("http://h:1/v1beta"));
        assertThrows(IllegalArgumentException.class, () -> GeminiClient.builder().model("models/gemini"));
        assertThrows(IllegalArgumentException.class, () -> GeminiClient.builder().requestTimeout(Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> GenerationConfig.builder().temperature(2.5));
        assertThrows(IllegalStateException.class, () -> GenerationConfig.builder()
                .responseSchema(Map.of("type", "STRING")).build());
        assertThrows(IllegalStateException.class, () -> GenerateContentRequest.builder().build());
        assertThrows(IllegalArgumentException.class, () -> client.generateContent(" ", GenerateContentRequest.ofText("x")));
        assertEquals(GeminiClient.DEFAULT_BASE_URL, GeminiClient.builder().build().baseUrl());
        assertEquals("http://127.0.0.1:9", GeminiClient.builder().baseUrl("http://127.0.0.1:9/").build().baseUrl().toString());
    }

    @Test
    void fakeValidatesRequestsLikeTheRealApi() {
        server.knownModels("gemini-2.5-flash");
        GeminiClient wrongModel = GeminiClient.builder().baseUrl(server.baseUrl()).model("gemini-pro").build();
        GeminiApiException e = assertThrows(GeminiApiException.class,
                () -> wrongModel.generateContent("K", GenerateContentRequest.ofText("x")));
        assertEquals(404, e.httpStatus());
        assertEquals(ErrorCode.NOT_FOUND, e.code());
    }
}

package dev.realtime.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.realtime.core.RealtimeHub;
import dev.realtime.core.interview.GeminiSuggester;
import dev.realtime.core.interview.GeminiTranscriber;
import dev.realtime.core.interview.InterviewGateway;
import dev.realtime.core.interview.OfflineSuggester;
import dev.realtime.core.interview.PocketsphinxTranscriber;
import dev.realtime.core.interview.SessionAccess;
import dev.realtime.core.interview.SessionDirectory;
import dev.realtime.core.interview.Speech;
import dev.realtime.core.interview.Suggester;
import dev.realtime.core.interview.Transcriber;
import dev.realtime.core.llm.ApiKeyPool;
import dev.realtime.core.llm.GeminiClient;
import dev.realtime.core.llm.GeminiKeyRotatingClient;
import dev.realtime.core.security.JwtAuthenticator;
import dev.realtime.core.security.Jwts;
import dev.realtime.core.testing.FakeGeminiServer;
import dev.realtime.core.testing.FakeGeminiServer.FakeResponse;
import dev.realtime.core.testing.FakeGeminiServer.RecordedRequest;
import dev.realtime.jakarta.server.RealtimeServer;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code transcription:request} over real connections (npm socket.io-client, JWTs): against the fake Gemini
 * server (audio as inline data through the key pool, the streamed answer as partial then final results, then
 * suggestions from Gemini, or offline when Gemini's answer is unusable), with the offline default on speech made
 * by espeak-ng, and {@code unavailable} with how to enable it when no transcriber is installed.
 */
@Timeout(90)
class InterviewTranscriptionTest {
    private final Instant now = Instant.now();
    private RealtimeHub hub;
    private InterviewGateway gateway;
    private RealtimeServer server;
    private FakeGeminiServer gemini;

    private String start(Consumer<InterviewGateway.Builder> customize) {
        SessionAccess access = SessionAccess.of(SessionDirectory.anyAuthenticatedUser());
        hub = RealtimeHub.builder().authenticator(JwtAuthenticator.builder().hmacSecret(Jwts.SECRET).build())
                .allowRooms(SessionAccess.PREFIX, access).build();
        InterviewGateway.Builder b = InterviewGateway.builder(hub).access(access);
        customize.accept(b);
        gateway = b.build();
        server = RealtimeServer.builder().hub(hub).host("127.0.0.1").port(0).build();
        return "http://127.0.0.1:" + server.start();
    }

    @AfterEach
    void tearDown() {
        if (server != null) {
            server.close();
        }
        if (gateway != null) {
            gateway.close();
        }
        if (hub != null) {
            hub.close();
        }
        if (gemini != null) {
            gemini.close();
        }
    }

    private static String sse(String text, boolean last) {
        return "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":" + quote(text) + "}],\"role\":\"model\"},"
                + (last ? "\"finishReason\":\"STOP\"," : "") + "\"index\":0}],\"modelVersion\":\"gemini-2.5-flash\"}";
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static String ok(String text) {
        return "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":" + quote(text) + "}],\"role\":\"model\"},"
                + "\"finishReason\":\"STOP\",\"index\":0}],\"modelVersion\":\"gemini-2.5-flash\"}";
    }

    private SocketIoUsers twoInSession(String base) throws Exception {
        SocketIoUsers users = new SocketIoUsers(base);
        for (String u : List.of("alice", "bob")) {
            assertTrue(users.connect(u, base + "/interview", Jwts.user(u, now)).has("connected"));
            assertEquals("s1", users.call(u, "session:join", Map.of("sessionId", "s1")).path("sessionId").asText());
        }
        return users;
    }

    @Test
    void geminiTranscribesInlineAudioThroughThePoolWithPartialsThenSuggests() throws Exception {
        gemini = FakeGeminiServer.start();
        boolean[] unusableSuggestions = {false};
        gemini.responder(r -> r.rpc().equals("streamGenerateContent")
                ? FakeResponse.sse(false, sse("Tell me about ", false), sse("your last project.", true))
                : FakeResponse.ok(ok(unusableSuggestions[0] ? "not json"
                        : "{\"suggestions\":[\"I led the migration of our billing service.\",\"We cut latency by half.\"]}")));
        ApiKeyPool pool = ApiKeyPool.builder().addKey("key-a").addKey("key-b").build();
        GeminiKeyRotatingClient client = GeminiKeyRotatingClient.builder(GeminiClient.builder()
                .baseUrl(gemini.baseUrl()).build(), pool).build();
        String base = start(b -> b.transcriber(new GeminiTranscriber(client)).suggester(Suggester.withFallback(
                new GeminiSuggester(client, new com.fasterxml.jackson.databind.ObjectMapper()), new OfflineSuggester())));
        byte[] audio = "fake webm bytes".getBytes();
        try (SocketIoUsers users = twoInSession(base)) {
            Map<String, Object> req = new HashMap<>();
            req.put("audioData", Base64.getEncoder().encodeToString(audio));
            req.put("format", "webm");
            req.put("sampleRate", 48000);
            req.put("requestId", "r-1");
            JsonNode ack = users.call("alice", "transcription:request", req);
            assertEquals("processing", ack.path("status").asText(), ack.toString());
            String id = ack.path("transcriptionId").asText();
            for (String u : List.of("alice", "bob")) {
                assertEquals(id, users.event(u, "transcription:processing").path("transcriptionId").asText());
                List<JsonNode> results = users.eventsUntil(u, "transcription:result", d -> d.path("isFinal").asBoolean());
                assertEquals(2, results.size(), results.toString());
                assertEquals("Tell me about", results.get(0).path("text").asText());
                assertFalse(results.get(0).path("isFinal").asBoolean());
                assertEquals("Tell me about your last project.", results.get(1).path("text").asText());
                assertEquals("gemini", results.get(1).path("transcriber").asText());
                assertEquals("r-1", results.get(1).path("requestId").asText());
                JsonNode s = users.event(u, "responses:suggestions");
                assertEquals(id, s.path("transcriptionId").asText(), "tied to the transcription it answers");
                assertEquals("Tell me about your last project.", s.path("forText").asText());
                assertEquals("gemini", s.path("source").asText());
                assertEquals("I led the migration of our billing service.", s.path("suggestions").get(0).asText());
            }
            RecordedRequest transcribe = gemini.requests().stream()
                    .filter(r -> r.rpc().equals("streamGenerateContent")).findFirst().orElseThrow();
            JsonNode inline = transcribe.json().path("contents").get(0).path("parts").get(0).path("inlineData");
            assertEquals("audio/webm", inline.path("mimeType").asText());
            assertEquals(Base64.getEncoder().encodeToString(audio), inline.path("data").asText());
            assertTrue(List.of("key-a", "key-b").contains(transcribe.apiKey()));

            // Gemini's suggestions unusable: the offline fallback answers, still tied to the transcription
            unusableSuggestions[0] = true;
            String id2 = users.call("bob", "transcription:request", req).path("transcriptionId").asText();
            users.eventsUntil("alice", "transcription:result", d -> d.path("isFinal").asBoolean());
            JsonNode offline = users.event("alice", "responses:suggestions");
            assertEquals(id2, offline.path("transcriptionId").asText());
            assertEquals("offline", offline.path("source").asText());
            assertFalse(offline.path("suggestions").isEmpty());
            users.end();
        }
    }

    @Test
    void theOfflineDefaultTranscribesSpeechMadeByEspeak() throws Exception {
        assumeTrue(Speech.canSpeak() && Speech.canTranscribe(), "espeak-ng or pocketsphinx not installed");
        String base = start(b -> { }); // the default transcriber: pocketsphinx, detected
        String said = "what is your greatest strength";
        byte[] wav = Speech.say(said);
        try (SocketIoUsers users = twoInSession(base)) {
            Map<String, Object> req = Map.of("audioData", SocketIoUsers.binary(wav), "format", "wav");
            JsonNode ack = users.callArgs("bob", "transcription:request", req);
            assertEquals("pocketsphinx", ack.path("transcriber").asText(), ack.toString());
            JsonNode fin = users.eventsUntil("alice", "transcription:result", d -> d.path("isFinal").asBoolean())
                    .get(0);
            String heard = fin.path("text").asText();
            System.out.printf("offline over Socket.IO: said \"%s\", heard \"%s\"%n", said, heard);
            assertTrue(Speech.recalled(said, heard).size() >= 2, heard);
            JsonNode s = users.event("alice", "responses:suggestions");
            assertEquals(fin.path("transcriptionId").asText(), s.path("transcriptionId").asText());
            assertEquals("offline", s.path("source").asText());
            users.end();
        }
    }

    @Test
    void withoutAnyTranscriberTheErrorSaysHowToEnableIt() throws Exception {
        String base = start(b -> b.transcriber(Transcriber.unavailable(PocketsphinxTranscriber.HOW_TO_ENABLE)));
        try (SocketIoUsers users = twoInSession(base)) {
            JsonNode ack = users.call("alice", "transcription:request", Map.of("audioData", "AAAA", "format", "wav"));
            assertEquals("unavailable", ack.path("code").asText(), ack.toString());
            JsonNode err = users.event("alice", "transcription:error");
            assertEquals("unavailable", err.path("code").asText());
            assertTrue(err.path("message").asText().contains("apt-get install pocketsphinx pocketsphinx-en-us"));
            assertEquals(1, gateway.stats().transcriptionFailures());
            users.end();
        }
    }
}

package dev.realtime.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.realtime.core.interview.Speech;
import dev.realtime.core.security.Jwts;
import dev.realtime.jakarta.server.ServerOptions;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example server's {@code /interview} as shipped (JWT secret, offline transcriber, {@code claim:sessions}
 * access): the token's claim decides who joins, audio reaches the other member, and a spoken WAV is transcribed
 * offline (or answered {@code unavailable} with how to enable it where pocketsphinx is not installed).
 */
@Timeout(60)
class ExampleInterviewTest {
    private ExampleServer server;
    private String base;
    @TempDir
    Path data;

    @BeforeEach
    void start() {
        server = new ExampleServer(ServerOptions.parse(new String[] {"--port", "0", "--host", "127.0.0.1",
                "--jwt-secret", Jwts.SECRET, "--data-dir", data.toString(), "--interview-access", "claim:sessions"},
                Map.of()), Map.of());
        base = "http://127.0.0.1:" + server.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static String token(String user, String... sessions) {
        return Jwts.hs256(Jwts.claims(user, Instant.now()).claim("sessions", List.of(sessions)).build());
    }

    @Test
    void theShippedGatewayJoinsByClaimRelaysAndTranscribesOffline() throws Exception {
        try (SocketIoUsers users = new SocketIoUsers(base)) {
            String url = base + "/interview";
            users.connect("alice", url, token("alice", "iv-1"));
            users.connect("bob", url, token("bob", "iv-1"));
            users.connect("eve", url, token("eve", "iv-2"));
            assertEquals("iv-1", users.call("alice", "session:join", Map.of("sessionId", "iv-1")).path("sessionId")
                    .asText());
            users.call("bob", "session:join", Map.of("sessionId", "iv-1"));
            assertEquals("forbidden", users.call("eve", "session:join", Map.of("sessionId", "iv-1"))
                    .path("code").asText(), "eve's token names another session");
            users.call("alice", "audio:stream", Map.of("audioData", "AAECAw==", "format", "webm", "sampleRate", 48000));
            assertEquals("AAECAw==", users.event("bob", "audio:received").path("audioData").asText());

            if (Speech.canSpeak()) {
                byte[] wav = Speech.say("tell me about yourself");
                JsonNode ack = users.callArgs("alice", "transcription:request",
                        Map.of("audioData", SocketIoUsers.binary(wav), "format", "wav"));
                if (Speech.canTranscribe()) {
                    assertEquals("processing", ack.path("status").asText(), ack.toString());
                    JsonNode fin = users.eventsUntil("bob", "transcription:result",
                            d -> d.path("isFinal").asBoolean()).get(0);
                    assertFalse(fin.path("text").asText().isBlank(), fin.toString());
                    assertEquals("offline", users.event("bob", "responses:suggestions").path("source").asText());
                } else {
                    assertEquals("unavailable", ack.path("code").asText(), ack.toString());
                    assertTrue(ack.path("message").asText().contains("pocketsphinx"));
                }
            }
            assertEquals(1, server.interviews().stats().chunksRelayed());
            users.end();
        }
    }
}

package dev.realtime.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.realtime.core.RealtimeHub;
import dev.realtime.core.interview.AudioClip;
import dev.realtime.core.interview.InterviewGateway;
import dev.realtime.core.interview.SessionAccess;
import dev.realtime.core.interview.SessionDirectory;
import dev.realtime.core.interview.Transcriber;
import dev.realtime.core.interview.Transcript;
import dev.realtime.core.security.JwtAuthenticator;
import dev.realtime.core.security.Jwts;
import dev.realtime.core.security.Limits;
import dev.realtime.jakarta.server.RealtimeServer;
import dev.realtime.redis.RedisBackend;
import dev.realtime.redis.RedisTestServer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * One interview across two nodes sharing a real redis-server, the npm socket.io-client on each: the members see
 * each other's presence, the status (a late joiner on the other node sees the current one, from the shared
 * history), each other's audio in order, and transcriptions and suggestions made on the other node; a drop on one
 * node is seen as {@code user:disconnected} on the other.
 */
@Timeout(90)
class InterviewClusterTest {

    /** Transcribes "audio" that is UTF-8 text (the words it carries), partial after the first sentence. */
    private static final Transcriber ECHO = new Transcriber() {
        @Override
        public String name() {
            return "echo";
        }

        @Override
        public Transcript transcribe(AudioClip clip, Consumer<String> partial) {
            String text = new String(clip.bytes(), StandardCharsets.UTF_8);
            int dot = text.indexOf(". ");
            if (dot > 0) {
                partial.accept(text.substring(0, dot + 1));
            }
            return new Transcript(text, name(), 1.0);
        }
    };

    private record Node(RealtimeHub hub, InterviewGateway gateway, RealtimeServer server) implements AutoCloseable {
        static Node start(String redisUrl, String id) {
            SessionAccess access = SessionAccess.of(SessionDirectory.fromClaim("sessions"));
            RealtimeHub hub = RealtimeHub.builder().nodeId(id).backend(RedisBackend.create(redisUrl))
                    .authenticator(JwtAuthenticator.builder().hmacSecret(Jwts.SECRET).build())
                    .allowRooms(SessionAccess.PREFIX, access)
                    .limits(Limits.defaults().withHandshakesPerIpPerSecond(10_000)).build();
            InterviewGateway gateway = InterviewGateway.builder(hub).access(access).transcriber(ECHO).build();
            RealtimeServer server = RealtimeServer.builder().hub(hub).host("127.0.0.1").port(0).build();
            server.start();
            return new Node(hub, gateway, server);
        }

        String url() {
            return "http://127.0.0.1:" + server.port() + "/interview";
        }

        @Override
        public void close() {
            server.close();
            gateway.close();
            hub.close();
        }
    }

    private static String token(String user, String... roles) {
        return Jwts.hs256(Jwts.claims(user, Instant.now()).claim("sessions", List.of("s1"))
                .claim("roles", List.of(roles)).build());
    }

    @Test
    void membersOnTwoNodesSeePresenceStatusAudioAndTranscriptions() throws Exception {
        try (RedisTestServer redis = RedisTestServer.start(false);
             Node a = Node.start(redis.url(), "a");
             Node b = Node.start(redis.url(), "b");
             SocketIoUsers users = new SocketIoUsers("http://127.0.0.1:" + a.server().port())) {
            assertTrue(users.connect("alice", a.url(), token("alice")).has("connected"));
            assertTrue(users.connect("bob", b.url(), token("bob")).has("connected"));
            assertEquals("s1", users.call("alice", "session:join", Map.of("sessionId", "s1")).path("sessionId").asText());
            assertEquals("alice", users.event("alice", "user:joined").path("userId").asText());
            JsonNode bobJoined = users.call("bob", "session:join", Map.of("sessionId", "s1"));
            assertEquals(Set.of("alice", "bob"), set(bobJoined.path("participants")), "presence shared by Redis");
            assertEquals("bob", users.event("alice", "user:joined").path("userId").asText(), "B's join reaches A");

            // status set on A reaches B; a late joiner on B sees it from the shared history
            users.call("alice", "session:status", Map.of("status", "active"));
            assertEquals("active", users.event("bob", "session:status:updated").path("status").asText());
            assertTrue(users.connect("carol", b.url(), token("carol")).has("connected"));
            JsonNode late = users.call("carol", "session:join", Map.of("sessionId", "s1"));
            assertEquals("active", late.path("status").path("status").asText(), late.toString());

            // audio from A reaches both members on B, in order; not the sender
            List<String> sent = new ArrayList<>();
            for (int i = 1; i <= 5; i++) {
                String c = "chunk-" + i;
                sent.add(c);
                users.emit("alice", "audio:stream", Map.of("audioData", Base64.getEncoder()
                        .encodeToString(c.getBytes(StandardCharsets.UTF_8)), "format", "webm", "sampleRate", 48000));
            }
            for (String u : List.of("bob", "carol")) {
                List<JsonNode> got = users.eventsUntil(u, "audio:received", d -> d.path("seq").asInt() == 5);
                assertEquals(sent, got.stream().map(d -> new String(Base64.getDecoder().decode(
                        d.path("audioData").asText()), StandardCharsets.UTF_8)).toList());
            }

            // a transcription requested on B reaches A: processing, partial, final, suggestions
            String question = "Tell me about yourself. What is your experience with Java?";
            JsonNode ack = users.call("bob", "transcription:request", Map.of("audioData", Base64.getEncoder()
                    .encodeToString(question.getBytes(StandardCharsets.UTF_8)), "format", "wav"));
            String id = ack.path("transcriptionId").asText();
            assertEquals(id, users.event("alice", "transcription:processing").path("transcriptionId").asText());
            List<JsonNode> results = users.eventsUntil("alice", "transcription:result", d -> d.path("isFinal").asBoolean());
            assertEquals(List.of("Tell me about yourself.", question), results.stream()
                    .map(d -> d.path("text").asText()).toList());
            JsonNode suggestions = users.event("alice", "responses:suggestions");
            assertEquals(id, suggestions.path("transcriptionId").asText());
            assertTrue(suggestions.path("suggestions").size() >= 2, suggestions.toString());
            users.call("alice", "session:status", Map.of("status", "active"));
            assertFalse(users.received("alice", "audio:received"), "the sender does not hear itself");

            // bob's network drops on B: A sees user:disconnected
            users.drop("bob");
            assertEquals("bob", users.event("alice", "user:disconnected").path("userId").asText());
            assertEquals(5, a.gateway().stats().chunksRelayed());
            assertEquals(1, b.gateway().stats().transcriptions());
            users.end();
        }
    }

    private static Set<String> set(JsonNode array) {
        Set<String> s = new HashSet<>();
        array.forEach(n -> s.add(n.asText()));
        return s;
    }
}

package dev.realtime.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.realtime.core.RealtimeHub;
import dev.realtime.core.interview.InMemorySessionDirectory;
import dev.realtime.core.interview.InterviewGateway;
import dev.realtime.core.interview.SessionAccess;
import dev.realtime.core.interview.SessionDirectory;
import dev.realtime.core.interview.Transcriber;
import dev.realtime.core.security.JwtAuthenticator;
import dev.realtime.core.security.Jwts;
import dev.realtime.core.testing.FakeClock;
import dev.realtime.core.testing.FakeScheduler;
import dev.realtime.jakarta.server.RealtimeServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Seed 003's interview sessions over real connections with the npm socket.io-client and signed JWTs on
 * {@code /interview}: two participants join and see each other's presence, status updates reach both (and a late
 * admin sees the current status), audio chunks (base64 text and binary attachments) reach the other member only,
 * in order, limits answer {@code audio:error} codes, a user outside the session is refused and receives nothing,
 * a drop gives {@code user:disconnected}, and the idle cleanup runs every 5 minutes of a fake clock.
 */
@Timeout(60)
class InterviewSocketIoTest {
    private final Instant now = Instant.now();
    private final FakeClock clock = new FakeClock(now);
    private final FakeScheduler scheduler = new FakeScheduler(clock);
    private final InMemorySessionDirectory directory = SessionDirectory.inMemory().add("s1", "alice", "bob");
    private RealtimeHub hub;
    private InterviewGateway gateway;
    private RealtimeServer server;

    private String start(java.util.function.Consumer<InterviewGateway.Builder> customize) {
        SessionAccess access = SessionAccess.of(directory);
        hub = RealtimeHub.builder().clock(clock).heartbeat(Duration.ofHours(2), Duration.ofHours(2))
                .authenticator(JwtAuthenticator.builder().hmacSecret(Jwts.SECRET).build())
                .allowRooms(SessionAccess.PREFIX, access).build();
        InterviewGateway.Builder b = InterviewGateway.builder(hub).access(access).scheduler(scheduler)
                .idleCleanup(Duration.ofMinutes(5), Duration.ofMinutes(6));
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
    }

    private static Map<String, Object> chunk(String text) {
        Map<String, Object> m = new HashMap<>();
        m.put("audioData", Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8)));
        m.put("format", "webm");
        m.put("sampleRate", 48000);
        return m;
    }

    private static String decoded(JsonNode received) {
        return new String(Base64.getDecoder().decode(received.path("audioData").asText()), StandardCharsets.UTF_8);
    }

    @Test
    void twoParticipantsPresenceStatusAudioIsolationDropAndIdleCleanup() throws Exception {
        // 8 chunks of burst per user; the fake clock stands still, so the bucket does not refill
        String base = start(b -> b.transcriber(Transcriber.unavailable("not in this test")).chunkRate(5, 8));
        String url = base + "/interview";
        try (SocketIoUsers users = new SocketIoUsers(base)) {
            assertTrue(users.connect("alice", url, Jwts.user("alice", now)).has("connected"));
            assertTrue(users.connect("bob", url, Jwts.user("bob", now)).has("connected"));
            assertTrue(users.connect("carol", url, Jwts.user("carol", now)).has("connected"));
            assertEquals("alice", users.event("alice", "connection:success").path("userId").asText());

            // alice joins, then bob: each sees the other arrive; bob's join lists both
            JsonNode aliceJoined = users.call("alice", "session:join", Map.of("sessionId", "s1"));
            assertEquals("s1", aliceJoined.path("sessionId").asText(), aliceJoined.toString());
            assertEquals(aliceJoined, users.event("alice", "session:joined"));
            assertTrue(aliceJoined.path("status").isNull(), "no status yet");
            assertEquals("alice", users.event("alice", "user:joined").path("userId").asText());
            JsonNode bobJoined = users.call("bob", "session:join", Map.of("sessionId", "s1"));
            assertEquals(Set.of("alice", "bob"), set(bobJoined.path("participants")));
            JsonNode bobArrived = users.event("alice", "user:joined");
            assertEquals("bob", bobArrived.path("userId").asText());
            assertEquals("s1", bobArrived.path("sessionId").asText());

            // carol is no participant: refused with a code, and she hears nothing of s1 below
            JsonNode refused = users.call("carol", "session:join", Map.of("sessionId", "s1"));
            assertEquals("forbidden", refused.path("code").asText(), refused.toString());
            assertEquals("forbidden", users.event("carol", "session:error").path("code").asText());
            assertEquals("not_joined", users.call("carol", "audio:stream", withSession(chunk("x"), "s1"))
                    .path("code").asText());
            assertEquals("not_joined", users.call("carol", "session:status", Map.of("sessionId", "s1",
                    "status", "paused")).path("code").asText());

            // status: both members see the update; a bad one is refused
            JsonNode updated = users.call("alice", "session:status", Map.of("status", "active"));
            assertEquals("active", updated.path("status").asText(), updated.toString());
            assertEquals("active", users.event("bob", "session:status:updated").path("status").asText());
            assertEquals("active", users.event("alice", "session:status:updated").path("status").asText());
            assertEquals("invalid_status", users.call("bob", "session:status", Map.of("status", "dancing"))
                    .path("code").asText());
            assertEquals("invalid_status", users.event("bob", "session:error").path("code").asText());
            assertEquals("bad_request", users.call("bob", "session:status", List.of(1, 2)).path("code").asText());
            assertEquals("bad_request", users.event("bob", "session:error").path("code").asText());

            // audio from alice: text and binary chunks, sent without waiting, reach bob in order and not alice
            List<String> sent = new ArrayList<>();
            for (int i = 1; i <= 6; i++) {
                String payload = "chunk-" + i;
                sent.add(payload);
                if (i % 2 == 0) {
                    Map<String, Object> bin = chunk(payload);
                    bin.put("audioData", SocketIoUsers.binary(payload.getBytes(StandardCharsets.UTF_8)));
                    users.emit("alice", "audio:stream", bin);
                } else {
                    users.emit("alice", "audio:stream", chunk(payload));
                }
            }
            // a bare attachment with its metadata as the second argument
            JsonNode ack = users.callArgs("alice", "audio:stream",
                    SocketIoUsers.binary("chunk-7".getBytes(StandardCharsets.UTF_8)), Map.of("format", "pcm16",
                            "sampleRate", 16000));
            sent.add("chunk-7");
            assertEquals("ok", ack.path("status").asText(), ack.toString());
            assertEquals(7, ack.path("seq").asInt());
            List<JsonNode> got = users.eventsUntil("bob", "audio:received", d -> d.path("seq").asInt() == 7);
            assertEquals(sent, got.stream().map(InterviewSocketIoTest::decoded).toList());
            assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L), got.stream().map(d -> d.path("seq").asLong()).toList());
            assertEquals(List.of(false, true, false, true, false, true, true),
                    got.stream().map(d -> d.path("binary").asBoolean()).toList());
            assertEquals("alice", got.get(0).path("userId").asText());
            assertEquals("pcm16", got.get(6).path("format").asText());
            assertEquals(16000, got.get(6).path("sampleRate").asInt());
            users.call("alice", "session:status", Map.of("status", "active")); // a round trip after the relay
            assertFalse(users.received("alice", "audio:received"), "the sender does not hear itself");

            // the rate limit is per user: alice's 9th chunk is refused, bob still streams (alice hears him)
            assertEquals("ok", users.call("alice", "audio:stream", chunk("chunk-8")).path("status").asText());
            assertEquals("rate_limited", users.call("alice", "audio:stream", chunk("chunk-9")).path("code").asText());
            assertEquals("rate_limited", users.event("alice", "audio:error").path("code").asText());
            assertEquals("chunk-8", decoded(users.event("bob", "audio:received")));
            assertEquals("ok", users.call("bob", "audio:stream", chunk("from-bob")).path("status").asText());
            JsonNode fromBob = users.event("alice", "audio:received");
            assertEquals("from-bob", decoded(fromBob));
            assertEquals("bob", fromBob.path("userId").asText());

            // limits and bad chunks answer audio:error with a code
            Map<String, Object> big = chunk("x".repeat(300 * 1024));
            assertEquals("too_large", users.call("bob", "audio:stream", big).path("code").asText());
            assertEquals("too_large", users.event("bob", "audio:error").path("code").asText());
            Map<String, Object> bad = chunk("x");
            bad.put("audioData", "%%%not base64");
            assertEquals("bad_request", users.call("bob", "audio:stream", bad).path("code").asText());
            assertEquals("bad_request", users.call("bob", "audio:stream", Map.of("format", "webm"))
                    .path("code").asText());

            // a late joiner (an admin) sees the current status and its history
            assertTrue(users.connect("dave", url, Jwts.user("dave", now, "admin")).has("connected"));
            JsonNode late = users.call("dave", "session:join", "s1"); // the id alone is accepted too
            assertEquals("active", late.path("status").path("status").asText(), late.toString());
            assertEquals(2, late.path("statusHistory").size());
            assertEquals(Set.of("alice", "bob", "dave"), set(late.path("participants")));

            // carol received nothing of the session
            users.call("carol", "session:join", Map.of("sessionId", "nope")); // a round trip for carol
            for (String e : users.bufferedEvents("carol")) {
                assertTrue(Set.of("connection:success", "session:error", "audio:error").contains(e),
                        "carol got " + e);
            }
            assertFalse(users.received("carol", "audio:received"));

            // bob's network drops: the others see user:disconnected
            users.drop("bob");
            JsonNode gone = users.event("alice", "user:disconnected");
            assertEquals("bob", gone.path("userId").asText());
            assertEquals("bob", users.event("dave", "user:disconnected").path("userId").asText());
            assertEquals(Set.of("alice", "dave"), hub.presence("session:s1"));
            assertEquals(9, gateway.stats().chunksRelayed());
            assertEquals(5, gateway.stats().chunksRejected(), "carol's, rate limited, too large, bad base64, no audio");

            // idle cleanup every 5 minutes of the fake clock: not yet idle at 5 (6 needed), cleaned up at 10
            scheduler.advance(Duration.ofMinutes(5));
            assertEquals(0, gateway.stats().sessionsCleanedUp());
            assertTrue(gateway.session("s1").isPresent());
            scheduler.advance(Duration.ofMinutes(5));
            assertEquals(1, gateway.stats().sessionsCleanedUp());
            assertEquals("idle", users.event("alice", "session:left").path("reason").asText());
            assertEquals("idle", users.event("dave", "session:left").path("reason").asText());
            assertTrue(gateway.session("s1").isEmpty());
            assertEquals("not_joined", users.call("alice", "audio:stream", chunk("late")).path("code").asText());
            users.end();
        }
    }

    private static Map<String, Object> withSession(Map<String, Object> m, String sessionId) {
        m.put("sessionId", sessionId);
        return m;
    }

    private static Set<String> set(JsonNode array) {
        Set<String> s = new java.util.HashSet<>();
        array.forEach(n -> s.add(n.asText()));
        return s;
    }
}

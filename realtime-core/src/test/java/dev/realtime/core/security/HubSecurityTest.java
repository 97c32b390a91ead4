package dev.realtime.core.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.realtime.core.ConnectionHandle;
import dev.realtime.core.Handshake;
import dev.realtime.core.HandshakeRejection;
import dev.realtime.core.Protocol;
import dev.realtime.core.RealtimeHub;
import dev.realtime.core.testing.FakeClock;
import dev.realtime.core.testing.RecordingTransport;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Authentication, room rules and limits through the hub, for both protocols. */
class HubSecurityTest {
    private final FakeClock clock = new FakeClock(Instant.now());
    private final Instant now = clock.instant();
    private RealtimeHub hub = hub(Limits.defaults());

    private RealtimeHub hub(Limits limits) {
        return RealtimeHub.builder().clock(clock)
                .authenticator(JwtAuthenticator.builder().hmacSecret(Jwts.SECRET).clock(clock).build())
                .limits(limits)
                .allowedOrigins(List.of("https://quizai.nl", "http://localhost:3000"))
                .allowRooms("contest:", (client, room) -> true)
                .heartbeat(Duration.ofMillis(50), Duration.ofSeconds(60))
                .build();
    }

    @AfterEach
    void close() {
        hub.close();
    }

    private static Handshake native_(Map<String, List<String>> headers, Map<String, List<String>> query) {
        return new Handshake("/ws", headers, query, "10.0.0.1");
    }

    private record Conn(RecordingTransport t, ConnectionHandle h) {
        void send(String s) {
            h.onText(s);
        }
    }

    private Conn connect(String token) {
        RecordingTransport t = new RecordingTransport(native_(Map.of("Authorization", List.of("Bearer " + token)),
                Map.of()));
        return new Conn(t, hub.connect(t, Protocol.NATIVE));
    }

    @Test
    void bearerHeaderQueryAndFirstMessageAuthenticate() {
        Conn a = connect(Jwts.user("alice", now));
        assertEquals("connection", a.t().next().path("type").asText());

        RecordingTransport q = new RecordingTransport(native_(Map.of(),
                Map.of("token", List.of(Jwts.user("bob", now)))));
        hub.connect(q, Protocol.NATIVE);
        assertEquals("connection", q.next().path("type").asText());

        RecordingTransport m = new RecordingTransport(native_(Map.of(), Map.of()));
        ConnectionHandle h = hub.connect(m, Protocol.NATIVE);
        m.assertNoMore(50); // nothing until it authenticates
        h.onText("{\"type\":\"auth\",\"id\":\"1\",\"token\":\"" + Jwts.user("carol", now) + "\"}");
        assertEquals("connection", m.next().path("type").asText());
        // a refresh for the same user is acknowledged
        h.onText("{\"type\":\"auth\",\"id\":\"2\",\"token\":\"" + Jwts.user("carol", now.plusSeconds(5)) + "\"}");
        JsonNode ok = m.next("authenticated");
        assertEquals("carol", ok.path("userId").asText());
        // a refresh for another user is refused, the connection survives
        h.onText("{\"type\":\"auth\",\"id\":\"3\",\"token\":\"" + Jwts.user("mallory", now) + "\"}");
        assertEquals("forbidden", m.next("error").path("code").asText());
    }

    @Test
    void aConnectionWaitingToAuthenticateGetsNoPingTheGreetingIsItsFirstFrame() {
        RecordingTransport m = new RecordingTransport(native_(Map.of(), Map.of()));
        ConnectionHandle h = hub.connect(m, Protocol.NATIVE);
        clock.advance(Duration.ofMillis(200)); // four heartbeat intervals on the hub's clock, within the auth timeout
        // the sweep runs every 20-50 ms meanwhile: nothing at all, not even a ping, may precede the greeting
        List<Object> early = new java.util.ArrayList<>();
        try {
            org.awaitility.Awaitility.await().during(Duration.ofMillis(250)).atMost(Duration.ofSeconds(2))
                    .until(() -> {
                        early.addAll(m.drain());
                        return early.isEmpty();
                    });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            // said below, with the frames
        }
        assertEquals(List.of(), early, "frames before the greeting");
        h.onText("{\"type\":\"auth\",\"id\":\"1\",\"token\":\"" + Jwts.user("carol", now) + "\"}");
        assertEquals("connection", m.next().path("type").asText());
        clock.advance(Duration.ofMillis(100));
        assertEquals("ping", m.next().path("type").asText(), "pings start once greeted");
    }

    @Test
    void badOrMissingTokensAreRefusedWith1008() throws Exception {
        Conn forged = connect(Jwts.hs256(Jwts.claims("x", now).build(),
                "wrong-secret-wrong-secret-wrong-secret!!".getBytes()));
        JsonNode err = forged.t().next("error");
        assertEquals("unauthorized", err.path("code").asText());
        assertTrue(forged.t().awaitClosed(2000));
        assertEquals(1008, forged.t().closeCode());

        RecordingTransport m = new RecordingTransport(native_(Map.of(), Map.of()));
        ConnectionHandle h = hub.connect(m, Protocol.NATIVE);
        h.onText("{\"type\":\"subscribe\",\"room\":\"job:1\"}");
        assertEquals("unauthorized", m.next("error").path("code").asText());
        assertTrue(m.awaitClosed(2000));
        assertEquals(1008, m.closeCode());
        assertTrue(hub.stats().authFailures() >= 1);
    }

    @Test
    void roomRulesProtectOtherUsersAndAllJobs() {
        hub.jobs().job("j-alice", "alice").progress(1, null);
        Conn alice = connect(Jwts.user("alice", now));
        alice.t().next("connection");
        String[][] cases = {
                {"user:alice", "subscribed"}, {"user:bob", "forbidden"}, {"job:j-alice", "subscribed"},
                {"job:unknown", "forbidden"}, {"all-jobs", "forbidden"}, {"contest:c1", "subscribed"},
                {"session:s1", "forbidden"},
        };
        for (String[] c : cases) {
            alice.send("{\"type\":\"subscribe\",\"id\":\"x\",\"room\":\"" + c[0] + "\"}");
            JsonNode r = alice.t().next();
            String got = r.path("type").asText().equals("subscribed") ? "subscribed" : r.path("code").asText();
            assertEquals(c[1], got, c[0]);
        }
        Conn admin = connect(Jwts.user("root", now, "admin"));
        admin.t().next("connection");
        admin.send("{\"type\":\"subscribe\",\"room\":\"all-jobs\"}");
        assertEquals("subscribed", admin.t().next().path("type").asText());
        admin.send("{\"type\":\"subscribe\",\"room\":\"job:j-alice\",\"since\":0}");
        assertTrue(admin.t().next("subscribed").path("recovered").asBoolean());
    }

    @Test
    void resumeIsCheckedAgainstTheRules() {
        hub.jobs().job("j-bob", "bob").progress(1, null);
        Conn alice = connect(Jwts.user("alice", now));
        alice.t().next("connection");
        alice.send("{\"type\":\"subscribe\",\"room\":\"job:j-bob\",\"since\":0}");
        assertEquals("forbidden", alice.t().next("error").path("code").asText());
        alice.t().assertNoMore(50);
    }

    @Test
    void expiredTokenClosesTheConnection() throws Exception {
        Conn c = connect(Jwts.hs256(Jwts.claims("u", now).expirationTime(Date.from(now.plusSeconds(60))).build()));
        c.t().next("connection");
        clock.advance(Duration.ofSeconds(61));
        assertTrue(c.t().awaitClosed(3000));
        assertEquals(1008, c.t().closeCode());
        assertEquals("token expired", c.t().closeReason());
    }

    @Test
    void inboundFloodIsRateLimitedThenClosed() throws Exception {
        hub.close();
        hub = hub(Limits.defaults().withMessageRate(5, 5).withAbuseThreshold(20));
        Conn c = connect(Jwts.user("flood", now));
        c.t().next("connection");
        for (int i = 0; i < 5; i++) {
            c.send("{\"type\":\"ping\"}");
        }
        for (int i = 0; i < 5; i++) {
            c.t().next("pong"); // the burst is served
        }
        for (int i = 0; i < 40 && c.t().closeCode() == -1; i++) {
            c.send("{\"type\":\"ping\"}");
        }
        assertEquals("rate_limited", c.t().nextMatching(f -> !"pong".equals(f.path("type").asText()))
                .path("code").asText(), "the rest is refused with rate_limited");
        assertTrue(c.t().awaitClosed(2000));
        assertEquals(1008, c.t().closeCode());
        assertEquals(1, hub.stats().abuseCloses());
    }

    @Test
    void roomAndConnectionLimits() {
        hub.close();
        hub = hub(Limits.defaults().withRoomsPerConnection(2).withConnections(1, 100));
        Conn c = connect(Jwts.user("u", now));
        c.t().next("connection");
        c.send("{\"type\":\"subscribe\",\"room\":\"user:u\"}");
        c.send("{\"type\":\"subscribe\",\"room\":\"contest:a\"}");
        c.send("{\"type\":\"subscribe\",\"room\":\"contest:b\"}");
        c.t().next("subscribed");
        c.t().next("subscribed");
        assertEquals("rate_limited", c.t().next("error").path("code").asText());
        Conn second = connect(Jwts.user("u", now));
        assertEquals("rate_limited", second.t().next("error").path("code").asText());
    }

    @Test
    void originAndHandshakeRateAreCheckedBeforeUpgrade() {
        Handshake evil = new Handshake("/ws", Map.of("Origin", List.of("https://evil.example")), Map.of(), "10.0.0.9");
        Optional<HandshakeRejection> r = hub.checkHandshake(Protocol.NATIVE, evil);
        assertEquals(403, r.orElseThrow().status());
        Handshake good = new Handshake("/ws", Map.of("Origin", List.of("https://quizai.nl")), Map.of(), "10.0.0.8");
        assertTrue(hub.checkHandshake(Protocol.NATIVE, good).isEmpty());
        Handshake noOrigin = new Handshake("/ws", Map.of(), Map.of(), "10.0.0.7");
        int accepted = 0;
        int refused = 0;
        for (int i = 0; i < 30; i++) {
            Optional<HandshakeRejection> x = hub.checkHandshake(Protocol.NATIVE, noOrigin);
            if (x.isEmpty()) {
                accepted++;
            } else {
                assertEquals(429, x.get().status());
                refused++;
            }
        }
        assertEquals(20, accepted);
        assertEquals(10, refused);
    }

    @Test
    void socketIoRecoveryChecksAuthAgain() throws Exception {
        ObjectMapper m = new ObjectMapper();
        Handshake hs = new Handshake("/socket.io/", Map.of(), Map.of("EIO", List.of("4"), "transport",
                List.of("websocket")), "10.0.0.3");
        RecordingTransport t = new RecordingTransport(hs);
        ConnectionHandle h = hub.connect(t, Protocol.SOCKET_IO);
        t.nextText();
        h.onText("40/jobs,{\"token\":\"" + Jwts.user("alice", now) + "\"}");
        JsonNode first = m.readTree(t.nextText().substring("40/jobs,".length()));
        h.onText("42/jobs,1[\"subscribe:jobs\",{\"userId\":\"alice\"}]");
        assertTrue(m.readTree(t.nextText().substring("43/jobs,1".length())).get(0).path("success").asBoolean());
        hub.emitToUser("alice", "notification", Map.of("n", 1));
        String offset = m.readTree(t.nextText().substring("42/jobs,".length())).get(2).asText();
        h.onClose(1006, "cut");
        hub.emitToUser("alice", "notification", Map.of("n", 2));

        // another user presenting alice's pid and offset does not get her session
        RecordingTransport mallory = new RecordingTransport(hs);
        ConnectionHandle mh = hub.connect(mallory, Protocol.SOCKET_IO);
        mallory.nextText();
        mh.onText("40/jobs,{\"token\":\"" + Jwts.user("mallory", now) + "\",\"pid\":\""
                + first.path("pid").asText() + "\",\"offset\":\"" + offset + "\"}");
        JsonNode stolen = m.readTree(mallory.nextText().substring("40/jobs,".length()));
        assertFalse(first.path("sid").asText().equals(stolen.path("sid").asText()), "no recovery for another user");
        mallory.assertNoMore(100);
        assertEquals(0, hub.roomSize("user:alice"), "alice's room was not handed over");

        // alice herself still recovers: same socket id, the missed notification
        RecordingTransport back = new RecordingTransport(hs);
        ConnectionHandle bh = hub.connect(back, Protocol.SOCKET_IO);
        back.nextText();
        bh.onText("40/jobs,{\"token\":\"" + Jwts.user("alice", now) + "\",\"pid\":\""
                + first.path("pid").asText() + "\",\"offset\":\"" + offset + "\"}");
        assertEquals(first.path("sid").asText(),
                m.readTree(back.nextText().substring("40/jobs,".length())).path("sid").asText());
        assertEquals(2, m.readTree(back.nextText().substring("42/jobs,".length())).get(1).path("n").asInt());
    }

    @Test
    void socketIoAuthPayloadAndConnectError() throws Exception {
        ObjectMapper m = new ObjectMapper();
        RecordingTransport t = new RecordingTransport(new Handshake("/socket.io/", Map.of(),
                Map.of("EIO", List.of("4"), "transport", List.of("websocket")), "10.0.0.2"));
        ConnectionHandle h = hub.connect(t, Protocol.SOCKET_IO);
        t.nextText();
        h.onText("40/interview,{\"token\":\"garbage\"}");
        String refused = t.nextText();
        assertTrue(refused.startsWith("44/interview,"), refused);
        JsonNode body = m.readTree(refused.substring("44/interview,".length()));
        assertTrue(body.path("message").asText().contains("malformed"));
        assertEquals("unauthorized", body.path("data").path("code").asText());

        h.onText("40/interview,{\"token\":\"" + Jwts.user("dana", now) + "\"}");
        assertTrue(t.nextText().startsWith("40/interview,{\"sid\""));
        JsonNode hello = m.readTree(t.nextText().substring("42/interview,".length()));
        assertEquals("connection:success", hello.get(0).asText());
        assertEquals("dana", hello.get(1).path("userId").asText());
        // another namespace on the same connection reuses the authenticated principal
        h.onText("40/jobs,");
        assertTrue(t.nextText().startsWith("40/jobs,"));
        h.onText("42/jobs,1[\"subscribe:jobs\",{}]");
        JsonNode ack = m.readTree(t.nextText().substring("43/jobs,1".length()));
        assertFalse(ack.get(0).path("success").asBoolean(), "all-jobs is for admins only");
    }
}

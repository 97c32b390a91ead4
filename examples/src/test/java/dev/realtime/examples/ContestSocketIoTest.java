package dev.realtime.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.realtime.core.RealtimeHub;
import dev.realtime.core.contest.Contest;
import dev.realtime.core.contest.ContestGateway;
import dev.realtime.core.contest.ContestQuestion;
import dev.realtime.core.contest.ContestService;
import dev.realtime.core.security.JwtAuthenticator;
import dev.realtime.core.security.Jwts;
import dev.realtime.core.testing.FakeClock;
import dev.realtime.jakarta.server.RealtimeServer;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Contests over real connections with the npm socket.io-client on the default namespace: seed 004's event names
 * and payloads, scores and ranks on a fake clock, idempotent resubmits, late joins, refusals with their codes,
 * the end with final standings, and the token's subject as the user.
 */
@Timeout(60)
class ContestSocketIoTest {
    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    private final FakeClock clock = new FakeClock(T0);
    private RealtimeHub hub;
    private ContestGateway gateway;
    private RealtimeServer server;

    private int updatesPerSecond = 50;

    private String start(RealtimeHub.Builder b) {
        hub = b.build();
        gateway = ContestGateway.builder(hub).clock(clock).updatesPerSecond(updatesPerSecond)
                .timing(Duration.ZERO, Duration.ofMillis(20)).build();
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

    private static Contest contest(String id, Instant start, boolean open) {
        return new Contest(id, "Planets", start, start.plus(Duration.ofMinutes(10)), List.of(
                new ContestQuestion("q1", "Largest planet?", List.of("Mars", "Jupiter", "Venus"), 1, 1000, "easy", ""),
                new ContestQuestion("q2", "Red planet?", List.of("Mars", "Saturn"), 0, 1000, "easy", "why")), open);
    }

    private static Map<String, Object> answer(String contest, String q, Object a, String user) {
        Map<String, Object> m = new HashMap<>();
        m.put("contestId", contest);
        m.put("questionId", q);
        m.put("answer", a);
        m.put("timeSpent", 1);
        m.put("userId", user);
        return m;
    }

    private static String board(JsonNode data) {
        StringBuilder sb = new StringBuilder();
        data.path("leaderboard").forEach(s -> sb.append(s.path("rank").asInt()).append(':')
                .append(s.path("userId").asText()).append('=').append(s.path("score").asLong()).append(' '));
        return sb.toString().trim();
    }

    @Test
    void threeUsersAnswerAndSeeScoresRanksLateJoinsRefusalsAndTheEnd() throws Exception {
        String base = start(RealtimeHub.builder());
        ContestService contests = gateway.service();
        contests.create(contest("c1", T0, false));
        contests.create(contest("later", T0.plus(Duration.ofHours(1)), true));
        for (String u : List.of("alice", "bob", "carol")) {
            contests.register("c1", u);
        }
        try (SocketIoUsers users = new SocketIoUsers(base)) {
            for (String u : List.of("alice", "bob", "carol", "dave")) {
                users.connect(u);
                JsonNode joined = users.call(u, "contest:join", Map.of("contestId", "c1", "userId", u));
                assertEquals("ok", joined.path("status").asText(), joined.toString());
                assertEquals(joined, users.event(u, "contest:joined"));
                assertFalse(joined.path("contest").path("questions").get(0).has("correctAnswerIndex"));
                assertEquals(!"dave".equals(u), joined.path("registered").asBoolean());
            }
            clock.advance(Duration.ofSeconds(60)); // 10 % of the window gone: a right answer keeps 95 %
            JsonNode a1 = users.call("alice", "contest:submit_answer", answer("c1", "q1", 1, "alice"));
            assertEquals("ok", a1.path("status").asText(), a1.toString());
            assertTrue(a1.path("correct").asBoolean());
            assertEquals(950, a1.path("points").asLong());
            assertEquals(1, a1.path("rank").asInt());
            assertEquals(a1, users.event("alice", "contest:answer_result"));
            clock.advance(Duration.ofSeconds(30));
            JsonNode b1 = users.call("bob", "contest:submit_answer", answer("c1", "q1", "Jupiter", "bob"));
            assertEquals(925, b1.path("points").asLong());
            assertEquals(2, b1.path("rank").asInt());
            JsonNode c1 = users.call("carol", "contest:submit_answer", answer("c1", "q1", "Mars", "carol"));
            assertFalse(c1.path("correct").asBoolean());
            assertEquals(0, c1.path("points").asLong());
            assertEquals(3, c1.path("rank").asInt());

            // a resubmit is answered with the first result and changes nothing
            JsonNode again = users.call("alice", "contest:submit_answer", answer("c1", "q1", 0, "alice"));
            assertTrue(again.path("duplicate").asBoolean());
            assertTrue(again.path("correct").asBoolean());
            assertEquals(950, again.path("points").asLong());
            assertEquals(950, again.path("score").asLong());

            // everyone in the room sees the updates, scores never going back, ending at the right standings
            String expected = "1:alice=950 2:bob=925 3:carol=0";
            for (String u : List.of("alice", "bob", "carol", "dave")) {
                List<JsonNode> updates = users.eventsUntil(u, "contest:leaderboard_update",
                        d -> board(d).equals(expected));
                long lastAlice = -1;
                for (JsonNode d : updates) {
                    assertFalse(d.path("final").asBoolean());
                    for (JsonNode s : d.path("leaderboard")) {
                        if (s.path("userId").asText().equals("alice")) {
                            assertTrue(s.path("score").asLong() >= lastAlice, updates.toString());
                            lastAlice = s.path("score").asLong();
                        }
                    }
                }
            }

            // refusals, each with its code, as the ack and as contest:error
            JsonNode notRegistered = users.call("dave", "contest:submit_answer", answer("c1", "q1", 1, "dave"));
            assertEquals("error", notRegistered.path("status").asText());
            assertEquals("not_registered", notRegistered.path("code").asText());
            assertEquals("not_registered", users.event("dave", "contest:error").path("code").asText());
            assertEquals("unknown_question", users.call("bob", "contest:submit_answer",
                    answer("c1", "q9", 1, "bob")).path("code").asText());
            assertEquals("contest_not_found", users.call("bob", "contest:submit_answer",
                    answer("nope", "q1", 1, "bob")).path("code").asText());
            assertEquals("bad_request", users.call("bob", "contest:submit_answer",
                    answer("c1", "q1", null, "bob")).path("code").asText());
            assertEquals("bad_request", users.call("bob", "contest:submit_answer",
                    answer("c1", "q1", 1, "no spaces allowed")).path("code").asText());
            users.call("bob", "contest:join", Map.of("contestId", "later", "userId", "bob"));
            assertEquals("contest_not_started", users.call("bob", "contest:submit_answer",
                    answer("later", "q1", 1, "bob")).path("code").asText());

            // a late joiner gets the current standings at once, and get_leaderboard answers them too
            contests.register("c1", "erin");
            users.connect("erin");
            JsonNode late = users.call("erin", "contest:join", Map.of("contestId", "c1", "userId", "erin"));
            assertTrue(board(late).startsWith("1:alice=950 2:bob=925"), late.toString());
            assertEquals(0, late.path("you").path("score").asLong());
            assertEquals(4, late.path("participants").asInt());
            JsonNode lb = users.call("erin", "contest:get_leaderboard", Map.of("contestId", "c1"));
            assertEquals(board(late), board(lb));

            // the end: a final update and contest:ended with the final standings; answers are then refused
            clock.advance(Duration.ofMinutes(10));
            for (String u : List.of("alice", "bob", "carol", "dave", "erin")) {
                List<JsonNode> updates = users.eventsUntil(u, "contest:leaderboard_update",
                        d -> d.path("final").asBoolean());
                JsonNode fin = updates.get(updates.size() - 1);
                JsonNode ended = users.event(u, "contest:ended");
                assertEquals("c1", ended.path("contestId").asText());
                assertEquals(board(fin), board(ended));
                assertTrue(board(ended).startsWith("1:alice=950 2:bob=925"), ended.toString());
                assertEquals("ended", ended.path("state").asText());
            }
            assertEquals("contest_ended", users.call("carol", "contest:submit_answer",
                    answer("c1", "q2", 0, "carol")).path("code").asText());
            users.end();
        }
    }

    @Test
    void startedIsAnnouncedAndTheTokenSubjectIsTheUser() throws Exception {
        String base = start(RealtimeHub.builder().authenticator(JwtAuthenticator.builder().hmacSecret(Jwts.SECRET)
                .build()));
        gateway.service().create(contest("open", T0.plus(Duration.ofMinutes(1)), true));
        try (SocketIoUsers users = new SocketIoUsers(base)) {
            users.connect("alice", null, Jwts.hs256(Jwts.claims("alice", Instant.now()).build()));
            JsonNode joined = users.call("alice", "contest:join", Map.of("contestId", "open", "userId", "mallory"));
            assertEquals("alice", joined.path("userId").asText());
            assertTrue(joined.path("registered").asBoolean());
            assertFalse(joined.path("contest").has("questions"), "no questions before the start");
            clock.advance(Duration.ofMinutes(1));
            JsonNode started = users.event("alice", "contest:started");
            assertEquals(2, started.path("questions").size());
            assertFalse(started.path("questions").get(1).has("explanation"));
            JsonNode r = users.call("alice", "contest:submit_answer", answer("open", "q2", 0, "mallory"));
            assertEquals(1000, r.path("points").asLong(), r.toString());
            assertEquals("alice", gateway.service().top("open", 1).get(0).userId());
            assertTrue(users.connect("eve", null, "forged.token.value").has("connectError"));
            users.end();
        }
    }

    @Test
    void updatesAreCoalescedToTheRateAndTheLatestStandingsWin() throws Exception {
        updatesPerSecond = 2;
        String base = start(RealtimeHub.builder());
        ContestService contests = gateway.service();
        contests.create(contest("busy", T0, true));
        try (SocketIoUsers users = new SocketIoUsers(base)) {
            users.connect("watcher");
            users.call("watcher", "contest:join", Map.of("contestId", "busy", "userId", "watcher"));
            for (int i = 0; i < 8; i++) {
                contests.register("busy", "p" + i);
            }
            long started = System.nanoTime();
            for (int i = 0; i < 8; i++) { // 16 answers in a burst, each changing the board
                contests.submit("busy", "p" + i, "q1", 1);
                contests.submit("busy", "p" + i, "q2", 0);
            }
            List<JsonNode> seen = users.eventsUntil("watcher", "contest:leaderboard_update",
                    d -> d.path("participants").asInt() == 9 && d.path("leaderboard").get(0).path("score")
                            .asLong() == 2000);
            double seconds = (System.nanoTime() - started) / 1e9;
            // one update may go out at once, then at most 2 per second; the last one seen has every answer
            assertTrue(seen.size() <= 2 + (int) Math.ceil(seconds * 2), seen.size() + " updates in " + seconds
                    + " s: " + seen);
            assertEquals(9, seen.get(seen.size() - 1).path("participants").asInt());
            clock.advance(Duration.ofMinutes(10));
            List<JsonNode> updates = users.eventsUntil("watcher", "contest:leaderboard_update", d -> d.path("final")
                    .asBoolean());
            JsonNode fin = updates.get(updates.size() - 1);
            assertTrue(board(fin).startsWith("1:p"), fin.toString());
            assertEquals(9, fin.path("participants").asInt());
            users.end();
        }
    }
}

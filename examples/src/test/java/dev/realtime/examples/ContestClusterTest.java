package dev.realtime.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.realtime.core.security.Jwts;
import dev.realtime.jakarta.server.ServerOptions;
import dev.realtime.redis.RedisTestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two secured example servers sharing one real redis-server: a contest created over REST on A, users registered
 * on B, answers given on A and the leaderboard updates and the end seen on B (npm socket.io-client), one board.
 */
@Timeout(90)
class ContestClusterTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String KEY = "contest-key";
    private final HttpClient http = HttpClient.newHttpClient();

    private static ExampleServer server(String redisUrl) {
        return new ExampleServer(ServerOptions.parse(new String[] {"--port", "0", "--host", "127.0.0.1",
                "--redis", redisUrl, "--api-key", KEY, "--jwt-secret", Jwts.SECRET}, Map.of()), Map.of());
    }

    private static String token(String sub) {
        return Jwts.hs256(Jwts.claims(sub, Instant.now()).build());
    }

    private HttpResponse<String> send(String method, String url, String auth, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).method(method, body == null
                ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (auth != null) {
            b.header(auth.startsWith("key:") ? "X-Api-Key" : "Authorization",
                    auth.startsWith("key:") ? auth.substring(4) : "Bearer " + auth);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static Map<String, Object> answer(String q, Object a) {
        Map<String, Object> m = new HashMap<>();
        m.put("contestId", "cluster");
        m.put("questionId", q);
        m.put("answer", a);
        m.put("timeSpent", 3);
        m.put("userId", "ignored-under-jwt");
        return m;
    }

    @Test
    void answersOnOneNodeUpdateTheLeaderboardOnTheOther() throws Exception {
        try (RedisTestServer redis = RedisTestServer.start(false);
             ExampleServer a = server(redis.url());
             ExampleServer b = server(redis.url())) {
            String baseA = "http://127.0.0.1:" + a.start();
            String baseB = "http://127.0.0.1:" + b.start();
            String ends = Instant.now().plusSeconds(6).toString();
            HttpResponse<String> created = send("POST", baseA + "/api/contest", "key:" + KEY, """
                    {"id":"cluster","title":"Two nodes","endsAt":"%s","questions":[
                      {"id":"q1","question":"2+2?","options":["3","4","5"],"correctAnswerIndex":1},
                      {"id":"q2","question":"3*3?","options":["9","6"],"correctAnswerIndex":0}]}""".formatted(ends));
            assertEquals(201, created.statusCode(), created.body());
            assertFalse(created.body().contains("correctAnswerIndex"), created.body());
            for (String u : List.of("alice", "bob")) {
                HttpResponse<String> reg = send("POST", baseB + "/api/contest/cluster/register", token(u), null);
                assertEquals(201, reg.statusCode(), reg.body());
            }
            assertEquals(401, send("POST", baseB + "/api/contest/cluster/register", null, null).statusCode());
            JsonNode listed = JSON.readTree(send("GET", baseB + "/api/contest", token("bob"), null).body());
            assertTrue(listed.toString().contains("\"id\":\"cluster\""), listed.toString());
            assertEquals(2, JSON.readTree(send("GET", baseA + "/api/contest/cluster", token("bob"), null).body())
                    .path("participants").asInt());

            try (SocketIoUsers users = new SocketIoUsers(baseA)) {
                users.connect("alice", baseA, token("alice"));
                users.connect("bob", baseB, token("bob"));
                assertEquals("ok", users.call("alice", "contest:join", Map.of("contestId", "cluster")).path("status")
                        .asText());
                JsonNode joinedB = users.call("bob", "contest:join", Map.of("contestId", "cluster"));
                assertEquals("bob", joinedB.path("userId").asText());
                JsonNode r1 = users.call("alice", "contest:submit_answer", answer("q1", 1));
                assertTrue(r1.path("correct").asBoolean(), r1.toString());
                long points = r1.path("points").asLong();
                assertTrue(points > 500 && points <= 1000, r1.toString());
                JsonNode r2 = users.call("alice", "contest:submit_answer", answer("q2", 1));
                assertFalse(r2.path("correct").asBoolean());
                JsonNode dup = users.call("alice", "contest:submit_answer", answer("q1", 0));
                assertTrue(dup.path("duplicate").asBoolean());
                assertEquals(points, dup.path("points").asLong());
                // bob, connected to B, sees A's answers on the shared board
                users.eventsUntil("bob", "contest:leaderboard_update", d -> d.path("leaderboard").size() == 2
                        && d.path("leaderboard").get(0).path("userId").asText().equals("alice")
                        && d.path("leaderboard").get(0).path("score").asLong() == points);
                JsonNode rb = users.call("bob", "contest:submit_answer", answer("q2", "9"));
                assertTrue(rb.path("correct").asBoolean());
                assertEquals(rb.path("points").asLong() > points ? 1 : 2, rb.path("rank").asInt());
                // the end, announced once for the cluster, reaches both nodes with the final standings
                for (String u : List.of("alice", "bob")) {
                    JsonNode ended = users.event(u, "contest:ended");
                    assertEquals(2, ended.path("leaderboard").size(), ended.toString());
                    assertEquals("ended", ended.path("state").asText());
                }
                assertEquals("contest_ended", users.call("bob", "contest:submit_answer", answer("q1", 1))
                        .path("code").asText());
                users.end();
            }
        }
    }
}

package dev.realtime.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.realtime.core.security.Jwts;
import dev.realtime.jakarta.client.RealtimeClient;
import dev.realtime.jakarta.client.RealtimeEvent;
import dev.realtime.jakarta.server.ServerOptions;
import dev.realtime.redis.RedisTestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Secured standalone servers sharing one real redis-server: what one node knows, every node knows. A job's owner
 * recorded on A lets its user subscribe and read history on B, and on a node started afterwards; a publish
 * retried with the same Idempotency-Key on another node is stored and delivered once.
 */
@Timeout(60)
class ClusterStateTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String KEY = "cluster-key";
    private final HttpClient http = HttpClient.newHttpClient();

    private static ExampleServer server(String redisUrl) {
        return new ExampleServer(ServerOptions.parse(new String[] {"--port", "0", "--host", "127.0.0.1",
                "--redis", redisUrl, "--api-key", KEY, "--jwt-secret", Jwts.SECRET}, Map.of()), Map.of());
    }

    private static String token(String sub) {
        return Jwts.hs256(Jwts.claims(sub, Instant.now()).build());
    }

    private HttpResponse<String> publish(int port, String job, String body, String idempotencyKey) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/jobs/" + job
                + "/events")).header("X-Api-Key", KEY).POST(HttpRequest.BodyPublishers.ofString(body));
        if (idempotencyKey != null) {
            b.header("Idempotency-Key", idempotencyKey);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private int history(int port, String job, String user) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/jobs/" + job
                        + "/history")).header("Authorization", "Bearer " + token(user)).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    private static RealtimeClient client(int port, String user) throws Exception {
        RealtimeClient c = RealtimeClient.builder(URI.create("ws://127.0.0.1:" + port + "/ws"))
                .header("Authorization", "Bearer " + token(user)).build();
        c.connect().get(5, TimeUnit.SECONDS);
        return c;
    }

    @Test
    void theOwnerRecordedOnOneNodeIsKnownOnEveryNodeAndAfterARestart() throws Exception {
        try (RedisTestServer redis = RedisTestServer.start(false);
             ExampleServer a = server(redis.url());
             ExampleServer b = server(redis.url())) {
            int portA = a.start();
            int portB = b.start();
            String job = "owned-" + System.nanoTime();
            assertEquals(201, publish(portA, job, "{\"type\":\"progress\",\"progress\":10,\"userId\":\"u1\"}", null)
                    .statusCode());
            // u1 on B: the room rule finds the owner that A recorded
            try (RealtimeClient u1 = client(portB, "u1"); RealtimeClient u2 = client(portB, "u2")) {
                BlockingQueue<RealtimeEvent> seen = new LinkedBlockingQueue<>();
                u1.on("job:progress", seen::add);
                assertTrue(u1.subscribe("job:" + job, 0L, null).get(5, TimeUnit.SECONDS).recovered());
                assertEquals(10, seen.poll(5, TimeUnit.SECONDS).data().path("progress").asInt());
                assertTrue(u2.subscribe("job:" + job).handle((r, e) -> e != null).get(5, TimeUnit.SECONDS),
                        "another user is refused");
            }
            assertEquals(200, history(portB, job, "u1"));
            assertEquals(403, history(portB, job, "u2"));
            // a node started afterwards (or A restarted) knows it too
            try (ExampleServer c = server(redis.url())) {
                int portC = c.start();
                assertEquals(200, history(portC, job, "u1"));
                assertEquals(403, history(portC, job, "u2"));
                // and routes the job's next event to u1's room
                try (RealtimeClient u1 = client(portC, "u1")) {
                    BlockingQueue<RealtimeEvent> mine = new LinkedBlockingQueue<>();
                    u1.on("job:progress", mine::add);
                    u1.subscribe("user:u1").get(5, TimeUnit.SECONDS);
                    assertEquals(201, publish(portC, job, "{\"type\":\"progress\",\"progress\":20}", null)
                            .statusCode());
                    assertEquals(20, mine.poll(5, TimeUnit.SECONDS).data().path("progress").asInt());
                }
            }
        }
    }

    @Test
    void aPublishRetriedWithItsIdempotencyKeyOnAnotherNodeIsStoredAndDeliveredOnce() throws Exception {
        try (RedisTestServer redis = RedisTestServer.start(false);
             ExampleServer a = server(redis.url());
             ExampleServer b = server(redis.url())) {
            int portA = a.start();
            int portB = b.start();
            String job = "idem-" + System.nanoTime();
            try (RealtimeClient admin = RealtimeClient.builder(URI.create("ws://127.0.0.1:" + portB + "/ws"))
                    .header("Authorization", "Bearer " + Jwts.hs256(Jwts.claims("ops", Instant.now())
                            .claim("roles", java.util.List.of("admin")).build())).build()) {
                admin.connect().get(5, TimeUnit.SECONDS);
                BlockingQueue<RealtimeEvent> seen = new LinkedBlockingQueue<>();
                admin.on("job:progress", seen::add);
                admin.subscribe("job:" + job).get(5, TimeUnit.SECONDS);
                String body = "{\"type\":\"progress\",\"progress\":30}";
                HttpResponse<String> first = publish(portA, job, body, "evt-1");
                HttpResponse<String> retry = publish(portB, job, body, "evt-1"); // the producer's retry, elsewhere
                assertEquals(201, first.statusCode(), first.body());
                assertEquals(200, retry.statusCode(), retry.body());
                JsonNode f = JSON.readTree(first.body());
                JsonNode r = JSON.readTree(retry.body());
                assertEquals(f.path("offset").asLong(), r.path("offset").asLong());
                assertTrue(r.path("duplicate").asBoolean());
                assertEquals(201, publish(portA, job, "{\"type\":\"completed\"}", "evt-2").statusCode());
                assertEquals(1, seen.poll(5, TimeUnit.SECONDS).offset());
                RealtimeEvent next = seen.poll(5, TimeUnit.SECONDS);
                assertTrue(next == null || next.offset() != 1, "offset 1 arrived once");
                assertEquals(2, a.hub().history("job:" + job, 0, 10).entries().size(), "stored once: " 
                        + a.hub().history("job:" + job, 0, 10).entries());
            }
        }
    }
}

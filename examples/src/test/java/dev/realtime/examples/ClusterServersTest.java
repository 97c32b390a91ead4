package dev.realtime.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.realtime.jakarta.client.RealtimeClient;
import dev.realtime.jakarta.client.RealtimeEvent;
import dev.realtime.jakarta.client.SubscribeResult;
import dev.realtime.jakarta.server.ServerOptions;
import dev.realtime.redis.RedisTestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two standalone servers on their own ports sharing one real redis-server, driven over real connections: a job
 * published over HTTP on A reaches a Java client on B; a client resumes on B from the offset it reached on A;
 * seed 004's question:generate answers over the Java client.
 */
@Timeout(60)
class ClusterServersTest {
    private final HttpClient http = HttpClient.newHttpClient();

    private static ExampleServer server(String redisUrl) {
        return new ExampleServer(ServerOptions.parse(new String[] {"--port", "0", "--host", "127.0.0.1",
                "--redis", redisUrl}, Map.of()), Map.of());
    }

    private int publish(int port, String jobId, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/jobs/" + jobId + "/events"))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString())
                .statusCode();
    }

    @Test
    void publishOnAReceiveOnBAndResumeOnBAfterLosingA() throws Exception {
        try (RedisTestServer redis = RedisTestServer.start(false);
             ExampleServer a = server(redis.url());
             ExampleServer b = server(redis.url())) {
            int portA = a.start();
            int portB = b.start();
            String job = "cluster-" + System.nanoTime();

            // a client on B sees what is published over HTTP on A, exactly once and in order
            BlockingQueue<RealtimeEvent> onB = new LinkedBlockingQueue<>();
            try (RealtimeClient clientB = RealtimeClient.builder(URI.create("ws://127.0.0.1:" + portB + "/ws")).build()) {
                clientB.on("*", onB::add);
                clientB.connect().get(5, TimeUnit.SECONDS);
                clientB.subscribe("job:" + job).get(5, TimeUnit.SECONDS);
                for (int p = 10; p <= 30; p += 10) {
                    assertEquals(201, publish(portA, job, "{\"type\":\"progress\",\"progress\":" + p + "}"));
                }
                for (int p = 10; p <= 30; p += 10) {
                    RealtimeEvent e = onB.poll(5, TimeUnit.SECONDS);
                    assertEquals(p, e.data().path("progress").asInt(), String.valueOf(e));
                    assertEquals(p / 10, e.offset());
                }
            }

            // a client of A reached offset 3; A's connection is lost; events keep coming; it resumes on B
            String epoch;
            long reached;
            try (RealtimeClient clientA = RealtimeClient.builder(URI.create("ws://127.0.0.1:" + portA + "/ws")).build()) {
                clientA.connect().get(5, TimeUnit.SECONDS);
                SubscribeResult sub = clientA.subscribe("job:" + job).get(5, TimeUnit.SECONDS);
                epoch = sub.epoch();
                reached = sub.offset();
            }
            assertEquals(3, reached);
            assertEquals(201, publish(portA, job, "{\"type\":\"progress\",\"progress\":40}"));
            assertEquals(201, publish(portA, job, "{\"type\":\"completed\",\"result\":{\"ok\":true}}"));
            BlockingQueue<RealtimeEvent> resumed = new LinkedBlockingQueue<>();
            try (RealtimeClient again = RealtimeClient.builder(URI.create("ws://127.0.0.1:" + portB + "/ws")).build()) {
                again.on("*", resumed::add);
                again.connect().get(5, TimeUnit.SECONDS);
                SubscribeResult r = again.subscribe("job:" + job, reached, epoch).get(5, TimeUnit.SECONDS);
                assertEquals(Boolean.TRUE, r.recovered(), "history in Redis reaches back");
                RealtimeEvent e4 = resumed.poll(5, TimeUnit.SECONDS);
                RealtimeEvent e5 = resumed.poll(5, TimeUnit.SECONDS);
                assertEquals(List.of(4L, 5L), List.of(e4.offset(), e5.offset()));
                assertEquals("job:completed", e5.event());
                assertEquals(null, resumed.poll(200, TimeUnit.MILLISECONDS), "no duplicate");
            }
        }
    }

    private String poll(String url) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(java.time.Duration
                .ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return r.body();
    }

    private void post(String url, String body) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals("ok", r.body());
    }

    /** Polls until a packet starting with {@code prefix} arrives; returns it. */
    private String pollFor(String url, String prefix) throws Exception {
        for (int i = 0; i < 20; i++) {
            for (String packet : poll(url).split("\u001e")) {
                if (packet.startsWith(prefix)) {
                    return packet;
                }
            }
        }
        throw new AssertionError("no " + prefix + " packet");
    }

    /**
     * Without sticky sessions, a poll reaches a node that does not know the sid: Engine.IO's 400 "Session ID
     * unknown" (never another client's data), the client opens a new session there, and connection state
     * recovery (in Redis, so on any node) hands it every event it missed.
     */
    @Test
    void aPollOnTheWrongNodeIsRefusedAndRecoveryOnThatNodeDeliversWhatWasMissed() throws Exception {
        try (RedisTestServer redis = RedisTestServer.start(false);
             ExampleServer a = server(redis.url());
             ExampleServer b = server(redis.url())) {
            String onA = "http://127.0.0.1:" + a.start() + "/socket.io/?EIO=4&transport=polling";
            String onB = "http://127.0.0.1:" + b.start() + "/socket.io/?EIO=4&transport=polling";
            int portA = Integer.parseInt(onA.replaceAll(".*:(\\d+)/.*", "$1"));
            String job = "sticky-" + System.nanoTime();
            ObjectMapperHolder json = new ObjectMapperHolder();

            String sid = json.tree(poll(onA).substring(1)).path("sid").asText();
            String session = onA + "&sid=" + sid;
            post(session, "40/jobs,");
            String pid = json.tree(pollFor(session, "40/jobs,").substring("40/jobs,".length())).path("pid").asText();
            post(session, "42/jobs,1[\"subscribe:jobs\",{\"jobId\":\"" + job + "\"}]");
            pollFor(session, "43/jobs,1");
            assertEquals(201, publish(portA, job, "{\"type\":\"progress\",\"progress\":10}"));
            JsonNode first = json.tree(pollFor(session, "42/jobs,[\"job:progress\"").substring("42/jobs,".length()));
            String offset = first.get(first.size() - 1).asText();

            // the load balancer sends the next poll to B
            HttpResponse<String> wrong = http.send(HttpRequest.newBuilder(URI.create(onB + "&sid=" + sid)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(400, wrong.statusCode());
            assertEquals("{\"code\":1,\"message\":\"Session ID unknown\"}", wrong.body());

            assertEquals(201, publish(portA, job, "{\"type\":\"progress\",\"progress\":20}"));
            assertEquals(201, publish(portA, job, "{\"type\":\"completed\",\"result\":{\"ok\":true}}"));

            // the client reconnects (on B) and recovers with its pid and last offset
            String sidB = json.tree(poll(onB).substring(1)).path("sid").asText();
            String sessionB = onB + "&sid=" + sidB;
            post(sessionB, "40/jobs,{\"pid\":\"" + pid + "\",\"offset\":\"" + offset + "\"}");
            StringBuilder got = new StringBuilder();
            while (!got.toString().contains("job:completed")) {
                got.append(poll(sessionB)).append('\u001e');
            }
            String all = got.toString();
            assertTrue(all.contains("\"pid\":\"" + pid + "\""), "same pid: recovered; " + all);
            assertTrue(all.contains("\"progress\":20"), all);
            assertTrue(all.indexOf("\"progress\":20") < all.indexOf("job:completed"), "in order: " + all);
            assertTrue(!all.contains("\"progress\":10"), "nothing replayed twice: " + all);
        }
    }

    /** A tiny JSON reader for the test. */
    private static final class ObjectMapperHolder {
        private final com.fasterxml.jackson.databind.ObjectMapper mapper = new com.fasterxml.jackson.databind.ObjectMapper();

        JsonNode tree(String s) throws Exception {
            return mapper.readTree(s);
        }
    }

    @Test
    void questionGenerateFlowOverTheJavaClient() throws Exception {
        ServerOptions options = ServerOptions.parse(new String[] {"--port", "0", "--host", "127.0.0.1"}, Map.of());
        try (ExampleServer server = new ExampleServer(options, Map.of());
             RealtimeClient client = RealtimeClient.builder(URI.create("ws://127.0.0.1:" + server.start() + "/ws"))
                     .build()) {
            CompletableFuture<JsonNode> generated = new CompletableFuture<>();
            client.on("question:generated", e -> generated.complete(e.data()));
            client.connect().get(5, TimeUnit.SECONDS);
            String context = "The mitochondrion is the powerhouse of the cell. It produces ATP through cellular "
                    + "respiration. Chloroplasts in plant cells capture light energy during photosynthesis. "
                    + "Ribosomes assemble proteins from amino acids using messenger RNA.";
            JsonNode ack = client.emit("question:generate", Map.of("examType", "SAT", "subject", "Biology",
                    "difficulty", "easy", "requestId", "r-42", "context", context)).get(10, TimeUnit.SECONDS);
            assertEquals("accepted", ack.path("status").asText());
            JsonNode q = generated.get(10, TimeUnit.SECONDS);
            assertEquals("r-42", q.path("requestId").asText());
            assertEquals(4, q.path("question").path("options").size());
        }
    }
}

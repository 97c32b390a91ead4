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

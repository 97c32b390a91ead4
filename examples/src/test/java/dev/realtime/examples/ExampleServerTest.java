package dev.realtime.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.realtime.jakarta.client.JobPayloads.JobCompleted;
import dev.realtime.jakarta.client.JobPayloads.JobProgress;
import dev.realtime.jakarta.client.RealtimeClient;
import dev.realtime.jakarta.server.ServerOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(20)
class ExampleServerTest {

    @Test
    void demoJobRunsToCompletionAndThePageIsServed() throws Exception {
        ServerOptions options = ServerOptions.parse(new String[] {"--port", "0", "--host", "127.0.0.1"}, Map.of());
        try (ExampleServer example = new ExampleServer(options)) {
            int port = example.start();
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, page.statusCode());
            assertTrue(page.body().contains("realtime demo console"), "the demo console");

            try (RealtimeClient client = RealtimeClient.builder(URI.create("ws://127.0.0.1:" + port + "/ws")).build()) {
                List<Integer> progress = new CopyOnWriteArrayList<>();
                CompletableFuture<JobCompleted> done = new CompletableFuture<>();
                client.on("job:progress", JobProgress.class, (room, p) -> progress.add(p.progress()));
                client.on("job:completed", JobCompleted.class, (room, c) -> done.complete(c));
                client.connect().get(5, TimeUnit.SECONDS);
                client.subscribe("all-jobs").get(5, TimeUnit.SECONDS);

                HttpResponse<String> started = http.send(HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + port + "/api/demo-jobs"))
                        .POST(HttpRequest.BodyPublishers.ofString("{\"steps\":4,\"intervalMs\":20}")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(201, started.statusCode(), started.body());
                JobCompleted completed = done.get(10, TimeUnit.SECONDS);
                assertTrue(started.body().contains(completed.jobId()));
                assertEquals(List.of(25, 50, 75, 100), progress);

                HttpResponse<String> bad = http.send(HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + port + "/api/demo-jobs"))
                        .POST(HttpRequest.BodyPublishers.ofString("{\"steps\":0}")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(400, bad.statusCode());
            }
        }
    }
}

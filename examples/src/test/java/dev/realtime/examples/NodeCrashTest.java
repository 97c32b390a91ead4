package dev.realtime.examples;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.realtime.jakarta.client.RealtimeClient;
import dev.realtime.jakarta.client.RealtimeEvent;
import dev.realtime.redis.RedisTestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two example servers in their own JVMs behind a TCP proxy, sharing a real redis-server. The node a Java client
 * is connected to is killed with SIGKILL; the other node acknowledges 30 events; the proxy sends the client to it,
 * and the client resumes with every acknowledged event exactly once, in order.
 */
@Timeout(120)
class NodeCrashTest {
    private static final String KEY = "crash-key";
    private final HttpClient http = HttpClient.newHttpClient();
    @TempDir
    Path logs;

    private static String tail(Path log) {
        try {
            List<String> lines = java.nio.file.Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (java.io.IOException e) {
            return "(no log: " + e + ")";
        }
    }

    private void publish(int port, String job, int progress) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                        + "/api/jobs/" + job + "/events")).header("X-Api-Key", KEY)
                .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"progress\",\"progress\":" + progress + "}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(201, r.statusCode(), r.body()); // acknowledged
    }

    @Test
    void aSocketIoClientOnAKilledNodeRecoversOnAnotherWithEveryAcknowledgedEventOnce() throws Exception {
        try (RedisTestServer redis = RedisTestServer.start(false);
             ServerProcess a = ServerProcess.start(logs.resolve("a.log"), "--redis", redis.url(), "--api-key", KEY);
             ServerProcess b = ServerProcess.start(logs.resolve("b.log"), "--redis", redis.url(), "--api-key", KEY);
             TcpProxy proxy = new TcpProxy(a.port)) {
            String job = "sio-crash-" + System.nanoTime();
            try (dev.realtime.jakarta.socketio.NodePeer peer = new dev.realtime.jakarta.socketio.NodePeer(
                    Path.of("../realtime-jakarta/src/test/node"), "http://127.0.0.1:" + proxy.port(), "crash", job)) {
                assertEquals(true, peer.next("ready").path("ready").asBoolean());
                for (int i = 1; i <= 5; i++) {
                    publish(a.port, job, i);
                }
                assertEquals(5, peer.next("seen").path("seen").asInt());
                a.kill9();             // the recovery state must already be in Redis: A writes nothing now
                proxy.target(b.port);
                peer.next("disconnected");
                for (int i = 6; i <= 35; i++) {
                    publish(b.port, job, i); // acknowledged by B while the client is away
                }
                HttpResponse<String> done = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + b.port
                                + "/api/jobs/" + job + "/events")).header("X-Api-Key", KEY)
                        .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"completed\"}")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(201, done.statusCode());
                peer.send("go");
                assertEquals(true, peer.next("recovered").path("recovered").asBoolean(),
                        "recovered on B with the session A wrote while it lived");
                List<Integer> progress = new java.util.ArrayList<>();
                peer.next("progress").path("progress").forEach(n -> progress.add(n.asInt()));
                assertEquals(java.util.stream.IntStream.rangeClosed(1, 35).boxed().toList(), progress,
                        "every acknowledged event exactly once, in order");
            }
        }
    }

    @Test
    void aJavaClientOnAKilledNodeResumesOnAnotherWithEveryAcknowledgedEventOnce() throws Exception {
        try (RedisTestServer redis = RedisTestServer.start(false);
             ServerProcess a = ServerProcess.start(logs.resolve("a.log"), "--redis", redis.url(), "--api-key", KEY);
             ServerProcess b = ServerProcess.start(logs.resolve("b.log"), "--redis", redis.url(), "--api-key", KEY);
             TcpProxy proxy = new TcpProxy(a.port)) {
            String job = "crash-" + System.nanoTime();
            List<Long> offsets = new CopyOnWriteArrayList<>();
            List<String> trace = new CopyOnWriteArrayList<>(); // what the client saw, in order, for a failure
            try (RealtimeClient client = RealtimeClient.builder(URI.create("ws://127.0.0.1:" + proxy.port() + "/ws"))
                    .reconnectDelay(Duration.ofMillis(100), Duration.ofMillis(500)).build()) {
                client.on("job:progress", (RealtimeEvent e) -> {
                    offsets.add(e.offset());
                    trace.add("event " + e.offset());
                });
                client.addListener(new dev.realtime.jakarta.client.ClientListener() {
                    @Override
                    public void onConnected(String clientId, boolean reconnect) {
                        trace.add("connected " + clientId + (reconnect ? " (reconnect)" : ""));
                    }

                    @Override
                    public void onDisconnected(int code, String reason, boolean willReconnect) {
                        trace.add("disconnected " + code + " " + reason);
                    }

                    @Override
                    public void onGap(String room, String epoch, long offset) {
                        trace.add("gap at " + offset + " of " + epoch);
                    }
                });
                client.connect().get(10, TimeUnit.SECONDS);
                client.subscribe("job:" + job).get(10, TimeUnit.SECONDS);
                for (int i = 1; i <= 5; i++) {
                    publish(a.port, job, i);
                }
                await().atMost(Duration.ofSeconds(10)).until(() -> offsets.size() == 5);

                a.kill9();             // nothing on A runs on the way out
                proxy.target(b.port);  // the balancer sends new connections to B
                for (int i = 6; i <= 35; i++) {
                    publish(b.port, job, i); // 30 events acknowledged by B while the client is away or resuming
                    trace.add("published " + i);
                }
                try {
                    await().atMost(Duration.ofSeconds(30)).until(() -> offsets.size() >= 35);
                } catch (org.awaitility.core.ConditionTimeoutException e) {
                    // say what happened: the offsets that arrived, the client's state, the end of B's log
                    throw new AssertionError("got " + offsets + "; client connected: " + client.isConnected()
                            + "\nwhat the client saw: " + trace
                            + "\nB's log ends:\n" + tail(logs.resolve("b.log")), e);
                }
                assertEquals(LongStream.rangeClosed(1, 35).boxed().toList(), List.copyOf(offsets),
                        "every acknowledged event exactly once, in order");
            }
        }
    }
}

package dev.realtime.jakarta;

import static org.awaitility.Awaitility.await;

import dev.realtime.core.RealtimeHub;
import dev.realtime.jakarta.client.RealtimeClient;
import dev.realtime.jakarta.server.RealtimeServer;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.glassfish.tyrus.client.ClientManager;
import org.glassfish.tyrus.client.ClientProperties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Not a pass/fail test: 100 Java clients in one room on loopback, one publisher; reports delivered messages per
 * second and publish-to-receive latency percentiles to the log and to target/loopback-measurement.txt.
 */
@Tag("measurement")
@Timeout(60)
class LoopbackMeasurementTest {
    private static final Logger log = LoggerFactory.getLogger(LoopbackMeasurementTest.class);
    private static final int CLIENTS = 100;

    @Test
    void hundredClientsOneRoom() throws Exception {
        ClientManager shared = ClientManager.createClient();
        shared.getProperties().put(ClientProperties.SHARED_CONTAINER, true);
        List<RealtimeClient> clients = new ArrayList<>();
        try (RealtimeHub hub = RealtimeHub.builder().sendQueueCapacity(10_000).build();
             RealtimeServer server = RealtimeServer.builder().hub(hub).host("127.0.0.1").port(0).build()) {
            URI uri = URI.create("ws://127.0.0.1:" + server.start() + "/ws");
            int burst = 1_000;
            int paced = 300;
            long[] latencies = new long[CLIENTS * (burst + paced)];
            AtomicLong received = new AtomicLong();
            AtomicLongArray perPhase = new AtomicLongArray(2);
            for (int i = 0; i < CLIENTS; i++) {
                RealtimeClient c = RealtimeClient.builder(uri).clientManager(shared).build();
                c.on("tick", e -> {
                    long lat = System.nanoTime() - e.data().path("t").asLong();
                    int slot = (int) received.getAndIncrement();
                    if (slot < latencies.length) {
                        latencies[slot] = lat;
                    }
                    perPhase.incrementAndGet(e.data().path("phase").asInt());
                });
                clients.add(c);
                c.connect();
                c.subscribe("bench").get(10, TimeUnit.SECONDS);
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> hub.roomSize("bench") == CLIENTS);

            // phase 0: a burst as fast as the publisher can go (throughput)
            long start = System.nanoTime();
            for (int i = 0; i < burst; i++) {
                hub.emitToRoom("bench", "tick", Map.of("t", System.nanoTime(), "i", i, "phase", 0));
            }
            long published = System.nanoTime() - start;
            await().atMost(Duration.ofSeconds(40)).until(() -> perPhase.get(0) == (long) CLIENTS * burst);
            long burstNanos = System.nanoTime() - start;
            long[] burstLat = Arrays.copyOf(latencies, (int) Math.min(received.get(), latencies.length));

            // phase 1: paced at 1 event per 2 ms (latency without a backlog)
            long base = received.get();
            for (int i = 0; i < paced; i++) {
                hub.emitToRoom("bench", "tick", Map.of("t", System.nanoTime(), "i", i, "phase", 1));
                long until = System.nanoTime() + 2_000_000;
                while (System.nanoTime() < until) {
                    Thread.onSpinWait();
                }
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> perPhase.get(1) == (long) CLIENTS * paced);
            long[] pacedLat = Arrays.copyOfRange(latencies, (int) base, (int) received.get());

            double rate = (double) CLIENTS * burst / (burstNanos / 1e9);
            String report = String.format(
                    "loopback, %d clients in one room, cores=%d%n"
                    + "burst: %d events published in %.1f ms, %d messages delivered in %.1f ms = %.0f msg/s; "
                    + "latency p50 %.2f ms, p99 %.2f ms, max %.2f ms%n"
                    + "paced (1 event / 2 ms, %d events): latency p50 %.2f ms, p99 %.2f ms, max %.2f ms%n",
                    CLIENTS, Runtime.getRuntime().availableProcessors(),
                    burst, published / 1e6, (long) CLIENTS * burst, burstNanos / 1e6, rate,
                    pct(burstLat, 50), pct(burstLat, 99), pct(burstLat, 100),
                    paced, pct(pacedLat, 50), pct(pacedLat, 99), pct(pacedLat, 100));
            log.info("measurement:\n{}", report);
            write(report);
        } finally {
            clients.forEach(RealtimeClient::close);
            shared.shutdown();
        }
    }

    private static double pct(long[] values, int p) {
        long[] v = values.clone();
        Arrays.sort(v);
        if (v.length == 0) {
            return Double.NaN;
        }
        int idx = (int) Math.min(v.length - 1, Math.ceil(p / 100.0 * v.length) - 1);
        return v[Math.max(0, idx)] / 1e6;
    }

    private static void write(String report) throws IOException {
        Path target = Path.of("target");
        Files.createDirectories(target);
        Files.writeString(target.resolve("loopback-measurement.txt"), report);
    }
}

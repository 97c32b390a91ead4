package dev.realtime.redis;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.realtime.core.ConnectionHandle;
import dev.realtime.core.Handshake;
import dev.realtime.core.Protocol;
import dev.realtime.core.Transport;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Measures (does not assert on) cross-node publish-to-receive latency and throughput through Redis on loopback:
 * node A publishes, a client of node B receives. Figures go to stdout and {@code target/redis-latency.txt}.
 */
@Tag("measurement")
@Tag("integration")
@ExtendWith(RedisServerExtension.class)
class RedisLatencyMeasurementTest {
    private static final int WARMUP = 2_000;
    private static final int PING_PONG = 2_000;
    private static final int BURST = 10_000;

    /** Records when each event frame with a {@code "seq":n} payload arrives. Thread-safe enough: one writer. */
    static final class TimingTransport implements Transport {
        final long[] arrived;
        final Semaphore received = new Semaphore(0);

        TimingTransport(int capacity) {
            arrived = new long[capacity];
        }

        @Override
        public Handshake handshake() {
            return Handshake.of("/ws");
        }

        @Override
        public void sendText(String text, SendCallback whenDone) {
            long now = System.nanoTime();
            int i = text.indexOf("\"seq\":");
            if (i >= 0 && text.startsWith("{\"type\":\"event\"")) {
                int start = i + 6;
                int end = start;
                while (end < text.length() && Character.isDigit(text.charAt(end))) {
                    end++;
                }
                arrived[Integer.parseInt(text, start, end, 10)] = now;
                received.release();
            }
            whenDone.done(null);
        }

        @Override
        public void sendBinary(ByteBuffer data, SendCallback whenDone) {
            whenDone.done(null);
        }

        @Override
        public void close(int code, String reason) {
        }
    }

    @Test
    void measureCrossNodeLatencyAndThroughput(RedisTestServer server) throws Exception {
        RedisOptions options = RedisOptions.builder().url(server.url()).keyPrefix("bench-" + UUID.randomUUID() + ":")
                .historySize(100).build();
        StringBuilder report = new StringBuilder("Cross-node A->B through Redis on loopback (")
                .append(server.url()).append(")\n");
        try (Node a = new Node("a", options); Node b = new Node("b", options)) {
            report.append(run(a, b, "chat:bench", "emitToRoom, no history (pub/sub + recovery log)",
                    (seq) -> a.hub.emitToRoom("chat:bench", "tick", Map.of("seq", seq))));
            report.append(run(a, b, "job:bench", "jobs().update, with history (Lua append + log + pub/sub)",
                    (seq) -> a.hub.jobs().update("bench", "running", Map.of("seq", seq))));
        }
        System.out.println(report);
        Path out = Path.of("target", "redis-latency.txt");
        try {
            Files.createDirectories(out.getParent());
            Files.writeString(out, report);
        } catch (IOException ignored) {
            // the figures are on stdout too
        }
    }

    private static String run(Node a, Node b, String room, String label, IntConsumer publish) throws Exception {
        int total = WARMUP + PING_PONG + BURST;
        TimingTransport t = new TimingTransport(total);
        ConnectionHandle h = b.hub.connect(t, Protocol.NATIVE);
        h.onText("{\"type\":\"subscribe\",\"room\":\"" + room + "\"}");
        long[] sent = new long[total];
        int seq = 0;
        // warm-up and unloaded latency: one event in flight at a time
        Histogram pingPong = new Histogram(3_600_000_000L, 3);
        for (int i = 0; i < WARMUP + PING_PONG; i++, seq++) {
            sent[seq] = System.nanoTime();
            publish.accept(seq);
            assertTrue(t.received.tryAcquire(5, TimeUnit.SECONDS), "event " + seq + " not received");
            if (i >= WARMUP) {
                pingPong.recordValue(Math.max(1, t.arrived[seq] - sent[seq]));
            }
        }
        // burst: publish as fast as one thread can, measure until the last arrives
        int burstStart = seq;
        long start = System.nanoTime();
        for (int i = 0; i < BURST; i++, seq++) {
            sent[seq] = System.nanoTime();
            publish.accept(seq);
        }
        long publishDone = System.nanoTime();
        assertTrue(t.received.tryAcquire(BURST, 30, TimeUnit.SECONDS), "burst not fully received");
        long lastArrival = 0;
        Histogram burst = new Histogram(3_600_000_000L, 3);
        for (int i = burstStart; i < seq; i++) {
            burst.recordValue(Math.max(1, t.arrived[i] - sent[i]));
            lastArrival = Math.max(lastArrival, t.arrived[i]);
        }
        h.onClose(1000, "done");
        double seconds = (lastArrival - start) / 1e9;
        return String.format("""
                  %s
                    one in flight (%d events): p50 %.0f us, p99 %.0f us, max %.0f us
                    burst of %d from one thread: %.0f msg/s end to end (publisher alone %.0f msg/s); \
                latency under that load p50 %.1f ms, p99 %.1f ms
                """, label, PING_PONG, pingPong.getValueAtPercentile(50) / 1e3,
                pingPong.getValueAtPercentile(99) / 1e3, pingPong.getMaxValue() / 1e3, BURST, BURST / seconds,
                BURST / ((publishDone - start) / 1e9), burst.getValueAtPercentile(50) / 1e6,
                burst.getValueAtPercentile(99) / 1e6);
    }
}

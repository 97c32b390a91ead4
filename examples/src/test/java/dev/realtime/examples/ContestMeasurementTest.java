package dev.realtime.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.realtime.core.RealtimeHub;
import dev.realtime.core.contest.Contest;
import dev.realtime.core.contest.ContestGateway;
import dev.realtime.core.contest.ContestQuestion;
import dev.realtime.core.contest.ContestStore;
import dev.realtime.core.contest.LeaderboardStore;
import dev.realtime.core.security.Limits;
import dev.realtime.jakarta.server.RealtimeServer;
import dev.realtime.redis.RedisBackend;
import dev.realtime.redis.RedisContestStore;
import dev.realtime.redis.RedisLeaderboardStore;
import dev.realtime.redis.RedisOptions;
import dev.realtime.redis.RedisTestServer;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A measurement, not a test (excluded from {@code verify}; run with {@code -Dmeasure}, see BENCHMARKS.md): 10,000
 * participants on raw Engine.IO/Socket.IO WebSockets (JDK {@code java.net.http}, in this JVM) join one contest,
 * then each submits one answer at a random moment of a 10 s window. Prints and appends to
 * {@code target/contest-measurement.txt}: answers/s accepted, ack latency, leaderboard-update delivery latency
 * ({@code at} stamp to receipt, over every recipient), updates sent, server CPU per answer (CPU of every thread
 * but the clients' and the driver's), and heap per participant; with memory stores, then with Redis stores and
 * a Redis backend. Needs about 25,000 file descriptors ({@code ulimit -n}).
 */
@Tag("measurement")
@Timeout(900)
class ContestMeasurementTest {
    private static final int PARTICIPANTS = Integer.getInteger("contest.participants", 10_000);
    private static final long WINDOW_MS = 10_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void memoryStores() throws Exception {
        run("memory", null);
    }

    @Test
    void redisStores() throws Exception {
        try (RedisTestServer redis = RedisTestServer.start(false)) {
            run("redis", redis.url());
        }
    }

    /** One participant's connection: raw Socket.IO frames on the default namespace. */
    private static final class Participant implements WebSocket.Listener {
        final int n;
        final CompletableFuture<Void> connected = new CompletableFuture<>();
        final CompletableFuture<JsonNode> joined = new CompletableFuture<>();
        final CompletableFuture<JsonNode> answered = new CompletableFuture<>();
        final Stats stats;
        volatile long sentNanos;
        WebSocket ws;
        private final StringBuilder partial = new StringBuilder();

        Participant(int n, Stats stats) {
            this.n = n;
            this.stats = stats;
        }

        @Override
        public void onOpen(WebSocket webSocket) {
            webSocket.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String f = partial.toString();
                partial.setLength(0);
                try {
                    frame(webSocket, f);
                } catch (Exception e) {
                    stats.errors.incrementAndGet();
                }
            }
            webSocket.request(1);
            return null;
        }

        private void frame(WebSocket webSocket, String f) throws Exception {
            if (f.startsWith("0{")) {
                webSocket.sendText("40", true);
            } else if (f.startsWith("40")) {
                connected.complete(null);
            } else if (f.equals("2")) {
                webSocket.sendText("3", true);
            } else if (f.startsWith("430")) {
                joined.complete(JSON.readTree(f.substring(3)).get(0));
            } else if (f.startsWith("431")) {
                stats.ack.add((System.nanoTime() - sentNanos) / 1000);
                answered.complete(JSON.readTree(f.substring(3)).get(0));
            } else if (f.startsWith("42[\"contest:leaderboard_update\"")) {
                long now = System.currentTimeMillis();
                int at = f.lastIndexOf("\"at\":");
                if (at > 0) {
                    long stamp = Long.parseLong(f.substring(at + 5, f.indexOf('}', at)).trim());
                    stats.update.add((now - stamp) * 1000);
                }
                stats.updates.incrementAndGet();
            }
        }
    }

    /** Latency samples in µs, lock-free. */
    private static final class Samples {
        private final long[] v = new long[4_000_000];
        private final AtomicInteger n = new AtomicInteger();

        void add(long micros) {
            int i = n.getAndIncrement();
            if (i < v.length) {
                v[i] = micros;
            }
        }

        String summary() {
            int count = Math.min(n.get(), v.length);
            long[] s = Arrays.copyOf(v, count);
            Arrays.sort(s);
            if (count == 0) {
                return "n=0";
            }
            return String.format("p50 %.1f ms, p99 %.1f ms, max %.1f ms (n=%d)", s[count / 2] / 1000.0,
                    s[(int) (count * 0.99)] / 1000.0, s[count - 1] / 1000.0, count);
        }
    }

    private static final class Stats {
        final Samples ack = new Samples();
        final Samples update = new Samples();
        final AtomicLong updates = new AtomicLong();
        final AtomicInteger errors = new AtomicInteger();
    }

    private void run(String mode, String redisUrl) throws Exception {
        RealtimeHub.Builder hb = RealtimeHub.builder().limits(Limits.unlimited());
        ContestStore contests = ContestStore.inMemory();
        LeaderboardStore board = LeaderboardStore.inMemory();
        if (redisUrl != null) {
            hb.backend(RedisBackend.create(redisUrl));
            contests = new RedisContestStore(RedisOptions.builder().url(redisUrl).build());
            board = new RedisLeaderboardStore(RedisOptions.builder().url(redisUrl).build());
        }
        Stats stats = new Stats();
        ExecutorService clientExecutor = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "bench-client-" + System.nanoTime());
            t.setDaemon(true);
            return t;
        });
        List<HttpClient> http = List.of(HttpClient.newBuilder().executor(clientExecutor).build(),
                HttpClient.newBuilder().executor(clientExecutor).build());
        ScheduledExecutorService driver = Executors.newScheduledThreadPool(2, r -> {
            Thread t = new Thread(r, "bench-driver");
            t.setDaemon(true);
            return t;
        });
        try (RealtimeHub hub = hb.build();
             ContestGateway gateway = ContestGateway.builder(hub).contestStore(contests).leaderboardStore(board)
                     .build();
             RealtimeServer server = RealtimeServer.builder().hub(hub).host("127.0.0.1").port(0).build()) {
            int port = server.start();
            Instant now = Instant.now();
            List<ContestQuestion> qs = new ArrayList<>();
            for (int i = 1; i <= 10; i++) {
                qs.add(new ContestQuestion("q" + i, "Question " + i, List.of("a", "b", "c", "d"), i % 4, 1000,
                        "medium", ""));
            }
            gateway.service().create(new Contest("bench", "Benchmark", now, now.plus(Duration.ofHours(1)), qs, true));
            System.gc();
            long heapBefore = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();

            URI uri = URI.create("ws://127.0.0.1:" + port + "/socket.io/?EIO=4&transport=websocket");
            List<Participant> ps = new ArrayList<>();
            Semaphore opening = new Semaphore(200);
            long t0 = System.nanoTime();
            for (int i = 0; i < PARTICIPANTS; i++) {
                Participant p = new Participant(i, stats);
                ps.add(p);
                opening.acquire();
                http.get(i % 2).newWebSocketBuilder().buildAsync(uri, p).whenComplete((ws, e) -> {
                    if (e != null) {
                        stats.errors.incrementAndGet();
                        p.connected.completeExceptionally(e);
                        opening.release();
                    } else {
                        p.ws = ws;
                        p.connected.whenComplete((v, x) -> opening.release());
                    }
                });
            }
            CompletableFuture.allOf(ps.stream().map(p -> p.connected).toArray(CompletableFuture[]::new))
                    .get(300, TimeUnit.SECONDS);
            double connectS = (System.nanoTime() - t0) / 1e9;
            t0 = System.nanoTime();
            for (Participant p : ps) {
                opening.acquire();
                p.ws.sendText("420[\"contest:join\",{\"contestId\":\"bench\",\"userId\":\"u" + p.n + "\"}]", true);
                p.joined.whenComplete((v, x) -> opening.release());
            }
            CompletableFuture.allOf(ps.stream().map(p -> p.joined).toArray(CompletableFuture[]::new))
                    .get(300, TimeUnit.SECONDS);
            double joinS = (System.nanoTime() - t0) / 1e9;
            System.gc();
            long heapJoined = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();

            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            long cpuBefore = serverCpuNanos(threads);
            long updatesBefore = stats.updates.get();
            long start = System.nanoTime();
            CountDownLatch sent = new CountDownLatch(ps.size());
            for (Participant p : ps) {
                long delay = ThreadLocalRandom.current().nextLong(WINDOW_MS * 1000);
                driver.schedule(() -> {
                    String q = "q" + (1 + p.n % 10);
                    int answer = p.n % 3 == 0 ? (p.n % 10 + 1) % 4 : (p.n % 10 + 2) % 4; // a third right
                    p.sentNanos = System.nanoTime();
                    p.ws.sendText("421[\"contest:submit_answer\",{\"contestId\":\"bench\",\"questionId\":\"" + q
                            + "\",\"answer\":" + answer + ",\"timeSpent\":3,\"userId\":\"u" + p.n + "\"}]", true);
                    sent.countDown();
                }, delay, TimeUnit.MICROSECONDS);
            }
            sent.await(60, TimeUnit.SECONDS);
            CompletableFuture.allOf(ps.stream().map(p -> p.answered).toArray(CompletableFuture[]::new))
                    .get(120, TimeUnit.SECONDS);
            long lastAck = System.nanoTime();
            // the last coalesced update reaches everyone within a flush interval or so
            long waitUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
            while (System.nanoTime() < waitUntil) {
                Thread.onSpinWait();
                Thread.yield();
            }
            long cpuAfter = serverCpuNanos(threads);
            long accepted = ps.stream().filter(p -> "ok".equals(p.answered.join().path("status").asText())).count();
            long correct = ps.stream().filter(p -> p.answered.join().path("correct").asBoolean()).count();
            double seconds = (lastAck - start) / 1e9;
            String report = String.format("""
                    contest measurement, %s stores: %d participants, one answer each within %d s, %s
                      connect %.1f s, join %.1f s (acks carry the standings)
                      answers accepted: %d (%d correct) in %.2f s = %.0f answers/s
                      answer ack latency: %s
                      leaderboard updates received: %d (%.0f per participant, %.1f per second per participant)
                      leaderboard update delivery latency (server 'at' stamp to receipt, ms clock): %s
                      server CPU: %.0f µs per answer (%.2f s CPU of server threads over the window + 3 s)
                      heap: %.1f KiB per joined participant (%d MiB after joining)
                      client errors: %d
                    """, mode, ps.size(), WINDOW_MS / 1000, Instant.now(), connectS, joinS, accepted, correct, seconds,
                    accepted / seconds, stats.ack.summary(), stats.updates.get() - updatesBefore,
                    (stats.updates.get() - updatesBefore) / (double) ps.size(),
                    (stats.updates.get() - updatesBefore) / (double) ps.size() / (seconds + 3),
                    stats.update.summary(), (cpuAfter - cpuBefore) / 1000.0 / accepted, (cpuAfter - cpuBefore) / 1e9,
                    (heapJoined - heapBefore) / 1024.0 / ps.size(), heapJoined >> 20, stats.errors.get());
            System.out.println(report);
            Path out = Path.of("target/contest-measurement.txt");
            Files.writeString(out, report + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            assertEquals(ps.size(), accepted, "every answer accepted");
            assertEquals(ps.size(), gateway.service().boardSize("bench"));
            for (Participant p : ps) {
                p.ws.abort();
            }
        } finally {
            driver.shutdownNow();
            clientExecutor.shutdownNow();
            contests.close();
            board.close();
        }
    }

    /** CPU time of every live thread except the clients' ("bench-*", the JDK HttpClient selectors). */
    private static long serverCpuNanos(ThreadMXBean threads) {
        long sum = 0;
        for (var info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info == null) {
                continue;
            }
            String name = info.getThreadName();
            if (name.startsWith("bench-") || name.startsWith("HttpClient-")) {
                continue;
            }
            long cpu = threads.getThreadCpuTime(info.getThreadId());
            if (cpu > 0) {
                sum += cpu;
            }
        }
        return sum;
    }
}

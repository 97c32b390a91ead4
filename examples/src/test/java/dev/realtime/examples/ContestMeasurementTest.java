package dev.realtime.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.realtime.redis.RedisTestServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
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
 * ({@code at} stamp to receipt, over every recipient), updates received, server CPU per answer (the server runs in
 * its own JVM, {@link ContestBenchServer}, so its process CPU is its own) and heap per participant; with memory
 * stores, then with Redis stores and a Redis backend. Each process needs about 11,000 file descriptors.
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
            if (n == 0 && Boolean.getBoolean("contest.trace")) {
                System.out.println("frame: " + f);
            }
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

        void reset() {
            n.set(0);
        }

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

    /** The server child process and its command line. */
    private static final class ServerProcess implements AutoCloseable {
        final Process process;
        final BufferedReader out;
        final Writer in;
        final int port;

        ServerProcess(String arg) throws Exception {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            process = new ProcessBuilder(java, "-Xms256m", "-Xmx2g", "-XX:+UseG1GC", "-cp",
                    System.getProperty("java.class.path"), ContestBenchServer.class.getName(), arg)
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
            port = Integer.parseInt(expect("READY"));
        }

        String expect(String prefix) throws Exception {
            for (;;) {
                String l = out.readLine();
                if (l == null) {
                    throw new IllegalStateException("server process ended");
                }
                if (l.startsWith(prefix + " ")) {
                    return l.substring(prefix.length() + 1).trim();
                }
            }
        }

        long ask(String command, String prefix) throws Exception {
            in.write(command + "\n");
            in.flush();
            return Long.parseLong(expect(prefix));
        }

        @Override
        public void close() throws Exception {
            try {
                in.write("quit\n");
                in.flush();
            } catch (java.io.IOException ignored) {
                // gone
            }
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    private void run(String mode, String redisUrl) throws Exception {
        Stats stats = new Stats();
        ExecutorService clientExecutor = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "bench-client");
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
        try (ServerProcess server = new ServerProcess(redisUrl == null ? "memory" : redisUrl)) {
            long heapBefore = server.ask("heap", "HEAP");
            URI uri = URI.create("ws://127.0.0.1:" + server.port + "/socket.io/?EIO=4&transport=websocket");
            List<Participant> all = new ArrayList<>();
            Semaphore opening = new Semaphore(200);
            long t0 = System.nanoTime();
            for (int i = 0; i < PARTICIPANTS; i++) {
                Participant p = new Participant(i, stats);
                all.add(p);
                opening.acquire();
                p.connected.orTimeout(30, TimeUnit.SECONDS).whenComplete((v, x) -> opening.release());
                http.get(i % 2).newWebSocketBuilder().buildAsync(uri, p).whenComplete((ws, e) -> {
                    if (e != null) {
                        stats.errors.incrementAndGet();
                        p.connected.completeExceptionally(e);
                    } else {
                        p.ws = ws;
                    }
                });
            }
            for (Participant p : all) {
                try {
                    p.connected.get(60, TimeUnit.SECONDS);
                } catch (Exception e) {
                    // counted below
                }
            }
            List<Participant> ps = all.stream().filter(p -> !p.connected.isCompletedExceptionally()
                    && p.connected.isDone()).toList();
            double connectS = (System.nanoTime() - t0) / 1e9;
            t0 = System.nanoTime();
            for (Participant p : ps) {
                opening.acquire();
                p.joined.whenComplete((v, x) -> opening.release());
                p.ws.sendText("420[\"contest:join\",{\"contestId\":\"bench\",\"userId\":\"u" + p.n + "\"}]", true);
            }
            CompletableFuture.allOf(ps.stream().map(p -> p.joined).toArray(CompletableFuture[]::new))
                    .get(300, TimeUnit.SECONDS);
            double joinS = (System.nanoTime() - t0) / 1e9;
            long heapJoined = server.ask("heap", "HEAP");
            Thread.sleep(2000); // let the join burst's coalesced updates drain before the window (measurement pacing)
            long cpuBefore = server.ask("cpu", "CPU");
            long updatesBefore = stats.updates.get();
            stats.update.reset();
            long start = System.nanoTime();
            for (Participant p : ps) {
                long delay = ThreadLocalRandom.current().nextLong(WINDOW_MS * 1000);
                driver.schedule(() -> {
                    String q = "q" + (1 + p.n % 10);
                    int answer = p.n % 3 == 0 ? (p.n % 10 + 1) % 4 : (p.n % 10 + 2) % 4; // a third right
                    p.sentNanos = System.nanoTime();
                    p.ws.sendText("421[\"contest:submit_answer\",{\"contestId\":\"bench\",\"questionId\":\"" + q
                            + "\",\"answer\":" + answer + ",\"timeSpent\":3,\"userId\":\"u" + p.n + "\"}]", true);
                }, delay, TimeUnit.MICROSECONDS);
            }
            CompletableFuture.allOf(ps.stream().map(p -> p.answered).toArray(CompletableFuture[]::new))
                    .get(180, TimeUnit.SECONDS);
            long lastAck = System.nanoTime();
            Thread.sleep(3000); // a fixed measurement tail for the last coalesced updates, not a wait for an event
            long cpuAfter = server.ask("cpu", "CPU");
            long onBoard = server.ask("board", "BOARD");
            long accepted = ps.stream().filter(p -> "ok".equals(p.answered.join().path("status").asText())).count();
            long correct = ps.stream().filter(p -> p.answered.join().path("correct").asBoolean()).count();
            double seconds = (lastAck - start) / 1e9;
            long updates = stats.updates.get() - updatesBefore;
            String report = String.format("""
                    contest measurement, %s stores: %d of %d participants connected, one answer each within %d s, %s
                      connect %.1f s, join %.1f s (the join ack carries the standings)
                      answers accepted: %d (%d correct) in %.2f s = %.0f answers/s; on the board: %d
                      answer ack latency (send to ack): %s
                      leaderboard updates received in the window + 3 s: %d (%.1f per participant per second)
                      leaderboard update delivery latency (server 'at' stamp to receipt, ms clock): %s
                      server process CPU: %.0f µs per answer (%.2f s CPU over %.1f s, updates to every participant included)
                      server heap after GC: %.1f KiB per joined participant (%d MiB with all joined, %d MiB before)
                      client errors: %d
                    """, mode, ps.size(), all.size(), WINDOW_MS / 1000, Instant.now(), connectS, joinS, accepted,
                    correct, seconds, accepted / seconds, onBoard, stats.ack.summary(), updates,
                    updates / (double) ps.size() / (seconds + 3), stats.update.summary(),
                    (cpuAfter - cpuBefore) / 1000.0 / accepted, (cpuAfter - cpuBefore) / 1e9, seconds + 3,
                    (heapJoined - heapBefore) / 1024.0 / ps.size(), heapJoined >> 20, heapBefore >> 20,
                    stats.errors.get());
            System.out.println(report);
            Files.writeString(Path.of("target/contest-measurement.txt"), report + "\n", StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
            assertEquals(ps.size(), accepted, "every answer accepted");
            for (Participant p : ps) {
                p.ws.abort();
            }
        } finally {
            driver.shutdownNow();
            clientExecutor.shutdownNow();
        }
    }
}

package dev.realtime.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.realtime.jakarta.client.ClientListener;
import dev.realtime.jakarta.client.RealtimeClient;
import dev.realtime.jakarta.client.RealtimeEvent;
import dev.realtime.redis.RedisTestServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.glassfish.tyrus.client.ClientManager;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The chaos run of issue 13 (tagged; {@code mvn -Dmeasure -pl examples -am verify -Dtest=ChaosMeasurement}): three
 * example servers in their own JVMs behind a round-robin TCP proxy, one real redis-server (append-only, fsync
 * always), {@code -Dchaos.clients} Java clients (1,000) on 10 job streams, {@code -Dchaos.rate} acknowledged events
 * per second (200) over HTTP with idempotency keys and retries, for {@code -Dchaos.seconds} (120). Meanwhile nodes
 * are killed with SIGKILL and restarted, Redis is paused (SIGSTOP) and killed and restarted. The figures (sent,
 * acknowledged, delivered, lost, duplicated, gaps) go to the log and {@code target/chaos.txt}.
 */
@Tag("measurement")
class ChaosMeasurement {
    private static final Logger log = LoggerFactory.getLogger(ChaosMeasurement.class);
    private static final String KEY = "chaos-key";
    private static final int JOBS = 10;
    @TempDir
    Path logs;

    @Test
    void threeNodesUnderFaultsLoseAndDuplicateNothingAcknowledged() throws Exception {
        int clients = Integer.getInteger("chaos.clients", 1000);
        int rate = Integer.getInteger("chaos.rate", 200);
        int seconds = Integer.getInteger("chaos.seconds", 120);
        String run = "chaos-" + System.nanoTime();
        try (RedisTestServer redis = RedisTestServer.start(true)) {
            // every client has its own user: authenticated handshakes count per user, not per (proxy) address
            // history covers the longest outage (node restart, Redis restart): 20 events/s per job for 2 minutes
            String[] args = {"--redis", redis.url(), "--api-key", KEY, "--jwt-secret",
                    dev.realtime.core.security.Jwts.SECRET, "--history-size", "5000"};
            ServerProcess[] nodes = {ServerProcess.start(logs.resolve("a.log"), args),
                    ServerProcess.start(logs.resolve("b.log"), args), ServerProcess.start(logs.resolve("c.log"), args)};
            int[] ports = {nodes[0].port, nodes[1].port, nodes[2].port};
            Set<Integer> live = ConcurrentHashMap.newKeySet();
            for (int p : ports) {
                live.add(p);
            }
            try (TcpProxy proxy = new TcpProxy(ports)) {
                ClientManager manager = ClientManager.createClient();
                List<RealtimeClient> all = new ArrayList<>();
                Map<Integer, List<Set<Long>>> received = new ConcurrentHashMap<>();
                AtomicLong duplicates = new AtomicLong();
                AtomicLong gaps = new AtomicLong();
                for (int i = 0; i < clients; i++) {
                    int job = i % JOBS;
                    Set<Long> got = new ConcurrentSkipListSet<>();
                    received.computeIfAbsent(job, k -> java.util.Collections.synchronizedList(new ArrayList<>()))
                            .add(got);
                    String token = dev.realtime.core.security.Jwts.hs256(dev.realtime.core.security.Jwts
                            .claims("chaos-" + i, java.time.Instant.now()).claim("roles", List.of("admin")).build());
                    RealtimeClient c = RealtimeClient.builder(URI.create("ws://127.0.0.1:" + proxy.port() + "/ws"))
                            .header("Authorization", "Bearer " + token).clientManager(manager).reconnectDelay(Duration.ofMillis(200), Duration.ofSeconds(2))
                            .build();
                    c.on("job:update", (RealtimeEvent e) -> {
                        if (!got.add(e.offset())) {
                            duplicates.incrementAndGet();
                        }
                    });
                    c.addListener(new ClientListener() {
                        @Override
                        public void onGap(String room, String epoch, long offset) {
                            gaps.incrementAndGet();
                        }
                    });
                    c.connect().get(20, TimeUnit.SECONDS);
                    c.subscribe("job:" + run + "-" + job).get(20, TimeUnit.SECONDS);
                    all.add(c);
                }
                log.info("chaos: {} clients connected", clients);

                Map<Integer, Set<Long>> acknowledged = new ConcurrentHashMap<>();
                AtomicLong sent = new AtomicLong();
                AtomicLong notAcknowledged = new AtomicLong();
                HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
                ScheduledExecutorService faults = Executors.newSingleThreadScheduledExecutor();
                List<String> timeline = new ArrayList<>();
                long t0 = System.nanoTime();
                schedule(faults, timeline, t0, seconds * 0.15, "kill -9 node b", () -> kill(nodes, 1, live, proxy));
                schedule(faults, timeline, t0, seconds * 0.30, "restart node b", () -> restart(nodes, 1, live, proxy));
                schedule(faults, timeline, t0, seconds * 0.45, "pause redis 3 s", () -> pause(redis, 3));
                schedule(faults, timeline, t0, seconds * 0.60, "kill -9 redis, restart", () -> {
                    redis.kill();
                    redis.start();
                });
                schedule(faults, timeline, t0, seconds * 0.75, "kill -9 node c", () -> kill(nodes, 2, live, proxy));
                schedule(faults, timeline, t0, seconds * 0.85, "restart node c", () -> restart(nodes, 2, live, proxy));

                long interval = 1_000_000_000L / rate;
                long next = System.nanoTime();
                long end = t0 + TimeUnit.SECONDS.toNanos(seconds);
                int seq = 0;
                // producers: each event is published (and retried) on its own task, so a slow or dead node does
                // not hold the offered rate back; 32 in flight at most
                java.util.concurrent.ExecutorService producers = Executors.newFixedThreadPool(32);
                java.util.concurrent.Semaphore inFlight = new java.util.concurrent.Semaphore(32);
                while (System.nanoTime() < end) {
                    LockSupport.parkNanos(next - System.nanoTime()); // pacing the producers
                    next += interval;
                    int s = ++seq;
                    int job = s % JOBS;
                    sent.incrementAndGet();
                    inFlight.acquireUninterruptibly();
                    producers.execute(() -> {
                        try {
                            Long offset = publishUntilAcknowledged(http, live, run + "-" + job, "e-" + s, s % 100);
                            if (offset == null) {
                                notAcknowledged.incrementAndGet();
                            } else {
                                acknowledged.computeIfAbsent(job, k -> ConcurrentHashMap.newKeySet()).add(offset);
                            }
                        } finally {
                            inFlight.release();
                        }
                    });
                }
                producers.shutdown();
                producers.awaitTermination(2, TimeUnit.MINUTES);
                faults.shutdownNow();
                // settle: every client gets what was acknowledged, or the run reports it lost
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                long lost = lost(acknowledged, received);
                while (lost > 0 && System.nanoTime() < deadline) {
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(500));
                    lost = lost(acknowledged, received);
                }
                long ackTotal = acknowledged.values().stream().mapToLong(Set::size).sum();
                long delivered = received.values().stream().flatMap(List::stream).mapToLong(Set::size).sum();
                String figures = String.format("chaos: 3 nodes, %d clients, %d jobs, %d events/s offered for %d s%n"
                                + "faults: %s%n"
                                + "sent %d, acknowledged %d, not acknowledged (gave up) %d, expected deliveries %d, "
                                + "delivered %d, lost %d, duplicated %d, gap signals %d%n",
                        clients, JOBS, rate, seconds, timeline, sent.get(), ackTotal, notAcknowledged.get(),
                        ackTotal * (clients / JOBS), delivered, lost, duplicates.get(), gaps.get());
                log.info(figures);
                Files.writeString(Path.of("target", "chaos.txt"), figures);
                for (RealtimeClient c : all) {
                    c.close();
                }
                manager.shutdown();
                assertEquals(0, lost, "acknowledged events lost");
                assertEquals(0, duplicates.get(), "duplicates");
            } finally {
                for (ServerProcess n : nodes) {
                    n.close();
                }
            }
        }
    }

    private static long lost(Map<Integer, Set<Long>> acknowledged, Map<Integer, List<Set<Long>>> received) {
        long lost = 0;
        for (Map.Entry<Integer, Set<Long>> e : acknowledged.entrySet()) {
            for (Set<Long> got : received.getOrDefault(e.getKey(), List.of())) {
                for (Long o : e.getValue()) {
                    if (!got.contains(o)) {
                        lost++;
                    }
                }
            }
        }
        return lost;
    }

    /** Publishes with an idempotency key, retrying on other live nodes until acknowledged; null after 20 tries. */
    private static Long publishUntilAcknowledged(HttpClient http, Set<Integer> live, String job, String key,
                                                 int progress) {
        for (int attempt = 0; attempt < 20; attempt++) {
            List<Integer> ports = new ArrayList<>(live);
            if (ports.isEmpty()) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
                continue;
            }
            int port = ports.get(Math.floorMod(key.hashCode() + attempt, ports.size()));
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                                + "/api/jobs/" + job + "/events")).timeout(Duration.ofSeconds(3))
                        .header("X-Api-Key", KEY).header("Idempotency-Key", key)
                        // updates, not progress: progress may be conflated for a slow client by design
                        .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"update\",\"status\":\"step-"
                                + progress + "\"}")).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 201 || r.statusCode() == 200) {
                    String b = r.body();
                    int i = b.indexOf("\"offset\":");
                    return Long.parseLong(b.substring(i + 9, b.indexOf(',', i)));
                }
            } catch (IOException e) {
                // node down: try another
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100 * (attempt + 1)));
        }
        return null;
    }

    private static void schedule(ScheduledExecutorService s, List<String> timeline, long t0, double at, String what,
                                 ThrowingRunnable action) {
        s.schedule(() -> {
            try {
                action.run();
                synchronized (timeline) {
                    timeline.add(String.format("%.0f s %s", (System.nanoTime() - t0) / 1e9, what));
                }
                log.info("chaos fault: {}", what);
            } catch (Exception e) {
                log.warn("chaos fault '{}' failed: {}", what, e.toString());
            }
        }, (long) (at * 1000), TimeUnit.MILLISECONDS);
    }

    private static void kill(ServerProcess[] nodes, int i, Set<Integer> live, TcpProxy proxy) throws Exception {
        live.remove(nodes[i].port);
        proxy.targets(live.stream().mapToInt(Integer::intValue).toArray());
        nodes[i].kill9();
    }

    private static void restart(ServerProcess[] nodes, int i, Set<Integer> live, TcpProxy proxy) throws Exception {
        nodes[i] = nodes[i].restart();
        live.add(nodes[i].port);
        proxy.targets(live.stream().mapToInt(Integer::intValue).toArray());
    }

    private static void pause(RedisTestServer redis, int secs) throws Exception {
        long pid = redis.pid();
        new ProcessBuilder("kill", "-STOP", Long.toString(pid)).start().waitFor();
        LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(secs)); // the pause itself
        new ProcessBuilder("kill", "-CONT", Long.toString(pid)).start().waitFor();
    }

    @FunctionalInterface
    private interface ThrowingRunnable {
        void run() throws Exception;
    }
}

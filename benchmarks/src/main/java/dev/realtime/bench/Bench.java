package dev.realtime.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.realtime.bench.Clients.Protocol;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * The benchmark harness: starts each server under test as a child process on 127.0.0.1 (ephemeral ports), drives
 * it with {@link Clients} from this JVM, and writes a table to stdout, {@code target/results.json} and
 * {@code target/results.md}. Every phase is bounded in count and time, and a watchdog ends the whole run.
 *
 * <pre>
 * benchmarks/run.sh [--short] [--only ours-native,tyrus-bare,ours-sio,node-sio,redis] [--jfr]
 * </pre>
 */
public final class Bench {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final String OURS_NATIVE = "ours-native";
    private static final String TYRUS = "tyrus-bare";
    private static final String OURS_SIO = "ours-sio";
    private static final String NODE = "node-sio";
    private static final String NETTY = "netty-sio";
    private static final String REDIS = "ours-native-redis";

    /** Deliveries of one max-rate fan-out-polling run (the fixed run is bounded by fixedSeconds). */
    private static final long POLL_SHORT_DELIVERIES = 40_000;
    private static final long POLL_FULL_DELIVERIES = 200_000;

    /** Sizes of one run. */
    record Config(String mode, int idleConnections, int manyRounds, int[] fanSubscribers, long maxDeliveries,
                  double fixedSeconds, int resumeIterations, int redisSubscribers, int[] pollSubscribers,
                  long pollDeliveries, double stepSeconds, Duration limit) {
        static Config of(boolean shortMode) {
            return shortMode
                    ? new Config("short", 1000, 5, new int[] {100, 1000}, 60_000, 1.5, 5, 1000, new int[] {100, 1000},
                    POLL_SHORT_DELIVERIES, 0.75, Duration.ofMinutes(8))
                    : new Config("full", 10_000, 10, new int[] {100, 1000, 5000}, 400_000, 5, 20, 1000,
                    new int[] {100, 1000}, POLL_FULL_DELIVERIES, 1.5, Duration.ofMinutes(30));
        }
    }

    private final Config cfg;
    private final Path dir;
    private final Path target;
    private final Set<String> only;
    private final boolean jfr;
    /** Only the fan-out-polling scenario (of ours-sio and node-sio). */
    private final boolean pollingOnly;
    /** {@code --profile SUBS:MSGS}: only a steady fan-out at that offered rate for 10 s (with --jfr: its profile). */
    private static int[] profileAt;
    /** {@code --client jdk|nio}: the WebSocket client implementation ({@link Clients#create}). */
    private static String clientKind = "nio";
    /** {@code --client-threads N}: selector threads of the nio client. */
    private static int clientThreads = 1;
    /** The polling clients of the phase being measured, whose request counts go into its row; else null. */
    private PollingClients polling;
    private final List<Map<String, Object>> rows = new ArrayList<>();
    /** Max event rate (events/s) our server reached, per protocol and scenario: the pair's fixed rate is half. */
    private final Map<String, Double> oursMaxRate = new HashMap<>();
    /** The process whose CPU a measurement charges when it is not the publishing one (cross-node: node B). */
    private ServerProcess cpuOf;

    private Bench(Config cfg, Path dir, Set<String> only, boolean jfr, boolean pollingOnly) {
        this.cfg = cfg;
        this.dir = dir;
        this.target = dir.resolve("target");
        this.only = only;
        this.jfr = jfr;
        this.pollingOnly = pollingOnly;
    }

    public static void main(String[] args) throws Exception {
        boolean shortMode = false;
        boolean jfr = false;
        boolean pollingOnly = false;
        Set<String> only = Set.of(OURS_NATIVE, TYRUS, OURS_SIO, NODE, NETTY, "redis");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--short" -> shortMode = true;
                case "--jfr" -> jfr = true;
                case "--polling-only" -> pollingOnly = true;
                case "--profile" -> profileAt = Arrays.stream(args[++i].split(":")).mapToInt(Integer::parseInt).toArray();
                case "--only" -> only = Set.of(args[++i].split(","));
                case "--client" -> clientKind = args[++i];
                case "--client-threads" -> clientThreads = Integer.parseInt(args[++i]);
                case "" -> { }
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + "; usage: [--short] [--only ours-native,tyrus-bare,ours-sio,node-sio,netty-sio,redis] [--jfr]"
                        + " [--polling-only] [--client jdk|nio] [--client-threads N]");
            }
        }
        Config cfg = Config.of(shortMode);
        Path dir = Path.of(System.getProperty("bench.dir", ".")).toAbsolutePath().normalize();
        Thread watchdog = new Thread(() -> {
            try {
                Thread.sleep(cfg.limit().toMillis());
                System.err.println("benchmark time limit " + cfg.limit() + " reached; stopping");
                System.exit(3);
            } catch (InterruptedException ignored) {
                // finished in time
            }
        }, "watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        long t0 = System.nanoTime();
        loadAtStart = loadAverage();
        Bench bench = new Bench(cfg, dir, only, jfr, pollingOnly);
        bench.run();
        bench.report(Duration.ofNanos(System.nanoTime() - t0), String.join(" ", args));
        watchdog.interrupt();
        System.exit(0);
    }

    private void run() {
        if (profileAt != null) {
            for (String name : List.of(OURS_NATIVE, OURS_SIO, NETTY, NODE, TYRUS)) {
                if (only.contains(name)) {
                    profile(name);
                }
            }
            return;
        }
        if (pollingOnly) {
            if (only.contains(OURS_SIO)) {
                pollingServer(OURS_SIO, java("dev.realtime.bench.ServerMain", OURS_SIO));
            }
            if (only.contains(NODE)) {
                pollingServer(NODE, List.of("node", "--expose-gc", "server.js"));
            }
            return;
        }
        if (only.contains(OURS_NATIVE)) {
            server(OURS_NATIVE, Protocol.NATIVE, java("dev.realtime.bench.ServerMain", OURS_NATIVE));
        }
        if (only.contains(TYRUS)) {
            server(TYRUS, Protocol.NATIVE, java("dev.realtime.bench.TyrusPeerMain", TYRUS));
        }
        if (only.contains(OURS_SIO)) {
            server(OURS_SIO, Protocol.SOCKET_IO, java("dev.realtime.bench.ServerMain", OURS_SIO));
        }
        if (only.contains(NODE)) {
            server(NODE, Protocol.SOCKET_IO, List.of("node", "--expose-gc", "server.js"));
        }
        if (only.contains(NETTY)) {
            server(NETTY, Protocol.SOCKET_IO, java("dev.realtime.bench.NettySocketIoPeerMain", NETTY));
        }
        if (only.contains("redis")) {
            redis();
        }
    }

    private static Clients newClients() {
        return Clients.create(clientKind, clientThreads);
    }

    /** The client implementation, as the report names it. */
    private static String clientName() {
        return clientKind.equals("nio") ? "nio (" + clientThreads + " selector thread" + (clientThreads == 1 ? "" : "s")
                + ")" : clientKind + " (java.net.http)";
    }

    private List<String> java(String main, String name, String... args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xms256m", "-Xmx2g", "-XX:+UseG1GC"));
        if (jfr) {
            cmd.add("-XX:StartFlightRecording=filename=" + target.resolve("jfr").resolve(name + ".jfr")
                    + ",settings=profile,dumponexit=true");
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), main));
        cmd.addAll(Arrays.asList(args));
        return cmd;
    }

    private ServerProcess start(String name, List<String> cmd) {
        Path cwd = cmd.get(0).equals("node") ? dir.resolve("node") : dir;
        try {
            Files.createDirectories(target.resolve("jfr"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        log("starting " + name);
        return ServerProcess.start(name, cmd, cwd, target.resolve("logs"));
    }

    /** Every scenario for one server: idle + many rooms on one set of connections, then fan-out, then resume. */
    private void server(String name, Protocol protocol, List<String> cmd) {
        try (ServerProcess sp = start(name, cmd); Clients clients = newClients()) {
            // warm-up: load the connection classes so the baseline below is not charged to the first connections
            clients.connect(protocol, sp.port, 100, i -> "job:warm-" + i, Duration.ofSeconds(30));
            clients.closeAll();
            pause(1000);
            Map<String, Long> base = mem(sp);
            Map<String, long[]> histoBase = histogram(sp, name + "-base");
            int n = cfg.idleConnections();
            long c0 = System.nanoTime();
            clients.connect(protocol, sp.port, n, i -> "job:m-" + i, Duration.ofSeconds(120));
            double connectSeconds = (System.nanoTime() - c0) / 1e9;
            pause(1000);
            Map<String, Long> loaded = mem(sp);
            Map<String, Object> idle = row("idle", name, protocol, n, "idle");
            if (histoBase != null) {
                idle.put("heapHistogramPerConn", Heap.perConnection(histoBase, histogram(sp, name + "-loaded"), n, 15));
            }
            idle.put("connectSeconds", round(connectSeconds));
            idle.put("heapBaseBytes", base.get("heap"));
            idle.put("heapLoadedBytes", loaded.get("heap"));
            idle.put("rssBaseBytes", base.get("rss"));
            idle.put("rssLoadedBytes", loaded.get("rss"));
            idle.put("heapPerConnBytes", (loaded.get("heap") - base.get("heap")) / n);
            idle.put("rssPerConnBytes", (loaded.get("rss") - base.get("rss")) / n);
            add(idle);

            publishPhases(sp, name, protocol, "many-rooms", n, "job:m-", n, cfg.manyRounds());
            clients.closeAll();
            pause(500);

            for (int subs : cfg.fanSubscribers()) {
                clients.connect(protocol, sp.port, subs, i -> "job:fan-0", Duration.ofSeconds(120));
                int count = (int) Math.max(20, cfg.maxDeliveries() / subs);
                // warm-up run, not recorded
                measure(sp, name, protocol, "warmup", subs, "job:fan-", 1, Math.max(10, count / 4), 0, "max");
                // max: a secondary figure (its p50 is the queue the burst builds), then the SLO sweep
                measure(sp, name, protocol, "fan-out", subs, "job:fan-", 1, count, 0, "max");
                slo(sp, name, protocol, "ws", subs, "job:fan-");
                clients.closeAll();
                pause(500);
            }
            if (protocol == Protocol.NATIVE && name.equals(OURS_NATIVE)) {
                resume(sp, sp, name, clients);
            }
            if (name.equals(OURS_SIO) || name.equals(NODE)) {
                pollingFanOut(sp, name);
            }
            stats(sp, name);
        } catch (RuntimeException e) {
            log("FAILED " + name + ": " + e);
            e.printStackTrace();
            Map<String, Object> r = row("error", name, protocol, 0, e.toString());
            add(r);
        }
    }

    /** {@code --profile}: one room of SUBS subscribers, warm-up, then 10 s at MSGS offered msgs/s (one row). */
    private void profile(String name) {
        Protocol protocol = name.equals(OURS_NATIVE) || name.equals(TYRUS) ? Protocol.NATIVE : Protocol.SOCKET_IO;
        List<String> cmd = name.equals(NODE) ? List.of("node", "--expose-gc", "server.js")
                : java(name.equals(OURS_NATIVE) || name.equals(OURS_SIO) ? "dev.realtime.bench.ServerMain"
                : name.equals(TYRUS) ? "dev.realtime.bench.TyrusPeerMain" : "dev.realtime.bench.NettySocketIoPeerMain", name);
        int subs = profileAt[0];
        double rate = (double) profileAt[1] / subs;
        try (ServerProcess sp = start(name, cmd); Clients clients = newClients()) {
            clients.connect(protocol, sp.port, subs, i -> "job:fan-0", Duration.ofSeconds(120));
            measure(sp, name, protocol, "warmup", subs, "job:fan-", 1, (int) Math.max(20, rate * 5), rate, "fixed");
            measure(sp, name, protocol, "profile", subs, "job:fan-", 1, (int) Math.max(20, rate * 10), rate, "fixed");
        } catch (RuntimeException e) {
            log("FAILED " + name + ": " + e);
            add(row("error", name, protocol, 0, e.toString()));
        }
    }

    /** The fan-out-polling scenario alone on a fresh server ({@code --polling-only}). */
    private void pollingServer(String name, List<String> cmd) {
        try (ServerProcess sp = start(name, cmd)) {
            pollingFanOut(sp, name);
            stats(sp, name);
        } catch (RuntimeException e) {
            log("FAILED " + name + ": " + e);
            e.printStackTrace();
            add(row("error", name, Protocol.SOCKET_IO, 0, e.toString()));
        }
    }

    /**
     * fan-out-polling: Engine.IO long-polling clients (no upgrade) in one room, the same publish path, latency
     * and phases as fan-out; the row also gets the requests the clients made ({@link #measure}). The whole
     * scenario runs twice and only the second pass is recorded: the WebSocket scenarios warm the HTTP request path
     * only in part, and a first pass on a fresh JVM measured our server at 1.7-2.8 times its warm CPU per poll
     * response (Node's figures did not move).
     */
    private void pollingFanOut(ServerProcess sp, String name) {
        try (PollingClients pc = new PollingClients()) {
            pc.connect(sp.port, 100, i -> "job:pwarm-" + i, Duration.ofSeconds(60));
            pc.closeAll();
            pause(500);
            pollingPass(sp, name, pc, "warmup");
            pollingPass(sp, name, pc, "fan-out-polling");
        } finally {
            polling = null;
        }
    }

    private void pollingPass(ServerProcess sp, String name, PollingClients pc, String scenario) {
        try {
            for (int subs : cfg.pollSubscribers()) {
                pc.connect(sp.port, subs, i -> "job:poll-0", Duration.ofSeconds(120));
                polling = pc;
                int count = (int) Math.max(20, cfg.pollDeliveries() / subs);
                measure(sp, name, Protocol.SOCKET_IO, "warmup", subs, "job:poll-", 1, Math.max(10, count / 4), 0,
                        "max");
                measure(sp, name, Protocol.SOCKET_IO, scenario, subs, "job:poll-", 1, count, 0, "max");
                if (!scenario.equals("warmup")) {
                    slo(sp, name, Protocol.SOCKET_IO, "polling", subs, "job:poll-");
                }
                polling = null;
                pc.closeAll();
                pause(500);
            }
        } finally {
            polling = null;
        }
    }

    /** A max-rate phase, then a fixed-rate phase at half our server's max rate for this scenario and size. */
    private void publishPhases(ServerProcess sp, String name, Protocol protocol, String scenario, int clientsN,
                               String prefix, int rooms, int count) {
        Map<String, Object> max = measure(sp, name, protocol, scenario, clientsN, prefix, rooms, count, 0, "max");
        double maxRate = (double) max.get("msgsPerSec") / clientsN * rooms;
        String key = protocol + "/" + scenario + "/" + clientsN;
        if (name.equals(OURS_NATIVE) || name.equals(OURS_SIO)) {
            oursMaxRate.put(key, maxRate);
        }
        double rate = oursMaxRate.getOrDefault(key, maxRate) / 2;
        int fixedCount = (int) Math.max(5, Math.min(count, rate * cfg.fixedSeconds() / rooms));
        measure(sp, name, protocol, scenario, clientsN, prefix, rooms, fixedCount, rate, "fixed");
    }

    /**
     * Publishes {@code count} rounds over {@code rooms} rooms and waits until every client got every event, or
     * nothing arrived for 3 s, or 120 s passed.
     */
    private Map<String, Object> measure(ServerProcess sp, String name, Protocol protocol, String scenario,
                                        int clientsN, String prefix, int rooms, int count, double rate,
                                        String mode) {
        Clients.Sink sink = new Clients.Sink();
        Clients.sink = sink;
        long expected = (long) clientsN * count; // every client is in exactly one of the rooms
        ServerProcess cpuProc = cpuOf != null ? cpuOf : sp;
        PollingClients pc = polling;
        int tcp = pc != null ? PollingClients.establishedTo(sp.port) : 0;
        long responses0 = pc != null ? pc.responses.sum() : 0;
        long packets0 = pc != null ? pc.packets.sum() : 0;
        long posts0 = pc != null ? pc.posts.sum() : 0;
        long failures0 = pc != null ? pc.failures.sum() : 0;
        double serverCpu0 = cpuProc.cpuSeconds();
        double harnessCpu0 = ServerProcess.cpuSeconds(ProcessHandle.current().pid());
        long t0 = System.nanoTime();
        sink.lastNanos = t0;
        JsonNode pub = json(sp.control("POST", "/bench/publish?prefix=" + prefix + "&rooms=" + rooms + "&count="
                + count + "&rate=" + String.format(Locale.ROOT, "%.3f", rate), Duration.ofSeconds(180)));
        long lastCount = -1;
        long lastChange = System.nanoTime();
        while (true) {
            long d = sink.delivered.sum();
            long now = System.nanoTime();
            if (d >= expected) {
                break;
            }
            if (d != lastCount) {
                lastCount = d;
                lastChange = now;
            } else if (now - lastChange > TimeUnit.SECONDS.toNanos(3)) {
                break;
            }
            if (now - t0 > TimeUnit.SECONDS.toNanos(120)) {
                break;
            }
            pause(20);
        }
        long delivered = sink.delivered.sum();
        double serverCpu = cpuProc.cpuSeconds() - serverCpu0;
        double harnessCpu = ServerProcess.cpuSeconds(ProcessHandle.current().pid()) - harnessCpu0;
        double seconds = Math.max(1e-9, (sink.lastNanos - t0) / 1e9);
        Histogram h = sink.histogram();
        Map<String, Object> r = row(scenario, name, protocol, clientsN, mode);
        r.put("rooms", rooms);
        r.put("offeredEventsPerSec", rate > 0 ? round(rate) : "max");
        r.put("published", pub.path("published").asLong());
        r.put("publishSeconds", round(pub.path("nanos").asLong() / 1e9));
        r.put("expected", expected);
        r.put("delivered", delivered);
        r.put("seconds", round(seconds));
        r.put("msgsPerSec", Math.round(delivered / seconds) * 1.0);
        r.put("p50Ms", ms(h.getValueAtPercentile(50)));
        r.put("p99Ms", ms(h.getValueAtPercentile(99)));
        r.put("p999Ms", ms(h.getValueAtPercentile(99.9)));
        r.put("maxMs", ms(h.getMaxValue()));
        r.put("serverCpuSeconds", round(serverCpu));
        r.put("harnessCpuSeconds", round(harnessCpu));
        r.put("serverCpuUsPerMsg", delivered > 0 ? round(serverCpu * 1e6 / delivered) : 0);
        r.put("harnessCpuUsPerMsg", delivered > 0 ? round(harnessCpu * 1e6 / delivered) : 0);
        if (pub.has("error")) {
            r.put("publishError", pub.get("error").asText());
        }
        if (pc != null) {
            long responses = pc.responses.sum() - responses0;
            r.put("tcpConnections", tcp);
            r.put("pollResponses", responses);
            r.put("packetsPerResponse", responses > 0 ? round((double) (pc.packets.sum() - packets0) / responses) : 0);
            r.put("posts", pc.posts.sum() - posts0);
            r.put("clientFailures", pc.failures.sum() - failures0);
            r.put("serverCpuUsPerResponse", responses > 0 ? round(serverCpu * 1e6 / responses) : 0);
            r.put("harnessCpuUsPerResponse", responses > 0 ? round(harnessCpu * 1e6 / responses) : 0);
        }
        if (scenario.equals("slo-step")) {
            log(r.toString());
        } else if (!scenario.equals("warmup")) {
            add(r);
        }
        return r;
    }

    /** The SLO sweep of one server, transport and room size ({@link SloSweep}); its summary becomes a row. */
    private void slo(ServerProcess sp, String name, Protocol protocol, String transport, int subs, String prefix) {
        Map<String, Object> s = SloSweep.sweep(name, transport, subs, cfg.stepSeconds(),
                (count, rate) -> measure(sp, name, protocol, "slo-step", subs, prefix, 1, count, rate, "fixed"));
        add(s);
    }

    /**
     * {@code jcmd <pid> GC.class_histogram} of a Java server (written to target/histo/), as bytes and instances by
     * class; null for Node.
     */
    private Map<String, long[]> histogram(ServerProcess sp, String label) {
        if (sp.process.info().command().map(c -> c.endsWith("node")).orElse(false)) {
            return null;
        }
        try {
            Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
            Process p = new ProcessBuilder(jcmd.toString(), Long.toString(sp.process.pid()), "GC.class_histogram")
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(60, TimeUnit.SECONDS);
            Files.createDirectories(target.resolve("histo"));
            Files.writeString(target.resolve("histo").resolve(label + ".txt"), out);
            return Heap.parse(out);
        } catch (IOException | RuntimeException e) {
            log("no heap histogram of " + label + ": " + e);
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Time for a reconnecting native client to receive 100 events published while it was away. */
    private void resume(ServerProcess publishOn, ServerProcess resumeOn, String name, Clients clients) {
        int iterations = cfg.resumeIterations();
        Histogram h = new Histogram(3_600_000_000L, 3);
        int ok = 0;
        for (int i = 0; i < iterations + 2; i++) {
            String prefix = "job:resume-" + i + "-";
            String room = prefix + "0";
            try {
                Clients.Conn first = clients.open(Protocol.NATIVE, resumeOn.port, room, -1);
                long offset = first.subscribed.get(10, TimeUnit.SECONDS);
                first.abort();
                publishOn.control("POST", "/bench/publish?prefix=" + prefix + "&rooms=1&count=100&rate=0",
                        Duration.ofSeconds(30));
                long t0 = System.nanoTime();
                Clients.Conn again = clients.open(Protocol.NATIVE, resumeOn.port, room, offset, 100);
                again.resumeDone.get(10, TimeUnit.SECONDS);
                long micros = (System.nanoTime() - t0) / 1000;
                again.abort();
                if (i >= 2) { // the first two warm up
                    h.recordValue(micros);
                    ok++;
                }
            } catch (Exception e) {
                log("resume iteration " + i + " failed: " + e);
            }
        }
        Map<String, Object> r = row("resume", name, Protocol.NATIVE, 1, "100 missed");
        r.put("iterations", ok);
        r.put("p50Ms", ms(h.getValueAtPercentile(50)));
        r.put("p99Ms", ms(h.getValueAtPercentile(99)));
        r.put("maxMs", ms(h.getMaxValue()));
        add(r);
    }

    /** Cross-node: two of our servers sharing a redis-server; clients on B, publisher on A. */
    private void redis() {
        Process redis = null;
        try {
            int port = freePort();
            Path bin = redisBinary();
            redis = new ProcessBuilder(bin.toString(), "--port", Integer.toString(port), "--bind", "127.0.0.1",
                    "--save", "", "--appendonly", "no", "--daemonize", "no")
                    .redirectErrorStream(true).redirectOutput(target.resolve("logs").resolve("redis.log").toFile())
                    .start();
            waitForRedis(port);
            String url = "redis://127.0.0.1:" + port;
            try (ServerProcess a = start(REDIS + "-A", java("dev.realtime.bench.ServerMain", REDIS + "-A",
                    "--redis", url, "--node-id", "A"));
                 ServerProcess b = start(REDIS + "-B", java("dev.realtime.bench.ServerMain", REDIS + "-B",
                         "--redis", url, "--node-id", "B"));
                 Clients clients = newClients()) {
                int subs = cfg.redisSubscribers();
                cpuOf = b; // the receiving node does the fan-out
                clients.connect(Protocol.NATIVE, b.port, subs, i -> "job:fan-0", Duration.ofSeconds(120));
                int count = (int) Math.max(20, cfg.maxDeliveries() / subs);
                measure(a, REDIS, Protocol.NATIVE, "warmup", subs, "job:fan-", 1, Math.max(10, count / 4), 0, "max");
                Map<String, Object> max = measure(a, REDIS, Protocol.NATIVE, "cross-node", subs, "job:fan-", 1, count,
                        0, "max");
                double rate = (double) max.get("msgsPerSec") / subs / 2;
                String key = Protocol.NATIVE + "/fan-out/" + subs;
                if (oursMaxRate.containsKey(key)) {
                    rate = oursMaxRate.get(key) / 2; // same offered load as the single-node fixed run
                }
                int fixedCount = (int) Math.max(5, Math.min(count, rate * cfg.fixedSeconds()));
                measure(a, REDIS, Protocol.NATIVE, "cross-node", subs, "job:fan-", 1, fixedCount, rate, "fixed");
                cpuOf = null;
                clients.closeAll();
                resume(a, b, REDIS, clients);
                stats(a, REDIS + "-A");
                stats(b, REDIS + "-B");
            }
        } catch (Exception e) {
            log("FAILED redis: " + e);
            e.printStackTrace();
            add(row("error", REDIS, Protocol.NATIVE, 0, e.toString()));
        } finally {
            if (redis != null) {
                redis.destroy();
                try {
                    redis.waitFor(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                redis.destroyForcibly();
            }
        }
    }

    private void stats(ServerProcess sp, String name) {
        try {
            Map<String, Object> r = row("server-stats", name, null, 0, "");
            r.put("stats", json(sp.control("GET", "/bench/stats", Duration.ofSeconds(10))));
            rows.add(r);
        } catch (RuntimeException e) {
            log("no stats from " + name + ": " + e);
        }
    }

    private Map<String, Long> mem(ServerProcess sp) {
        JsonNode m = json(sp.control("GET", "/bench/mem", Duration.ofSeconds(60)));
        Map<String, Long> r = new HashMap<>();
        r.put("heap", m.path("heapUsed").asLong());
        long rss = sp.rss();
        r.put("rss", rss > 0 ? rss : m.path("rss").asLong());
        return r;
    }

    // ---------------------------------------------------------------- output

    private static Map<String, Object> row(String scenario, String server, Protocol protocol, int clients,
                                           String mode) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("scenario", scenario);
        r.put("server", server);
        r.put("protocol", protocol == null ? "" : protocol.name().toLowerCase(Locale.ROOT));
        r.put("clients", clients);
        r.put("mode", mode);
        return r;
    }

    private void add(Map<String, Object> r) {
        rows.add(r);
        log(r.toString());
    }

    private List<Map<String, Object>> ratios() {
        List<Map<String, Object>> out = new ArrayList<>();
        String[][] pairs = {{OURS_NATIVE, TYRUS}, {OURS_SIO, NODE}, {OURS_SIO, NETTY}, {REDIS, OURS_NATIVE}};
        for (String[] pair : pairs) {
            for (Map<String, Object> a : rows) {
                if (!a.get("server").equals(pair[0]) || a.get("scenario").equals("server-stats")
                        || a.get("scenario").equals("slo") || a.get("mode") == null) {
                    continue;
                }
                String scenario = (String) a.get("scenario");
                String peerScenario = pair[0].equals(REDIS) && scenario.equals("cross-node") ? "fan-out" : scenario;
                for (Map<String, Object> b : rows) {
                    if (b.get("server").equals(pair[1]) && b.get("scenario").equals(peerScenario)
                            && b.get("clients").equals(a.get("clients")) && a.get("mode").equals(b.get("mode"))) {
                        Map<String, Object> r = new LinkedHashMap<>();
                        r.put("scenario", scenario);
                        r.put("ours", pair[0]);
                        r.put("peer", pair[1]);
                        r.put("clients", a.get("clients"));
                        r.put("mode", a.get("mode"));
                        for (String k : List.of("msgsPerSec", "p50Ms", "p99Ms", "p999Ms", "serverCpuUsPerMsg",
                                "heapPerConnBytes", "rssPerConnBytes")) {
                            if (a.get(k) instanceof Number x && b.get(k) instanceof Number y && y.doubleValue() != 0) {
                                r.put(k, round(x.doubleValue() / y.doubleValue()));
                            }
                        }
                        if (a.get("heapPerConnBytes") instanceof Number x && b.get("heapPerConnBytes") instanceof Number y) {
                            r.put("heapPerConnDiffBytes", x.longValue() - y.longValue());
                        }
                        out.add(r);
                    }
                }
            }
        }
        return out;
    }

    private void report(Duration took, String args) throws IOException {
        List<Map<String, Object>> ratios = ratios();
        Map<String, Object> machine = machine();
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("mode", cfg.mode());
        doc.put("args", args);
        doc.put("client", clientName());
        doc.put("finished", Instant.now().toString());
        doc.put("durationSeconds", took.toSeconds());
        doc.put("machine", machine);
        doc.put("results", rows);
        doc.put("ratios", ratios);
        Files.createDirectories(target);
        JSON.writeValue(target.resolve("results.json").toFile(), doc);

        StringBuilder md = new StringBuilder();
        md.append("Run: `").append(cfg.mode()).append("` mode, ").append(Instant.now()).append(", took ")
                .append(took.toSeconds()).append(" s. Client: ").append(clientName()).append(". Machine: ").append(machine).append("\n\n");
        md.append("| scenario | server | clients | mode | offered ev/s | delivered/expected | msgs/s | p50 ms | p99 ms "
                + "| p99.9 ms | max ms | server CPU µs/msg | harness CPU s | harness CPU µs/msg |\n"
                + "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Map<String, Object> r : rows) {
            if (r.containsKey("msgsPerSec")) {
                md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s/%s | %,.0f | %s | %s | %s | %s | %s | %s | %s |%n",
                        r.get("scenario"), r.get("server"), r.get("clients"), r.get("mode"),
                        r.get("offeredEventsPerSec"), r.get("delivered"), r.get("expected"), r.get("msgsPerSec"),
                        r.get("p50Ms"), r.get("p99Ms"), r.get("p999Ms"), r.get("maxMs"), r.get("serverCpuUsPerMsg"),
                        r.get("harnessCpuSeconds"), r.get("harnessCpuUsPerMsg")));
            }
        }
        md.append("\n| polling | server | clients | mode | TCP connections to the server | poll responses | packets per "
                + "response | server CPU µs/response | harness CPU µs/response | POSTs | clients lost |\n"
                + "|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Map<String, Object> r : rows) {
            if (r.get("scenario").equals("fan-out-polling")) {
                md.append(String.format(Locale.ROOT, "| fan-out-polling | %s | %s | %s | %s | %,d | %s | %.0f | %.0f | %s | %s |%n",
                        r.get("server"), r.get("clients"), r.get("mode"), r.get("tcpConnections"),
                        r.get("pollResponses"), r.get("packetsPerResponse"), r.get("serverCpuUsPerResponse"),
                        r.get("harnessCpuUsPerResponse"), r.get("posts"),
                        r.get("clientFailures")));
            }
        }
        md.append("\n| idle | server | connections | heap/conn B | RSS/conn B | heap base → loaded MB | RSS base → "
                + "loaded MB | connect s |\n|---|---|---|---|---|---|---|---|\n");
        for (Map<String, Object> r : rows) {
            if (r.get("scenario").equals("idle")) {
                md.append(String.format(Locale.ROOT, "| idle | %s | %s | %,d | %,d | %.1f → %.1f | %.1f → %.1f | %s |%n",
                        r.get("server"), r.get("clients"), r.get("heapPerConnBytes"), r.get("rssPerConnBytes"),
                        mb(r.get("heapBaseBytes")), mb(r.get("heapLoadedBytes")), mb(r.get("rssBaseBytes")),
                        mb(r.get("rssLoadedBytes")), r.get("connectSeconds")));
            }
        }
        md.append("\n| resume | server | iterations | p50 ms | p99 ms | max ms |\n|---|---|---|---|---|---|\n");
        for (Map<String, Object> r : rows) {
            if (r.get("scenario").equals("resume")) {
                md.append(String.format(Locale.ROOT, "| resume 100 missed | %s | %s | %s | %s | %s |%n",
                        r.get("server"), r.get("iterations"), r.get("p50Ms"), r.get("p99Ms"), r.get("maxMs")));
            }
        }
        md.append("\nRatios ours/peer (msgs/s: higher is better for ours; latency and memory: lower is better):\n\n"
                + "| scenario | ours / peer | clients | mode | msgs/s | p50 | p99 | p99.9 | server CPU/msg | heap/conn "
                + "| RSS/conn |\n|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Map<String, Object> r : ratios) {
            md.append(String.format(Locale.ROOT, "| %s | %s / %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |%n",
                    r.get("scenario"), r.get("ours"), r.get("peer"), r.get("clients"), r.get("mode"),
                    r.getOrDefault("msgsPerSec", ""), r.getOrDefault("p50Ms", ""), r.getOrDefault("p99Ms", ""),
                    r.getOrDefault("p999Ms", ""), r.getOrDefault("serverCpuUsPerMsg", ""),
                    r.getOrDefault("heapPerConnBytes", ""),
                    r.getOrDefault("rssPerConnBytes", "")));
        }
        SloReport.append(md, rows, target);
        for (Map<String, Object> r : rows) {
            if (r.get("scenario").equals("error")) {
                md.append("\nERROR ").append(r.get("server")).append(": ").append(r.get("mode")).append('\n');
            }
        }
        Files.writeString(target.resolve("results.md"), md.toString());
        System.out.println();
        System.out.println(md);
        System.out.println("written: " + target.resolve("results.json") + " and " + target.resolve("results.md"));
    }

    /** /proc/loadavg's 1, 5 and 15 minute figures (the box is shared: other builds show there), or "?". */
    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }

    private static String loadAtStart = "?";

    private static Map<String, Object> machine() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cpus", Runtime.getRuntime().availableProcessors());
        m.put("loadAverageAtStart", loadAtStart);
        m.put("loadAverageAtEnd", loadAverage());
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    m.put("memTotalGiB", round(Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0 / 1024.0));
                }
            }
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    m.put("cpu", line.substring(line.indexOf(':') + 1).trim());
                    break;
                }
            }
        } catch (IOException | RuntimeException ignored) {
            // not Linux
        }
        m.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        try {
            Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            m.put("node", new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim());
        } catch (IOException e) {
            m.put("node", "not found");
        }
        m.put("openFilesLimit", System.getenv().getOrDefault("BENCH_ULIMIT_N", "?"));
        return m;
    }

    // ---------------------------------------------------------------- helpers

    private static JsonNode json(String s) {
        try {
            return JSON.readTree(s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static double ms(long micros) {
        return Math.round(micros / 10.0) / 100.0;
    }

    private static double mb(Object bytes) {
        return bytes instanceof Number n ? n.longValue() / 1024.0 / 1024.0 : 0;
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void log(String s) {
        System.out.println("[bench " + Instant.now() + "] " + s);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static void waitForRedis(int port) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 500);
                OutputStream out = s.getOutputStream();
                out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                byte[] buf = new byte[16];
                int n = s.getInputStream().read(buf);
                if (n > 0 && new String(buf, 0, n, StandardCharsets.US_ASCII).startsWith("+PONG")) {
                    return;
                }
            } catch (IOException e) {
                // not yet
            }
            pause(100);
        }
        throw new IOException("redis-server did not answer PING on port " + port);
    }

    /** redis-server from the PATH, else the Linux binary inside the embedded-redis jar (as RedisTestServer does). */
    private static Path redisBinary() throws IOException {
        String path = System.getenv("PATH");
        if (path != null) {
            for (String d : path.split(java.io.File.pathSeparator)) {
                Path candidate = Path.of(d, "redis-server");
                if (Files.isExecutable(candidate)) {
                    return candidate;
                }
            }
        }
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        String resource = arch.contains("aarch64") || arch.contains("arm")
                ? "redis-server-6.2.7-linux-arm64" : "redis-server-6.2.6-v5-linux-amd64";
        try (InputStream in = Bench.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("no redis-server on the PATH and none in embedded-redis (" + resource + ")");
            }
            Path file = Files.createTempFile("bench-redis-server-", "");
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            if (!file.toFile().setExecutable(true)) {
                throw new IOException("cannot make " + file + " executable");
            }
            file.toFile().deleteOnExit();
            return file;
        }
    }
}

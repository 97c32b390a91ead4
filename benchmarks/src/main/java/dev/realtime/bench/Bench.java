package dev.realtime.bench;

import static dev.realtime.bench.Util.log;
import static dev.realtime.bench.Util.pause;
import static dev.realtime.bench.Util.round;

import dev.realtime.bench.Clients.Protocol;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The benchmark harness: starts each server under test as a child process on 127.0.0.1 (ephemeral ports), drives
 * it with {@link Clients} from this JVM, and writes a table to stdout, {@code target/results.json} and
 * {@code target/results.md}. Every phase is bounded in count and time, and a watchdog ends the whole run.
 *
 * <p>This class holds the command line and the per-server runners (which scenarios run on which server, in which
 * order); the phases themselves are {@link Phases}, the rows and files {@link Report}, the child processes
 * {@link Launcher}. Everything runs on the main thread, one server at a time.
 *
 * <pre>
 * benchmarks/run.sh [--short] [--only ours-native,tyrus-bare,ours-sio,node-sio,netty-sio,redis] [--jfr]
 *                   [--polling-only] [--profile SUBS:MSGS] [--client jdk|nio] [--client-threads N]
 * </pre>
 */
public final class Bench {
    static final String OURS_NATIVE = "ours-native";
    static final String TYRUS = "tyrus-bare";
    static final String OURS_SIO = "ours-sio";
    static final String NODE = "node-sio";
    static final String NETTY = "netty-sio";
    static final String REDIS = "ours-native-redis";

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
                    POLL_SHORT_DELIVERIES, 0.75, Duration.ofMinutes(12))
                    : new Config("full", 10_000, 10, new int[] {100, 1000, 5000}, 400_000, 5, 20, 1000,
                    new int[] {100, 1000, 5000}, POLL_FULL_DELIVERIES, 1.5, Duration.ofMinutes(30));
        }
    }

    private final Config cfg;
    private final Set<String> only;
    /** Only the fan-out-polling scenario (of ours-sio, node-sio and netty-sio). */
    private final boolean pollingOnly;
    /**
     * {@code --profile SUBS:MSGS}: only a steady fan-out at that offered rate for 10 s (with --jfr: its profile); with
     * {@code --polling-only}, over long-polling clients.
     */
    private static int[] profileAt;
    /** {@code --client jdk|nio}: the WebSocket client implementation ({@link Clients#create}). */
    private static String clientKind = "nio";
    /** {@code --client-threads N}: selector threads of the nio client. */
    private static int clientThreads = 1;
    private final Report report;
    private final Launcher launcher;
    private final Phases phases;

    private Bench(Config cfg, Path dir, Set<String> only, boolean jfr, boolean pollingOnly) {
        this.cfg = cfg;
        this.only = only;
        this.pollingOnly = pollingOnly;
        Path target = dir.resolve("target");
        this.report = new Report(target);
        this.launcher = new Launcher(dir, target, jfr);
        this.phases = new Phases(cfg, target, report);
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
        Report.loadAtStart = Report.loadAverage();
        Bench bench = new Bench(cfg, dir, only, jfr, pollingOnly);
        bench.run();
        bench.report.write(Duration.ofNanos(System.nanoTime() - t0), String.join(" ", args), cfg.mode(), clientName());
        watchdog.interrupt();
        System.exit(0);
    }

    private void run() {
        if (pollingOnly) {
            if (only.contains(OURS_SIO)) {
                pollingServer(OURS_SIO, launcher.java("dev.realtime.bench.ServerMain", OURS_SIO));
            }
            if (only.contains(NODE)) {
                pollingServer(NODE, List.of("node", "--expose-gc", "server.js"));
            }
            if (only.contains(NETTY)) {
                pollingServer(NETTY, launcher.java("dev.realtime.bench.NettySocketIoPeerMain", NETTY));
            }
            return;
        }
        if (profileAt != null) {
            for (String name : List.of(OURS_NATIVE, OURS_SIO, NETTY, NODE, TYRUS)) {
                if (only.contains(name)) {
                    profile(name);
                }
            }
            return;
        }
        if (only.contains(OURS_NATIVE)) {
            server(OURS_NATIVE, Protocol.NATIVE, launcher.java("dev.realtime.bench.ServerMain", OURS_NATIVE));
        }
        if (only.contains(TYRUS)) {
            server(TYRUS, Protocol.NATIVE, launcher.java("dev.realtime.bench.TyrusPeerMain", TYRUS));
        }
        if (only.contains(OURS_SIO)) {
            server(OURS_SIO, Protocol.SOCKET_IO, launcher.java("dev.realtime.bench.ServerMain", OURS_SIO));
        }
        if (only.contains(NODE)) {
            server(NODE, Protocol.SOCKET_IO, List.of("node", "--expose-gc", "server.js"));
        }
        if (only.contains(NETTY)) {
            server(NETTY, Protocol.SOCKET_IO, launcher.java("dev.realtime.bench.NettySocketIoPeerMain", NETTY));
        }
        if (only.contains("redis")) {
            redis();
        }
    }

    /** {@code --client}: also the kind of the long-polling clients ({@link PollingClients}). */
    static String clientKind() {
        return clientKind;
    }

    private static Clients newClients() {
        return Clients.create(clientKind, clientThreads);
    }

    /** The client implementation, as the report names it. */
    private static String clientName() {
        return clientKind.equals("nio") ? "nio (" + clientThreads + " selector thread" + (clientThreads == 1 ? "" : "s")
                + ")" : clientKind + " (java.net.http)";
    }

    /** Every scenario for one server: idle + many rooms on one set of connections, then fan-out, then resume. */
    private void server(String name, Protocol protocol, List<String> cmd) {
        try (ServerProcess sp = launcher.start(name, cmd); Clients clients = newClients()) {
            // warm-up: load the connection classes so the baseline below is not charged to the first connections
            clients.connect(protocol, sp.port, 100, i -> "job:warm-" + i, Duration.ofSeconds(30));
            clients.closeAll();
            pause(1000);
            Map<String, Long> base = phases.mem(sp);
            Map<String, long[]> histoBase = phases.histogram(sp, name + "-base");
            int n = cfg.idleConnections();
            long c0 = System.nanoTime();
            clients.connect(protocol, sp.port, n, i -> "job:m-" + i, Duration.ofSeconds(120));
            double connectSeconds = (System.nanoTime() - c0) / 1e9;
            pause(1000);
            Map<String, Long> loaded = phases.mem(sp);
            Map<String, Object> idle = Report.row("idle", name, protocol, n, "idle");
            if (histoBase != null) {
                idle.put("heapHistogramPerConn",
                        Heap.perConnection(histoBase, phases.histogram(sp, name + "-loaded"), n, 15));
            }
            idle.put("connectSeconds", round(connectSeconds));
            idle.put("heapBaseBytes", base.get("heap"));
            idle.put("heapLoadedBytes", loaded.get("heap"));
            idle.put("rssBaseBytes", base.get("rss"));
            idle.put("rssLoadedBytes", loaded.get("rss"));
            idle.put("heapPerConnBytes", (loaded.get("heap") - base.get("heap")) / n);
            idle.put("rssPerConnBytes", (loaded.get("rss") - base.get("rss")) / n);
            report.add(idle);

            phases.publishPhases(sp, name, protocol, "many-rooms", n, "job:m-", n, cfg.manyRounds());
            clients.closeAll();
            pause(500);

            for (int subs : cfg.fanSubscribers()) {
                clients.connect(protocol, sp.port, subs, i -> "job:fan-0", Duration.ofSeconds(120));
                int count = (int) Math.max(20, cfg.maxDeliveries() / subs);
                // warm-up run, not recorded
                phases.measure(sp, name, protocol, "warmup", subs, "job:fan-", 1, Math.max(10, count / 4), 0, "max");
                // max: a secondary figure (its p50 is the queue the burst builds), then the SLO sweep
                phases.measure(sp, name, protocol, "fan-out", subs, "job:fan-", 1, count, 0, "max");
                phases.slo(sp, name, protocol, "ws", subs, "job:fan-");
                clients.closeAll();
                pause(500);
            }
            if (protocol == Protocol.NATIVE && name.equals(OURS_NATIVE)) {
                phases.resume(sp, sp, name, clients);
            }
            if (name.equals(OURS_SIO) || name.equals(NODE) || name.equals(NETTY)) {
                phases.pollingFanOut(sp, name);
            }
            phases.stats(sp, name);
        } catch (RuntimeException e) {
            log("FAILED " + name + ": " + e);
            e.printStackTrace();
            Map<String, Object> r = Report.row("error", name, protocol, 0, e.toString());
            report.add(r);
        }
    }

    /** {@code --profile}: one room of SUBS subscribers, warm-up, then 10 s at MSGS offered msgs/s (one row). */
    private void profile(String name) {
        Protocol protocol = name.equals(OURS_NATIVE) || name.equals(TYRUS) ? Protocol.NATIVE : Protocol.SOCKET_IO;
        List<String> cmd = name.equals(NODE) ? List.of("node", "--expose-gc", "server.js")
                : launcher.java(name.equals(OURS_NATIVE) || name.equals(OURS_SIO) ? "dev.realtime.bench.ServerMain"
                : name.equals(TYRUS) ? "dev.realtime.bench.TyrusPeerMain"
                : "dev.realtime.bench.NettySocketIoPeerMain", name);
        int subs = profileAt[0];
        double rate = (double) profileAt[1] / subs;
        try (ServerProcess sp = launcher.start(name, cmd); Clients clients = newClients()) {
            clients.connect(protocol, sp.port, subs, i -> "job:fan-0", Duration.ofSeconds(120));
            // the same unpaced warm-up the sweep gets before its first step (so the JIT is done), then a paced one
            int count = (int) Math.max(20, cfg.maxDeliveries() / subs);
            phases.measure(sp, name, protocol, "warmup", subs, "job:fan-", 1, Math.max(10, count / 4), 0, "max");
            phases.measure(sp, name, protocol, "warmup", subs, "job:fan-", 1, (int) Math.max(20, rate * 5), rate,
                    "fixed");
            phases.measure(sp, name, protocol, "profile", subs, "job:fan-", 1, (int) Math.max(20, rate * 10), rate,
                    "fixed");
        } catch (RuntimeException e) {
            log("FAILED " + name + ": " + e);
            report.add(Report.row("error", name, protocol, 0, e.toString()));
        }
    }

    /**
     * The fan-out-polling scenario alone on a fresh server ({@code --polling-only}), or with {@code --profile} its
     * fixed-rate profile.
     */
    private void pollingServer(String name, List<String> cmd) {
        try (ServerProcess sp = launcher.start(name, cmd)) {
            if (profileAt != null) {
                phases.pollingProfile(sp, name, profileAt[0], profileAt[1]);
                return;
            }
            phases.pollingFanOut(sp, name);
            phases.stats(sp, name);
        } catch (RuntimeException e) {
            log("FAILED " + name + ": " + e);
            e.printStackTrace();
            report.add(Report.row("error", name, Protocol.SOCKET_IO, 0, e.toString()));
        }
    }

    /** Cross-node: two of our servers sharing a redis-server; clients on B, publisher on A. */
    private void redis() {
        Process redis = null;
        try {
            int port = Launcher.freePort();
            redis = launcher.redisServer(port);
            String url = "redis://127.0.0.1:" + port;
            try (ServerProcess a = launcher.start(REDIS + "-A", launcher.java("dev.realtime.bench.ServerMain",
                    REDIS + "-A", "--redis", url, "--node-id", "A"));
                 ServerProcess b = launcher.start(REDIS + "-B", launcher.java("dev.realtime.bench.ServerMain",
                         REDIS + "-B", "--redis", url, "--node-id", "B"));
                 Clients clients = newClients()) {
                int subs = cfg.redisSubscribers();
                phases.cpuOf = b; // the receiving node does the fan-out
                clients.connect(Protocol.NATIVE, b.port, subs, i -> "job:fan-0", Duration.ofSeconds(120));
                int count = (int) Math.max(20, cfg.maxDeliveries() / subs);
                phases.measure(a, REDIS, Protocol.NATIVE, "warmup", subs, "job:fan-", 1, Math.max(10, count / 4), 0,
                        "max");
                Map<String, Object> max = phases.measure(a, REDIS, Protocol.NATIVE, "cross-node", subs, "job:fan-", 1,
                        count, 0, "max");
                double rate = (double) max.get("msgsPerSec") / subs / 2;
                String key = Protocol.NATIVE + "/fan-out/" + subs;
                if (phases.oursMaxRate.containsKey(key)) {
                    rate = phases.oursMaxRate.get(key) / 2; // same offered load as the single-node fixed run
                }
                int fixedCount = (int) Math.max(5, Math.min(count, rate * cfg.fixedSeconds()));
                phases.measure(a, REDIS, Protocol.NATIVE, "cross-node", subs, "job:fan-", 1, fixedCount, rate,
                        "fixed");
                phases.cpuOf = null;
                clients.closeAll();
                phases.resume(a, b, REDIS, clients);
                phases.stats(a, REDIS + "-A");
                phases.stats(b, REDIS + "-B");
            }
        } catch (Exception e) {
            log("FAILED redis: " + e);
            e.printStackTrace();
            report.add(Report.row("error", REDIS, Protocol.NATIVE, 0, e.toString()));
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
}

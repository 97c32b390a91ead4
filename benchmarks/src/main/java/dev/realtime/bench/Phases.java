package dev.realtime.bench;

import static dev.realtime.bench.Util.json;
import static dev.realtime.bench.Util.log;
import static dev.realtime.bench.Util.ms;
import static dev.realtime.bench.Util.pause;
import static dev.realtime.bench.Util.round;

import com.fasterxml.jackson.databind.JsonNode;
import dev.realtime.bench.Clients.Protocol;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * The measured phases on a running server, each adding its row to the {@link Report}: a publish-and-wait run
 * ({@link #measure}, max rate or paced), max-then-fixed pairs, the SLO sweep, resume, fan-out-polling, and the
 * server's memory, heap histogram and stats. Main thread only; the clients feed {@link Clients#sink} from theirs.
 */
final class Phases {
    private final Bench.Config cfg;
    private final Path target;
    private final Report report;
    /** The polling clients of the phase being measured, whose request counts go into its row; else null. */
    private PollingClients polling;
    /** Max event rate (events/s) our server reached, per protocol and scenario: the pair's fixed rate is half. */
    final Map<String, Double> oursMaxRate = new HashMap<>();
    /** The process whose CPU a measurement charges when it is not the publishing one (cross-node: node B). */
    ServerProcess cpuOf;

    Phases(Bench.Config cfg, Path target, Report report) {
        this.cfg = cfg;
        this.target = target;
        this.report = report;
    }

    /**
     * fan-out-polling: Engine.IO long-polling clients (no upgrade) in one room, the same publish path, latency
     * and phases as fan-out; the row also gets the requests the clients made ({@link #measure}). The whole
     * scenario runs twice and only the second pass is recorded: the WebSocket scenarios warm the HTTP request path
     * only in part, and a first pass on a fresh JVM measured our server at 1.7-2.8 times its warm CPU per poll
     * response (Node's figures did not move).
     */
    void pollingFanOut(ServerProcess sp, String name) {
        try (PollingClients pc = new PollingClients(Bench.clientKind())) {
            pc.connect(sp.port, 100, i -> "job:pwarm-" + i, Duration.ofSeconds(60));
            pc.closeAll();
            pause(500);
            pollingPass(sp, name, pc, "warmup");
            pollingPass(sp, name, pc, "fan-out-polling");
        } finally {
            polling = null;
        }
    }

    /**
     * {@code --polling-only --profile SUBS:MSGS}: SUBS long-polling clients in one room, an unpaced warm-up and 15 s
     * paced at the same rate (C2 was still 30 % of our server's samples 3 s into it), then 10 s at MSGS offered
     * msgs/s (one "profile" row), for a profiler to attach to.
     */
    void pollingProfile(ServerProcess sp, String name, int subs, double msgsPerSec) {
        try (PollingClients pc = new PollingClients(Bench.clientKind())) {
            pc.connect(sp.port, subs, i -> "job:poll-0", Duration.ofSeconds(120));
            polling = pc;
            double rate = msgsPerSec / subs;
            int count = (int) Math.max(20, cfg.pollDeliveries() / subs);
            measure(sp, name, Protocol.SOCKET_IO, "warmup", subs, "job:poll-", 1, Math.max(10, count / 4), 0, "max");
            measure(sp, name, Protocol.SOCKET_IO, "warmup", subs, "job:poll-", 1, (int) Math.max(20, rate * 15), rate,
                    "fixed");
            measure(sp, name, Protocol.SOCKET_IO, "profile", subs, "job:poll-", 1, (int) Math.max(20, rate * 10), rate,
                    "fixed");
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
                    // the unpaced runs answer each poll with hundreds of packets; a paced run answers it with one,
                    // a path the JIT had not compiled yet (40 % of our server's CPU samples in the first paced
                    // steps were C2's): 3 s of it at the ladder's lowest rate first, for every server
                    double rate = Math.max(5, SloSweep.LADDER[0] / subs);
                    measure(sp, name, Protocol.SOCKET_IO, "warmup", subs, "job:poll-", 1, (int) Math.max(20, rate * 3),
                            rate, "fixed");
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
    void publishPhases(ServerProcess sp, String name, Protocol protocol, String scenario, int clientsN,
                       String prefix, int rooms, int count) {
        Map<String, Object> max = measure(sp, name, protocol, scenario, clientsN, prefix, rooms, count, 0, "max");
        double maxRate = (double) max.get("msgsPerSec") / clientsN * rooms;
        String key = protocol + "/" + scenario + "/" + clientsN;
        if (name.equals(Bench.OURS_NATIVE) || name.equals(Bench.OURS_SIO)) {
            oursMaxRate.put(key, maxRate);
        }
        double rate = oursMaxRate.getOrDefault(key, maxRate) / 2;
        int fixedCount = (int) Math.max(5, Math.min(count, rate * cfg.fixedSeconds() / rooms));
        measure(sp, name, protocol, scenario, clientsN, prefix, rooms, fixedCount, rate, "fixed");
    }

    /**
     * Publishes {@code count} rounds over {@code rooms} rooms and waits until every client got every event, or
     * nothing arrived for 3 s, or 120 s passed. The row has the delivered rate, the latency percentiles of
     * {@link Clients.Sink}, and the server's and this harness's CPU over the phase (total and per delivered message).
     */
    Map<String, Object> measure(ServerProcess sp, String name, Protocol protocol, String scenario,
                                int clientsN, String prefix, int rooms, int count, double rate, String mode) {
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
        Map<String, Object> r = Report.row(scenario, name, protocol, clientsN, mode);
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
        if (pub.has("gcCount")) { // Java servers: their collections during the publish
            r.put("serverGcCount", pub.get("gcCount").asLong());
            r.put("serverGcMs", pub.get("gcMillis").asLong());
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
            report.add(r);
        }
        return r;
    }

    /** The SLO sweep of one server, transport and room size ({@link SloSweep}); its summary becomes a row. */
    void slo(ServerProcess sp, String name, Protocol protocol, String transport, int subs, String prefix) {
        Map<String, Object> s = SloSweep.sweep(name, transport, subs, cfg.stepSeconds(),
                (count, rate) -> measure(sp, name, protocol, "slo-step", subs, prefix, 1, count, rate, "fixed"));
        report.add(s);
    }

    /**
     * {@code jcmd <pid> GC.class_histogram} of a Java server (written to target/histo/), as bytes and instances by
     * class; null for Node.
     */
    Map<String, long[]> histogram(ServerProcess sp, String label) {
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
    void resume(ServerProcess publishOn, ServerProcess resumeOn, String name, Clients clients) {
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
        Map<String, Object> r = Report.row("resume", name, Protocol.NATIVE, 1, "100 missed");
        r.put("iterations", ok);
        r.put("p50Ms", ms(h.getValueAtPercentile(50)));
        r.put("p99Ms", ms(h.getValueAtPercentile(99)));
        r.put("maxMs", ms(h.getMaxValue()));
        report.add(r);
    }

    /** The server's own counters ({@code /bench/stats}) as a {@code server-stats} row (not logged). */
    void stats(ServerProcess sp, String name) {
        try {
            Map<String, Object> r = Report.row("server-stats", name, null, 0, "");
            r.put("stats", json(sp.control("GET", "/bench/stats", Duration.ofSeconds(10))));
            report.rows.add(r);
        } catch (RuntimeException e) {
            log("no stats from " + name + ": " + e);
        }
    }

    /** The server's heap after a GC ({@code /bench/mem}) and its RSS ({@code /proc}, else its own figure). */
    Map<String, Long> mem(ServerProcess sp) {
        JsonNode m = json(sp.control("GET", "/bench/mem", Duration.ofSeconds(60)));
        Map<String, Long> r = new HashMap<>();
        r.put("heap", m.path("heapUsed").asLong());
        long rss = sp.rss();
        r.put("rss", rss > 0 ? rss : m.path("rss").asLong());
        return r;
    }
}

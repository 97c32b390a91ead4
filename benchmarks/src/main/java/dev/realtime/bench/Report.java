package dev.realtime.bench;

import static dev.realtime.bench.Util.log;
import static dev.realtime.bench.Util.mb;
import static dev.realtime.bench.Util.round;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.realtime.bench.Clients.Protocol;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The rows of one run and its output: {@code target/results.json} (every row, the ours/peer ratios, the machine),
 * {@code target/results.md} and stdout (the tables, then {@link SloReport}'s). Main thread only.
 */
final class Report {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    /** Every row so far, in order. */
    final List<Map<String, Object>> rows = new ArrayList<>();
    private final Path target;

    Report(Path target) {
        this.target = target;
    }

    /** A new row: scenario, server, protocol, clients and mode (then the caller adds its figures). */
    static Map<String, Object> row(String scenario, String server, Protocol protocol, int clients,
                      String mode) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("scenario", scenario);
        r.put("server", server);
        r.put("protocol", protocol == null ? "" : protocol.name().toLowerCase(Locale.ROOT));
        r.put("clients", clients);
        r.put("mode", mode);
        return r;
    }

    /** Adds a row and logs it. */
    void add(Map<String, Object> r) {
        rows.add(r);
        log(r.toString());
    }

    private List<Map<String, Object>> ratios() {
        List<Map<String, Object>> out = new ArrayList<>();
        String[][] pairs = {{Bench.OURS_NATIVE, Bench.TYRUS}, {Bench.OURS_SIO, Bench.NODE}, {Bench.OURS_SIO, Bench.NETTY}, {Bench.REDIS, Bench.OURS_NATIVE}};
        for (String[] pair : pairs) {
            for (Map<String, Object> a : rows) {
                if (!a.get("server").equals(pair[0]) || a.get("scenario").equals("server-stats")
                        || a.get("scenario").equals("slo") || a.get("mode") == null) {
                    continue;
                }
                String scenario = (String) a.get("scenario");
                String peerScenario = pair[0].equals(Bench.REDIS) && scenario.equals("cross-node") ? "fan-out" : scenario;
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

    /** Writes {@code results.json} and {@code results.md} and prints the tables. */
    void write(Duration took, String args, String mode, String client) throws IOException {
        List<Map<String, Object>> ratios = ratios();
        Map<String, Object> machine = machine();
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("mode", mode);
        doc.put("args", args);
        doc.put("client", client);
        doc.put("finished", Instant.now().toString());
        doc.put("durationSeconds", took.toSeconds());
        doc.put("machine", machine);
        doc.put("results", rows);
        doc.put("ratios", ratios);
        Files.createDirectories(target);
        JSON.writeValue(target.resolve("results.json").toFile(), doc);

        StringBuilder md = new StringBuilder();
        md.append("Run: `").append(mode).append("` mode, ").append(Instant.now()).append(", took ")
                .append(took.toSeconds()).append(" s. Client: ").append(client).append(". Machine: ").append(machine).append("\n\n");
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
    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }

    /** The load average when the run started (set by {@link Bench#main}). */
    static String loadAtStart = "?";

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
}

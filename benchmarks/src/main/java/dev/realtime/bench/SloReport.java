package dev.realtime.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * The SLO part of {@code results.md}: SLO throughput per server, transport and room size, the ratios ours/peer
 * in the same run, the heap histogram per idle connection, and one latency-vs-offered-rate PNG per room size
 * ({@code target/slo-<clients>.png}).
 */
final class SloReport {
    /** ours, peer: the pairs compared, as server/transport. */
    private static final String[][] PAIRS = {
        {"ours-native/ws", "tyrus-bare/ws"}, {"ours-native/ws", "netty-sio/ws"}, {"ours-native/ws", "node-sio/ws"},
        {"ours-sio/ws", "netty-sio/ws"}, {"ours-sio/ws", "node-sio/ws"}, {"ours-sio/polling", "netty-sio/polling"},
        {"ours-sio/polling", "node-sio/polling"}};

    private SloReport() {
    }

    static void append(StringBuilder md, List<Map<String, Object>> rows, Path target) throws IOException {
        List<Map<String, Object>> slo = rows.stream().filter(r -> "slo".equals(r.get("scenario"))).toList();
        if (slo.isEmpty()) {
            return;
        }
        md.append("\nSLO throughput: the highest offered msgs/s (events/s × subscribers, one room) whose p99 stayed "
                + "within the bound with every message delivered (ladder ×1.4 per step; \"< x\" = the lowest step "
                + "x already missed it; \"(n)\" = n steps below it missed the bound; \"*\" = a step between two ladder steps, run "
                + "after the sweep between the highest step within the bound and the next):\n\n| server | transport | subscribers | ≤ 10 ms msgs/s | p99 there | CPU µs/msg "
                + "there | ≤ 50 ms msgs/s | p99 there | CPU µs/msg there | sweep stopped at |\n"
                + "|---|---|---|---|---|---|---|---|---|---|\n");
        for (Map<String, Object> r : slo) {
            md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |%n",
                    r.get("server"), r.get("transport"), r.get("clients"), rate(r, "slo10MsgsPerSec") + between(r, 10) + misses(r, 10),
                    dash(r.get("slo10P99Ms")), dash(r.get("slo10CpuUsPerMsg")), rate(r, "slo50MsgsPerSec") + between(r, 50) + misses(r, 50),
                    dash(r.get("slo50P99Ms")), dash(r.get("slo50CpuUsPerMsg")), r.get("stoppedBecause")));
        }
        md.append("\nSLO ratios ours/peer, same run (higher is better for ours; a ratio against a peer that missed "
                + "the lowest step uses that step):\n\n| ours / peer | subscribers | ≤ 10 ms | ≤ 50 ms |\n"
                + "|---|---|---|---|\n");
        for (String[] pair : PAIRS) {
            for (Map<String, Object> a : slo) {
                if (!key(a).equals(pair[0])) {
                    continue;
                }
                for (Map<String, Object> b : slo) {
                    if (key(b).equals(pair[1]) && b.get("clients").equals(a.get("clients"))) {
                        md.append(String.format(Locale.ROOT, "| %s / %s | %s | %s | %s |%n", pair[0], pair[1],
                                a.get("clients"), ratio(a, b, "slo10MsgsPerSec"), ratio(a, b, "slo50MsgsPerSec")));
                    }
                }
            }
        }
        heap(md, rows);
        plots(md, slo, target);
    }

    /** "*" when the SLO throughput at {@code slo} ms is a refinement step, not a ladder step. */
    private static String between(Map<String, Object> r, int slo) {
        Object v = r.get("slo" + slo + "MsgsPerSec");
        for (double step : SloSweep.LADDER) {
            if (v instanceof Number n && n.doubleValue() == step) {
                return "";
            }
        }
        return v instanceof Number n && n.doubleValue() > 0 ? "*" : "";
    }

    private static void heap(StringBuilder md, List<Map<String, Object>> rows) {
        for (Map<String, Object> r : rows) {
            if ("idle".equals(r.get("scenario")) && r.get("heapHistogramPerConn") instanceof List<?> h && !h.isEmpty()) {
                md.append("\nHeap per idle connection by class, ").append(r.get("server"))
                        .append(" (jcmd GC.class_histogram, loaded − base, / connections):\n\n"
                                + "| class | instances/conn | bytes/conn |\n|---|---|---|\n");
                for (Object o : h) {
                    Map<?, ?> e = (Map<?, ?>) o;
                    md.append("| ").append(e.get("class")).append(" | ")
                            .append(e.get("instancesPerConn") == null ? "" : e.get("instancesPerConn")).append(" | ")
                            .append(e.get("bytesPerConn")).append(" |\n");
                }
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static void plots(StringBuilder md, List<Map<String, Object>> slo, Path target) throws IOException {
        TreeSet<Integer> sizes = new TreeSet<>();
        slo.forEach(r -> sizes.add((Integer) r.get("clients")));
        md.append('\n');
        for (int clients : sizes) {
            List<Plot.Series> series = new ArrayList<>();
            for (Map<String, Object> r : slo) {
                if (r.get("clients").equals(clients)) {
                    series.add(new Plot.Series(key(r), (List<Map<String, Object>>) r.get("points")));
                }
            }
            Path file = target.resolve("slo-" + clients + ".png");
            Files.createDirectories(target);
            Plot.write(file, "p50 / p99 latency vs offered rate, one room of " + clients + " subscribers", series);
            md.append("![latency vs offered rate, ").append(clients).append(" subscribers](").append(file.getFileName())
                    .append(")\n");
        }
    }

    private static String key(Map<String, Object> r) {
        return r.get("server") + "/" + r.get("transport");
    }

    private static String rate(Map<String, Object> r, String k) {
        double v = ((Number) r.get(k)).doubleValue();
        return v > 0 ? String.format(Locale.ROOT, "%,.0f", v)
                : String.format(Locale.ROOT, "< %,.0f", ((Number) r.get("lowestStepMsgsPerSec")).doubleValue());
    }

    private static String ratio(Map<String, Object> a, Map<String, Object> b, String k) {
        double x = ((Number) a.get(k)).doubleValue();
        double y = ((Number) b.get(k)).doubleValue();
        String note = "";
        if (x <= 0 && y <= 0) {
            return "both < lowest step";
        }
        if (y <= 0) {
            y = ((Number) b.get("lowestStepMsgsPerSec")).doubleValue();
            note = " (peer < lowest step: ≥)";
        }
        if (x <= 0) {
            return "ours < lowest step";
        }
        return String.format(Locale.ROOT, "%.2f%s", x / y, note);
    }

    private static String misses(Map<String, Object> r, int slo) {
        return r.get("slo" + slo + "IsolatedMisses") instanceof Integer n && n > 0 ? " (" + n + ")" : "";
    }

    private static String dash(Object o) {
        return o == null ? "–" : o.toString();
    }
}

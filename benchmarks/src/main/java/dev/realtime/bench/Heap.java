package dev.realtime.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Parses {@code jcmd GC.class_histogram} output and charges the growth between two histograms per connection. */
final class Heap {
    private Heap() {
    }

    /** Class name → {instances, bytes}. */
    static Map<String, long[]> parse(String histogram) {
        Map<String, long[]> m = new HashMap<>();
        for (String line : histogram.split("\n")) {
            String[] f = line.trim().split("\\s+");
            // "  1:   12345   678900  java.lang.String (java.base@17)"
            if (f.length >= 4 && f[0].endsWith(":") && f[1].matches("\\d+") && f[2].matches("\\d+")) {
                m.put(f[3], new long[] {Long.parseLong(f[1]), Long.parseLong(f[2])});
            }
        }
        return m;
    }

    /** The {@code top} classes by bytes grown from {@code base} to {@code loaded}, per connection. */
    static List<Map<String, Object>> perConnection(Map<String, long[]> base, Map<String, long[]> loaded, int n,
                                                   int top) {
        List<Map<String, Object>> out = new ArrayList<>();
        if (loaded == null) {
            return out;
        }
        List<Map.Entry<String, long[]>> grown = new ArrayList<>();
        for (Map.Entry<String, long[]> e : loaded.entrySet()) {
            long[] b = base.getOrDefault(e.getKey(), new long[2]);
            grown.add(Map.entry(e.getKey(), new long[] {e.getValue()[0] - b[0], e.getValue()[1] - b[1]}));
        }
        grown.sort((x, y) -> Long.compare(y.getValue()[1], x.getValue()[1]));
        long total = grown.stream().mapToLong(e -> e.getValue()[1]).sum();
        Map<String, Object> sum = new LinkedHashMap<>();
        sum.put("class", "(all classes)");
        sum.put("bytesPerConn", total / n);
        out.add(sum);
        for (int i = 0; i < Math.min(top, grown.size()); i++) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("class", grown.get(i).getKey());
            r.put("instancesPerConn", Math.round(grown.get(i).getValue()[0] * 100.0 / n) / 100.0);
            r.put("bytesPerConn", grown.get(i).getValue()[1] / n);
            out.add(r);
        }
        return out;
    }
}

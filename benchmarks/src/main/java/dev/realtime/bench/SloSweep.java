package dev.realtime.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The SLO sweep: offers one room of {@code clients} subscribers a rising, paced message rate and finds the highest
 * offered rate whose p99 publish-to-receive latency stays within 10 ms and within 50 ms (the "SLO throughput").
 *
 * <p>The ladder is in delivered messages per second (events/s × subscribers), the same steps for every server, so
 * the curves of all servers share their x values. Each step publishes {@code max(20, rate × stepSeconds)} events
 * at a fixed pace and waits until every subscriber has every event (or 3 s without progress). The sweep stops at
 * the second step in a row that misses 50 ms, or the first that loses a message or delivers less than 80 % of the
 * offered rate: past that point the latency is queueing and only grows. A step below 5 events/s is skipped (too few events for a p99).
 * A step that crosses a bound (misses 10 ms after the previous step met it, or misses 50 ms) is run once more
 * and the better of the two counts: on a 2-core box shared with the clients (and other builds) a single stall of
 * 100 ms inside a one-second step is not the server's sustained latency, and the retry says whether it was. The SLO
 * throughput is the highest step within the bound among all the steps run (the sweep itself ends where the
 * latency is queueing); missed steps below it are counted ({@link #isolatedMisses}) and shown, not fatal. Between
 * 5k and 70k msgs/s every server's p99 sits near 10 ms on a shared 2-core box (each event is a burst of one write
 * and one read per subscriber, and only faster rates batch them), so an earlier rule that stopped at two missed
 * steps in a row after the first met one scored a server that met the lowest steps and then missed 20k and 35k by
 * 0.7 ms below one that missed every step up to 100k. Every ladder step is in {@code points}.
 * Then one more step runs at the geometric middle between the highest ladder step within each bound and the step
 * above it (which missed it); when it meets the bound it is the SLO throughput ({@code refinements}), so that
 * ratios between servers are not only powers of the ladder's 1.4.
 */
final class SloSweep {
    /** Offered msgs/s, ascending (about ×1.4 per step). */
    static final double[] LADDER = {5_000, 10_000, 20_000, 35_000, 50_000, 70_000, 100_000, 140_000, 200_000,
        280_000, 400_000, 560_000, 784_000, 1_100_000};
    static final double[] SLO_MS = {10, 50};

    /** Runs one paced step: {@code count} events at {@code eventsPerSec}; returns the measured row. */
    interface Step {
        Map<String, Object> run(int count, double eventsPerSec);
    }

    private SloSweep() {
    }

    /**
     * Sweeps one server, transport and room size.
     *
     * @return the summary row: scenario {@code slo}, the SLO throughputs, the CPU per message at them, and every
     *     step ({@code points}) for the plot
     */
    static Map<String, Object> sweep(String server, String transport, int clients, double stepSeconds, Step step) {
        List<Map<String, Object>> points = new ArrayList<>();
        String stop = "end of the ladder";
        for (double offered : LADDER) {
            double eventsPerSec = offered / clients;
            if (eventsPerSec < 5) {
                continue;
            }
            Map<String, Object> p = measure(step, offered, clients, stepSeconds, points);
            points.add(p);
            double p99 = ((Number) p.get("p99Ms")).doubleValue();
            long delivered = ((Number) p.get("delivered")).longValue();
            long expected = ((Number) p.get("expected")).longValue();
            double achieved = ((Number) p.get("msgsPerSec")).doubleValue();
            if (delivered < expected) {
                stop = "lost " + (expected - delivered) + " of " + expected + " at " + (long) offered + " msgs/s";
                break;
            }
            if (p99 > SLO_MS[SLO_MS.length - 1]) {
                stop = "p99 " + p99 + " ms at " + (long) offered + " msgs/s";
                if (points.size() >= 2 && ((Number) points.get(points.size() - 2).get("p99Ms")).doubleValue()
                        > SLO_MS[SLO_MS.length - 1]) {
                    break; // two steps in a row over the largest bound
                }
                continue;
            }
            if (achieved < 0.8 * offered) {
                stop = "delivered " + Math.round(achieved) + " of " + (long) offered + " msgs/s offered";
                break;
            }
        }
        // one step between the highest ladder step within each bound and the step above it, which missed it: the
        // ladder's ×1.4 alone would quantize every ratio between servers to powers of 1.4
        Map<Double, Map<String, Object>> refined = new LinkedHashMap<>();
        for (double slo : SLO_MS) {
            Map<String, Object> best = highestWithin(points, slo);
            int i = points.indexOf(best);
            if (best != null && i + 1 < points.size() && !within(points.get(i + 1), slo)) {
                double lo = ((Number) best.get("offeredMsgsPerSec")).doubleValue();
                double hi = ((Number) points.get(i + 1).get("offeredMsgsPerSec")).doubleValue();
                double mid = Math.round(Math.sqrt(lo * hi) / 1000) * 1000.0;
                Map<String, Object> r = measure(step, mid, clients, stepSeconds, points);
                r.put("refinement", true);
                refined.put(slo, r);
            }
        }
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("scenario", "slo");
        s.put("server", server);
        s.put("transport", transport);
        s.put("clients", clients);
        for (double slo : SLO_MS) {
            Map<String, Object> best = highestWithin(points, slo);
            Map<String, Object> between = refined.get(slo);
            if (between != null && within(between, slo)) {
                best = between;
            }
            String k = "slo" + (int) slo;
            s.put(k + "MsgsPerSec", best == null ? 0.0 : best.get("offeredMsgsPerSec"));
            s.put(k + "P99Ms", best == null ? null : best.get("p99Ms"));
            s.put(k + "CpuUsPerMsg", best == null ? null : best.get("serverCpuUsPerMsg"));
            s.put(k + "HarnessCpuUsPerMsg", best == null ? null : best.get("harnessCpuUsPerMsg"));
        }
        s.put("lowestStepMsgsPerSec", points.isEmpty() ? 0.0 : points.get(0).get("offeredMsgsPerSec"));
        for (double slo : SLO_MS) {
            s.put("slo" + (int) slo + "IsolatedMisses", isolatedMisses(points, slo));
        }
        s.put("stoppedBecause", stop);
        s.put("points", points);
        s.put("refinements", new ArrayList<>(refined.values()));
        return s;
    }

    /**
     * Runs one step at {@code offered} msgs/s, once more when it crosses a bound (see the class comment), and returns
     * its point. {@code below} are the steps run so far, lowest first.
     */
    private static Map<String, Object> measure(Step step, double offered, int clients, double stepSeconds,
                                               List<Map<String, Object>> below) {
        double eventsPerSec = offered / clients;
        int count = (int) Math.max(20, Math.round(eventsPerSec * stepSeconds));
        Map<String, Object> r = step.run(count, eventsPerSec);
        double p99 = ((Number) r.get("p99Ms")).doubleValue();
        boolean previousMet10 = below.isEmpty()
                || ((Number) below.get(below.size() - 1).get("p99Ms")).doubleValue() <= SLO_MS[0];
        if (p99 > SLO_MS[SLO_MS.length - 1] || (p99 > SLO_MS[0] && previousMet10)) {
            Map<String, Object> again = step.run(count, eventsPerSec);
            double p99Again = ((Number) again.get("p99Ms")).doubleValue();
            if (p99Again < p99 && ((Number) again.get("delivered")).longValue()
                    >= ((Number) again.get("expected")).longValue()) {
                again.put("retriedP99Ms", p99);
                r = again;
                p99 = p99Again;
            } else {
                r.put("retriedP99Ms", p99Again);
            }
        }
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("offeredMsgsPerSec", offered);
        p.put("offeredEventsPerSec", Math.round(eventsPerSec * 1000) / 1000.0);
        p.put("msgsPerSec", r.get("msgsPerSec"));
        p.put("p50Ms", r.get("p50Ms"));
        p.put("p99Ms", p99);
        p.put("p999Ms", r.get("p999Ms"));
        p.put("maxMs", r.get("maxMs"));
        p.put("delivered", r.get("delivered"));
        p.put("expected", r.get("expected"));
        p.put("serverCpuUsPerMsg", r.get("serverCpuUsPerMsg"));
        p.put("harnessCpuUsPerMsg", r.get("harnessCpuUsPerMsg"));
        if (r.containsKey("retriedP99Ms")) {
            p.put("otherRunP99Ms", r.get("retriedP99Ms"));
        }
        if (r.containsKey("serverGcCount")) {
            p.put("serverGcCount", r.get("serverGcCount"));
            p.put("serverGcMs", r.get("serverGcMs"));
        }
        return p;
    }

    /** The highest step within {@code sloMs} (lossless) among {@code points}, or null when none met it. */
    static Map<String, Object> highestWithin(List<Map<String, Object>> points, double sloMs) {
        Map<String, Object> best = null;
        for (Map<String, Object> p : points) {
            if (within(p, sloMs) && (best == null || offered(p) > offered(best))) {
                best = p;
            }
        }
        return best;
    }

    private static double offered(Map<String, Object> p) {
        return ((Number) p.get("offeredMsgsPerSec")).doubleValue();
    }

    /** Missed steps below the SLO throughput, which the rule above tolerates. */
    static int isolatedMisses(List<Map<String, Object>> points, double sloMs) {
        Map<String, Object> best = highestWithin(points, sloMs);
        if (best == null) {
            return 0;
        }
        int n = 0;
        for (Map<String, Object> p : points) {
            if (offered(p) < offered(best) && !within(p, sloMs)) {
                n++;
            }
        }
        return n;
    }

    private static boolean within(Map<String, Object> p, double sloMs) {
        return ((Number) p.get("p99Ms")).doubleValue() <= sloMs
                && ((Number) p.get("delivered")).longValue() >= ((Number) p.get("expected")).longValue();
    }
}

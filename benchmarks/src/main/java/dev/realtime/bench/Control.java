package dev.realtime.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * The control plane every Java server under test exposes on its own loopback port (JDK HTTP server, one thread),
 * the same as {@code node/server.js}:
 * <ul>
 *   <li>{@code POST /bench/publish?prefix=job:fan-&rooms=1&count=N&rate=R} publishes {@code count} rounds; a round
 *   publishes one {@code job:progress} event to each room {@code prefix+0 .. prefix+(rooms-1)}; {@code rate} is
 *   events per second over all rooms, 0 = as fast as the publisher can. Answers when done, with the collections
 *   of this JVM during the publish ({@code gcCount}, and {@code gcMillis} as the collector beans count them).</li>
 *   <li>{@code GET /bench/mem} runs GC and answers heap used after it and the process RSS.</li>
 *   <li>{@code GET /bench/stats} the server's own counters, when it has any.</li>
 * </ul>
 * Every payload carries {@code ts}: the wall clock in epoch microseconds, read just before the publish call.
 */
final class Control {
    /** Publishes one job:progress event to a room; called on the control thread only. */
    interface Publisher {
        void publish(String room, String jobId, int progress, long seq, long tsMicros);
    }

    private final HttpServer http;

    Control(Publisher publisher, Supplier<String> stats) throws IOException {
        http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        http.createContext("/bench/publish", ex -> {
            Map<String, String> q = query(ex.getRequestURI());
            String prefix = q.getOrDefault("prefix", "job:fan-");
            int rooms = Integer.parseInt(q.getOrDefault("rooms", "1"));
            int count = Integer.parseInt(q.getOrDefault("count", "1"));
            double rate = Double.parseDouble(q.getOrDefault("rate", "0"));
            String[] names = new String[rooms];
            String[] jobIds = new String[rooms];
            for (int i = 0; i < rooms; i++) {
                names[i] = prefix + i;
                jobIds[i] = names[i].substring(names[i].indexOf(':') + 1);
            }
            long interval = rate > 0 ? (long) (1e9 / rate) : 0;
            long[] gc0 = collections();
            long start = System.nanoTime();
            long seq = 0;
            String error = null;
            try {
                for (int c = 0; c < count; c++) {
                    for (int r = 0; r < rooms; r++) {
                        if (interval > 0) {
                            long due = start + seq * interval;
                            long wait;
                            while ((wait = due - System.nanoTime()) > 0) {
                                LockSupport.parkNanos(wait);
                            }
                        }
                        publisher.publish(names[r], jobIds[r], (int) (c % 101), seq, micros());
                        seq++;
                    }
                }
            } catch (RuntimeException e) {
                error = e.toString();
            }
            long nanos = System.nanoTime() - start;
            long[] gc = collections();
            reply(ex, "{\"published\":" + seq + ",\"nanos\":" + nanos + ",\"gcCount\":" + (gc[0] - gc0[0])
                    + ",\"gcMillis\":" + (gc[1] - gc0[1])
                    + (error != null ? ",\"error\":\"" + error.replace('"', '\'') + "\"" : "") + "}");
        });
        http.createContext("/bench/mem", ex -> {
            for (int i = 0; i < 3; i++) {
                System.gc();
            }
            long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            reply(ex, "{\"heapUsed\":" + heap + ",\"rss\":" + rss() + "}");
        });
        http.createContext("/bench/stats", ex -> reply(ex, stats.get()));
    }

    int start() {
        http.start();
        return http.getAddress().getPort();
    }

    void stop() {
        http.stop(0);
    }

    /** Collections so far and their accumulated time in ms, over every collector of this JVM. */
    private static long[] collections() {
        long count = 0;
        long millis = 0;
        for (java.lang.management.GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            count += Math.max(0, gc.getCollectionCount());
            millis += Math.max(0, gc.getCollectionTime());
        }
        return new long[] {count, millis};
    }

    static long micros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1000;
    }

    /** VmRSS of this process in bytes, or -1 where /proc is missing. */
    static long rss() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return -1;
    }

    private static Map<String, String> query(URI uri) {
        Map<String, String> m = new HashMap<>();
        String q = uri.getRawQuery();
        if (q != null) {
            for (String kv : q.split("&")) {
                int eq = kv.indexOf('=');
                if (eq > 0) {
                    m.put(kv.substring(0, eq), java.net.URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return m;
    }

    private static void reply(HttpExchange ex, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(200, body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }
}

package dev.realtime.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A server under test in its own process: started from a command line, ready once it prints
 * {@code READY port=<ws> control=<control>}; its output goes to {@code target/logs/<name>.log}. Driven through the
 * control plane (see {@link Control}). Every process started here is destroyed by {@link #stop()} or, at the
 * latest, by the JVM shutdown hook.
 */
final class ServerProcess implements AutoCloseable {
    private static final Pattern READY = Pattern.compile("READY port=(\\d+) control=(\\d+)");
    private static final List<Process> LIVE = new CopyOnWriteArrayList<>();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(Process::destroyForcibly)));
    }

    final String name;
    final Process process;
    final int port;
    final int controlPort;

    private ServerProcess(String name, Process process, int port, int controlPort) {
        this.name = name;
        this.process = process;
        this.port = port;
        this.controlPort = controlPort;
    }

    static ServerProcess start(String name, List<String> command, Path dir, Path logDir) {
        try {
            Files.createDirectories(logDir);
            Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
            LIVE.add(p);
            PrintWriter log = new PrintWriter(Files.newBufferedWriter(logDir.resolve(name + ".log")), true);
            log.println("# " + String.join(" ", command));
            CountDownLatch ready = new CountDownLatch(1);
            AtomicReference<Matcher> match = new AtomicReference<>();
            Thread reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        log.println(line);
                        Matcher m = READY.matcher(line);
                        if (ready.getCount() > 0 && m.find()) {
                            match.set(m);
                            ready.countDown();
                        }
                    }
                } catch (IOException ignored) {
                    // process gone
                } finally {
                    log.close();
                }
            }, "output-" + name);
            reader.setDaemon(true);
            reader.start();
            if (!ready.await(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(name + " did not print READY within 60 s; see its log in " + logDir);
            }
            Matcher m = match.get();
            return new ServerProcess(name, p, Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** GET or POST on the control plane; the JSON answer. */
    String control(String method, String pathAndQuery, Duration timeout) {
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + controlPort + pathAndQuery))
                .timeout(timeout).method(method, HttpRequest.BodyPublishers.noBody()).build();
        try {
            HttpResponse<String> res;
            try {
                res = HTTP.send(req, HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                if (!"GET".equals(method)) {
                    throw e; // a publish is not repeated: it might have run
                }
                // a pooled connection the control server closed meanwhile ("header parser received no bytes"):
                // a GET is safe to send once more
                res = HTTP.send(req, HttpResponse.BodyHandlers.ofString());
            }
            if (res.statusCode() != 200) {
                throw new IllegalStateException(name + " " + pathAndQuery + " -> " + res.statusCode());
            }
            return res.body();
        } catch (IOException e) {
            throw new UncheckedIOException(name + " " + pathAndQuery, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** User + system CPU time of the process in seconds (from /proc, 100 ticks/s), or -1. */
    double cpuSeconds() {
        return cpuSeconds(process.pid());
    }

    static double cpuSeconds(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // after "pid (comm) ": state is field 3, utime field 14, stime field 15
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** VmRSS of the process in bytes (from /proc), or -1. */
    long rss() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return -1;
    }

    @Override
    public void close() {
        stop();
    }

    void stop() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        LIVE.remove(process);
    }
}

package dev.realtime.redis;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A Redis server for tests. In order of preference: the server at {@code REDIS_URL} (external: cannot be stopped),
 * a {@code redis-server} found on the {@code PATH}, or the Linux/macOS binary shipped inside the
 * {@code embedded-redis} test dependency (extracted once to a temp file). A process started here listens on a free
 * loopback port, and can be {@link #stop() stopped}, {@link #kill() killed} and {@link #start() started again} on
 * the same port for fault tests; with {@code persistent} it keeps an append-only file (fsync always) in a temp
 * directory, so data survives a restart. {@link #close()} stops the process and deletes the directory.
 *
 * <p>Not thread-safe: drive it from the test thread.
 */
public final class RedisTestServer implements AutoCloseable {
    private static final String READY = "Ready to accept connections";
    private static volatile Path extracted;

    private final String externalUrl;
    private final Path binary;
    private final boolean persistent;
    private final int port;
    private final Path dir;
    private Process process;
    private Thread outputReader;
    /** Last lines of server output, for error messages. Guarded by itself. */
    private final Deque<String> lastLines = new ArrayDeque<>();

    private RedisTestServer(String externalUrl, Path binary, boolean persistent) throws IOException {
        this.externalUrl = externalUrl;
        this.binary = binary;
        this.persistent = persistent;
        this.port = externalUrl != null ? -1 : freePort();
        this.dir = externalUrl != null ? null : Files.createTempDirectory("realtime-redis-test");
    }

    /** A running server without persistence (or the external one from {@code REDIS_URL}). */
    public static RedisTestServer start(boolean persistent) {
        try {
            String env = System.getenv("REDIS_URL");
            RedisTestServer s = env != null && !env.isBlank() && !persistent
                    ? new RedisTestServer(env, null, false)
                    : new RedisTestServer(null, findBinary(), persistent);
            s.start();
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether this server was started here (so it can be stopped and restarted). */
    public boolean controllable() {
        return externalUrl == null;
    }

    public String url() {
        return externalUrl != null ? externalUrl : "redis://127.0.0.1:" + port;
    }

    /** The redis-server process id, for fault tests that pause it (SIGSTOP/SIGCONT). */
    public long pid() {
        if (process == null) {
            throw new IllegalStateException("not running here");
        }
        return process.pid();
    }

    public int port() {
        return port;
    }

    /** Starts the process (again) on the same port; returns once it accepts connections. */
    public void start() {
        if (externalUrl != null) {
            return;
        }
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("already running");
        }
        List<String> cmd = new ArrayList<>(List.of(binary.toString(), "--port", Integer.toString(port),
                "--bind", "127.0.0.1", "--save", "", "--daemonize", "no", "--dir", dir.toString(),
                "--logfile", ""));
        if (persistent) {
            cmd.addAll(List.of("--appendonly", "yes", "--appendfsync", "always"));
        } else {
            cmd.addAll(List.of("--appendonly", "no"));
        }
        try {
            process = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + binary, e);
        }
        CountDownLatch ready = new CountDownLatch(1);
        InputStream out = process.getInputStream();
        outputReader = new Thread(() -> readOutput(out, ready), "redis-test-server-output-" + port);
        outputReader.setDaemon(true);
        outputReader.start();
        try {
            if (!ready.await(10, TimeUnit.SECONDS)) {
                stop();
                throw new IllegalStateException("redis-server did not become ready; output:\n" + output());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Graceful stop (SIGTERM: Redis flushes its append-only file); waits for the process to exit. */
    public void stop() {
        terminate(false);
    }

    /** Abrupt stop (SIGKILL), like a crashed server. */
    public void kill() {
        terminate(true);
    }

    private void terminate(boolean force) {
        if (externalUrl != null) {
            throw new IllegalStateException("an external server (REDIS_URL) cannot be stopped");
        }
        if (process == null) {
            return;
        }
        Process p = process;
        process = null;
        if (force) {
            p.destroyForcibly();
        } else {
            p.destroy();
        }
        try {
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            outputReader.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        if (externalUrl != null) {
            return;
        }
        terminate(false);
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException ignored) {
            // temp dir: best effort
        }
    }

    private void readOutput(InputStream in, CountDownLatch ready) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                synchronized (lastLines) {
                    lastLines.addLast(line);
                    if (lastLines.size() > 50) {
                        lastLines.removeFirst();
                    }
                }
                if (line.contains(READY)) {
                    ready.countDown();
                }
            }
        } catch (IOException ignored) {
            // process gone
        }
    }

    private String output() {
        synchronized (lastLines) {
            return String.join("\n", lastLines);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }

    private static Path findBinary() throws IOException {
        String path = System.getenv("PATH");
        if (path != null) {
            for (String d : path.split(java.io.File.pathSeparator)) {
                Path candidate = Path.of(d, "redis-server");
                if (Files.isExecutable(candidate)) {
                    return candidate;
                }
            }
        }
        return embeddedBinary();
    }

    /** The binary inside the embedded-redis jar for this OS and architecture, extracted once per JVM. */
    private static synchronized Path embeddedBinary() throws IOException {
        if (extracted != null) {
            return extracted;
        }
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        boolean arm = arch.contains("aarch64") || arch.contains("arm");
        String resource;
        if (os.contains("linux")) {
            resource = arm ? "redis-server-6.2.7-linux-arm64" : "redis-server-6.2.6-v5-linux-amd64";
        } else if (os.contains("mac")) {
            resource = arm ? "redis-server-6.2.6-v5-darwin-arm64" : "redis-server-6.2.6-v5-darwin-amd64";
        } else {
            throw new IllegalStateException("no redis-server on PATH and no embedded binary for " + os + "/" + arch
                    + "; set REDIS_URL");
        }
        try (InputStream in = RedisTestServer.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("embedded-redis does not contain " + resource);
            }
            Path file = Files.createTempFile("redis-server-", "");
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            if (!file.toFile().setExecutable(true)) {
                throw new IOException("cannot make " + file + " executable");
            }
            file.toFile().deleteOnExit();
            extracted = file;
            return file;
        }
    }
}

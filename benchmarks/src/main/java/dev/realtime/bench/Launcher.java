package dev.realtime.bench;

import static dev.realtime.bench.Util.log;
import static dev.realtime.bench.Util.pause;

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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Starting the processes of a run: the servers under test ({@link ServerProcess}, logs in {@code target/logs},
 * JFR recordings in {@code target/jfr}) and the redis-server of the cross-node scenario. Main thread only.
 */
final class Launcher {
    private final Path dir;
    private final Path target;
    private final boolean jfr;

    Launcher(Path dir, Path target, boolean jfr) {
        this.dir = dir;
        this.target = target;
        this.jfr = jfr;
    }

    /**
     * More JFR options from {@code BENCH_JFR_OPTIONS} (e.g. {@code locking-threshold=0ms} to record every contended
     * monitor enter), or nothing.
     */
    private static String extraJfrOptions() {
        String extra = System.getenv("BENCH_JFR_OPTIONS");
        return extra == null || extra.isBlank() ? "" : "," + extra.trim();
    }

    /**
     * The command line of a Java server: this JVM's java and class path, G1, 2 GB, then the options in
     * {@code BENCH_SERVER_JVM_OPTIONS} (space-separated, for every Java server alike), JFR with --jfr.
     */
    List<String> java(String main, String name, String... args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xms256m", "-Xmx2g", "-XX:+UseG1GC"));
        String extra = System.getenv("BENCH_SERVER_JVM_OPTIONS");
        if (extra != null && !extra.isBlank()) {
            cmd.addAll(Arrays.asList(extra.trim().split("\\s+")));
        }
        if (jfr) {
            cmd.add("-XX:StartFlightRecording=filename=" + target.resolve("jfr").resolve(name + ".jfr")
                    + ",settings=profile,dumponexit=true" + extraJfrOptions());
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), main));
        cmd.addAll(Arrays.asList(args));
        return cmd;
    }

    /** Starts a server (Node in {@code node/}, Java here) and waits for its READY line. */
    ServerProcess start(String name, List<String> cmd) {
        Path cwd = cmd.get(0).equals("node") ? dir.resolve("node") : dir;
        try {
            Files.createDirectories(target.resolve("jfr"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        log("starting " + name);
        return ServerProcess.start(name, cmd, cwd, target.resolve("logs"));
    }

    /**
     * Starts a redis-server on {@code port} (from the PATH, else embedded-redis's binary; log in
     * {@code target/logs/redis.log}) and returns once it answers PING. The caller destroys it.
     */
    Process redisServer(int port) throws IOException {
        Path bin = redisBinary();
        Process redis = new ProcessBuilder(bin.toString(), "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--daemonize", "no")
                .redirectErrorStream(true).redirectOutput(target.resolve("logs").resolve("redis.log").toFile())
                .start();
        try {
            waitForRedis(port);
        } catch (IOException e) {
            redis.destroyForcibly();
            throw e;
        }
        return redis;
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Returns once a redis-server on {@code port} answers PING (15 s at most). */
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
        try (InputStream in = Launcher.class.getClassLoader().getResourceAsStream(resource)) {
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

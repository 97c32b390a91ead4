package dev.realtime.jakarta.socketio;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code src/test/node/peer.mjs} (the official socket.io-client) for one scenario and exchanges JSON lines
 * with it. Closing kills the process.
 */
public final class NodePeer implements AutoCloseable {
    /** This module's node project, relative to the module directory. */
    public static final Path DIR = Path.of("src/test/node");

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final Process process;
    private final BlockingQueue<JsonNode> lines = new LinkedBlockingQueue<>();
    private final StringBuilder stderr = new StringBuilder();
    private final Writer stdin;

    NodePeer(String baseUrl, String scenario, String... extra) throws IOException {
        this(DIR, baseUrl, scenario, extra);
    }

    /** Runs the peer from another module, e.g. {@code Path.of("../realtime-jakarta/src/test/node")}. */
    public NodePeer(Path nodeDir, String baseUrl, String scenario, String... extra) throws IOException {
        this(nodeDir, java.util.Map.of(), baseUrl, scenario, extra);
    }

    /**
     * Runs the peer with extra environment, e.g. {@code PEER_TRANSPORTS=default|polling|websocket} (the
     * socket.io-client {@code transports} option: its default, polling only, WebSocket only).
     */
    public NodePeer(Path nodeDir, java.util.Map<String, String> env, String baseUrl, String scenario,
                    String... extra) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("node", "peer.mjs", baseUrl, scenario));
        cmd.addAll(List.of(extra));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(nodeDir.toFile());
        pb.environment().putAll(env);
        process = pb.start();
        stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Thread out = new Thread(() -> pump(), "node-peer-stdout");
        out.setDaemon(true);
        out.start();
        Thread err = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getErrorStream(),
                    StandardCharsets.UTF_8))) {
                String l;
                while ((l = r.readLine()) != null) {
                    synchronized (stderr) {
                        stderr.append(l).append('\n');
                    }
                }
            } catch (IOException ignored) {
                // process ended
            }
        }, "node-peer-stderr");
        err.setDaemon(true);
        err.start();
    }

    private void pump() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            String l;
            while ((l = r.readLine()) != null) {
                lines.add(MAPPER.readTree(l));
            }
        } catch (IOException ignored) {
            // process ended
        }
    }

    /** The next line the scenario printed; fails on an error line or after 15 s. */
    public JsonNode next() throws InterruptedException {
        JsonNode n = lines.poll(15, TimeUnit.SECONDS);
        if (n == null) {
            throw new AssertionError("node peer printed nothing for 15 s; stderr: " + stderr());
        }
        if (n.has("error")) {
            throw new AssertionError("node peer failed: " + n.path("error").asText() + "\nstderr: " + stderr());
        }
        return n;
    }

    /** The next line having {@code field}. */
    public JsonNode next(String field) throws InterruptedException {
        JsonNode n = next();
        if (!n.has(field)) {
            throw new AssertionError("expected a line with '" + field + "', got " + n);
        }
        return n;
    }

    public void send(String line) throws IOException {
        stdin.write(line + "\n");
        stdin.flush();
    }

    /** Waits for the {@code done} line and a zero exit. */
    public void awaitDone() throws InterruptedException {
        next("done");
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            throw new AssertionError("node peer did not exit");
        }
        if (process.exitValue() != 0) {
            throw new AssertionError("node peer exited with " + process.exitValue() + ": " + stderr());
        }
    }

    private String stderr() {
        synchronized (stderr) {
            return stderr.toString();
        }
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}

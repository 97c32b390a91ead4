package dev.realtime.jakarta.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.realtime.core.RealtimeHub;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One run of {@code browser/page.html} in a real headless Chromium (Debian's {@code chromium}): JobMonitor,
 * acks both ways, binary both ways, recovery after a cut. Other pages use {@link #launch}, {@link #nextReport}
 * and named gates ({@link #release}). Whoever serves the page also serves
 * {@code /report} and hands it to {@link #report}: a POST body is a report, a GET asks whether to go on.
 * Reusable from other modules (the servlet container tests).
 */
public final class BrowserScenario {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    public static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    private final BlockingQueue<JsonNode> reports = new LinkedBlockingQueue<>();
    private final AtomicBoolean go = new AtomicBoolean();
    /** Gates a page waits for by name ({@code GET /report?wait=NAME}), opened by {@link #release}. */
    private final java.util.Set<String> released = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** The page. */
    public static byte[] page() throws IOException {
        try (InputStream in = BrowserScenario.class.getResourceAsStream("/browser/page.html")) {
            return in.readAllBytes();
        }
    }

    /** The socket.io-client bundle of the node project at {@code nodeDir}. */
    public static byte[] client(Path nodeDir) throws IOException {
        return Files.readAllBytes(nodeDir.resolve("node_modules/socket.io-client/dist/socket.io.min.js"));
    }

    /** Skips the test when chromium or the client bundle is missing. */
    public static void require(Path nodeDir) {
        assumeTrue(Files.isExecutable(CHROMIUM), "Debian's chromium is not installed");
        assumeTrue(Files.isRegularFile(nodeDir.resolve("node_modules/socket.io-client/dist/socket.io.min.js")),
                "run npm ci in realtime-jakarta/src/test/node (the build does)");
    }

    /**
     * A request to {@code /report}: returns the HTTP status to answer (204, or 200 once the page may go on).
     *
     * @param body the POST body, or {@code null} for a GET
     */
    public int report(byte[] body) throws IOException {
        return report(body, null);
    }

    /**
     * As {@link #report(byte[])}, for pages that wait on named gates: a GET with {@code wait=NAME} answers 200
     * once {@link #release(String)} opened that gate (a GET without a name waits for the single go of
     * {@link #run}).
     */
    public int report(byte[] body, String wait) throws IOException {
        if (body == null) {
            return (wait != null && released.contains(wait)) || (wait == null && go.get()) ? 200 : 204;
        }
        reports.add(MAPPER.readTree(body));
        return 204;
    }

    /** Opens the gate {@code name} a page waits for. */
    public void release(String name) {
        released.add(name);
    }

    /** The next report of a page started with {@link #launch}; fails after 30 s or on an {@code error} report. */
    public JsonNode nextReport() throws InterruptedException {
        return next();
    }

    /** Opens {@code url} in headless Chromium; closing the handle kills the browser. */
    public AutoCloseable launch(String url) throws IOException {
        reports.clear();
        released.clear();
        Process browser = chromium(url);
        return () -> {
            browser.destroyForcibly();
            browser.waitFor(10, TimeUnit.SECONDS);
        };
    }

    /** Skips the test when Debian's chromium is missing. */
    public static void requireChromium() {
        assumeTrue(Files.isExecutable(CHROMIUM), "Debian's chromium is not installed");
    }

    private JsonNode next() throws InterruptedException {
        JsonNode n = reports.poll(30, TimeUnit.SECONDS);
        if (n == null) {
            throw new AssertionError("the browser reported nothing for 30 s");
        }
        if (n.has("error")) {
            throw new AssertionError("browser: " + n.path("error").asText());
        }
        return n;
    }

    private Process chromium(String url) throws IOException {
        Path profile = Files.createTempDirectory("chromium");
        return new ProcessBuilder(CHROMIUM.toString(), "--headless=new", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--no-first-run", "--user-data-dir=" + profile, url)
                .redirectErrorStream(true).redirectOutput(profile.resolve("chromium.log").toFile()).start();
    }

    /** Opens {@code pageUrl} in Chromium and checks every step; {@code hub} publishes the job events. */
    public void run(RealtimeHub hub, String pageUrl, String mode) throws Exception {
        go.set(false);
        reports.clear();
        Process browser = chromium(pageUrl);
        try {
            JsonNode ready = next();
            assertTrue(ready.path("ack").path("success").asBoolean(), ready.toString());
            assertEquals(mode.equals("polling") ? "polling" : "websocket", ready.path("transport").asText());
            hub.jobs().update("browser-1", "started", Map.of("message", "started"));
            hub.jobs().progress("browser-1", 10, "Analyzing");
            hub.jobs().completed("browser-1", Map.of("count", 1));
            JsonNode cut = next();
            assertEquals("[\"job:update\",\"job:progress\",\"job:completed\"]", cut.path("events").toString());
            assertTrue(cut.path("asked").path("ok").asBoolean(), "the browser answered our emit-with-ack");
            assertEquals(7, cut.path("asked").path("got").path("jobId").asInt());
            assertEquals("[1,2,3,250]", cut.path("ackCopy").toString());
            assertEquals("[1,2,3,250]", cut.path("pushed").toString());
            assertEquals("forced close", cut.path("cut").asText(), "engine.close(): a recoverable transport loss");
            hub.jobs().progress("browser-1", 20, null);
            hub.jobs().progress("browser-1", 30, null);
            hub.jobs().completed("browser-1", "again");
            go.set(true);
            JsonNode end = next();
            assertTrue(end.path("recovered").asBoolean(), "socket.recovered: " + end);
            assertEquals("[20,30]", end.path("progress").toString());
        } finally {
            browser.destroyForcibly();
            browser.waitFor(10, TimeUnit.SECONDS);
        }
    }
}

package dev.realtime.examples.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;

/**
 * A real headless Chromium (Debian's {@code chromium}) driven over the DevTools protocol: open pages, click,
 * read what the page shows, set a file input, take screenshots. One browser per instance, one tab per
 * {@link Tab}; closing kills the browser and deletes its profile.
 */
final class Chromium implements AutoCloseable {
    static final Path BINARY = Path.of("/usr/bin/chromium");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern LISTENING = Pattern.compile("DevTools listening on ws://127\\.0\\.0\\.1:(\\d+)/");

    private final Process process;
    private final Path profile;
    private final int port;
    private final HttpClient http = HttpClient.newHttpClient();

    Chromium() throws Exception {
        profile = Files.createTempDirectory("chromium-console");
        process = new ProcessBuilder(BINARY.toString(), "--headless=new", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--no-first-run", "--window-size=1400,1100",
                "--remote-debugging-port=0", "--user-data-dir=" + profile, "about:blank")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        CompletableFuture<Integer> found = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getErrorStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    Matcher m = LISTENING.matcher(line);
                    if (m.find()) {
                        found.complete(Integer.parseInt(m.group(1)));
                    }
                }
            } catch (IOException ignored) {
                // the browser ended
            }
            found.completeExceptionally(new IllegalStateException("chromium ended before listening"));
        }, "chromium-stderr");
        reader.setDaemon(true);
        reader.start();
        port = found.get(30, TimeUnit.SECONDS);
    }

    /** Opens a new tab on {@code url}. */
    Tab open(String url) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/json/new?about:blank")).PUT(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode target = JSON.readTree(r.body());
        Tab tab = new Tab(http, target.path("webSocketDebuggerUrl").asText());
        tab.call("Page.enable", Map.of());
        tab.call("Runtime.enable", Map.of());
        tab.call("Page.navigate", Map.of("url", url));
        tab.waitFor("document.readyState === 'complete'", Duration.ofSeconds(15));
        return tab;
    }

    @Override
    public void close() throws IOException {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (var files = Files.walk(profile)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** One tab: DevTools commands over its WebSocket. */
    static final class Tab implements WebSocket.Listener, AutoCloseable {
        private final WebSocket ws;
        private final AtomicInteger ids = new AtomicInteger();
        private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
        private final StringBuilder partial = new StringBuilder();
        /** Console errors and uncaught exceptions of the page. */
        final java.util.List<String> pageErrors = new java.util.concurrent.CopyOnWriteArrayList<>();

        private Tab(HttpClient http, String url) throws Exception {
            ws = http.newWebSocketBuilder().buildAsync(URI.create(url), this).get(10, TimeUnit.SECONDS);
        }

        JsonNode call(String method, Map<String, ?> params) throws Exception {
            int id = ids.incrementAndGet();
            CompletableFuture<JsonNode> f = new CompletableFuture<>();
            pending.put(id, f);
            ObjectNode msg = JSON.createObjectNode().put("id", id).put("method", method);
            msg.set("params", JSON.valueToTree(params));
            ws.sendText(msg.toString(), true).get(10, TimeUnit.SECONDS);
            JsonNode reply = f.get(30, TimeUnit.SECONDS);
            if (reply.has("error")) {
                throw new IllegalStateException(method + " failed: " + reply.get("error"));
            }
            return reply.path("result");
        }

        /** Evaluates an expression in the page (promises awaited) and returns its value as JSON. */
        JsonNode eval(String expression) throws Exception {
            JsonNode r = call("Runtime.evaluate", Map.of("expression", expression, "returnByValue", true,
                    "awaitPromise", true));
            if (r.has("exceptionDetails")) {
                throw new IllegalStateException("page threw: " + r.get("exceptionDetails"));
            }
            return r.path("result").path("value");
        }

        /** The text an element shows. */
        String text(String selector) throws Exception {
            return eval("(document.querySelector(" + JSON.writeValueAsString(selector) + ") || {}).textContent || ''")
                    .asText();
        }

        void click(String selector) throws Exception {
            eval("document.querySelector(" + JSON.writeValueAsString(selector) + ").click(), true");
        }

        /** Waits until {@code condition} (a JavaScript expression) is true in the page. */
        void waitFor(String condition, Duration timeout) {
            try {
                Awaitility.await().atMost(timeout).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                        .until(() -> eval("!!(" + condition + ")").asBoolean());
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                String shown;
                try {
                    shown = eval("document.body ? document.body.innerText.slice(0, 3000) : ''").asText();
                } catch (Exception ex) {
                    shown = "(page unreadable: " + ex + ")";
                }
                throw new AssertionError("not true within " + timeout + ": " + condition + "\npage errors: "
                        + pageErrors + "\npage shows:\n" + shown, e);
            }
        }

        /** Puts a file into an {@code <input type=file>}. */
        void setFile(String selector, Path file) throws Exception {
            JsonNode doc = call("DOM.getDocument", Map.of());
            JsonNode node = call("DOM.querySelector", Map.of("nodeId", doc.path("root").path("nodeId").asInt(),
                    "selector", selector));
            call("DOM.setFileInputFiles", Map.of("nodeId", node.path("nodeId").asInt(),
                    "files", java.util.List.of(file.toAbsolutePath().toString())));
        }

        /** A PNG of the page (or of one element) written to {@code file}. */
        void screenshot(Path file, String selector) throws Exception {
            Map<String, Object> params = new java.util.HashMap<>(Map.of("format", "png"));
            if (selector != null) {
                JsonNode box = eval("(() => { const r = document.querySelector(" + JSON.writeValueAsString(selector)
                        + ").getBoundingClientRect(); return {x: r.x + scrollX, y: r.y + scrollY, w: r.width, h: r.height}; })()");
                params.put("clip", Map.of("x", box.path("x").asDouble(), "y", box.path("y").asDouble(),
                        "width", box.path("w").asDouble(), "height", box.path("h").asDouble(), "scale", 1));
            } else {
                params.put("captureBeyondViewport", true);
            }
            JsonNode shot = call("Page.captureScreenshot", params);
            Files.createDirectories(file.getParent());
            Files.write(file, Base64.getDecoder().decode(shot.path("data").asText()));
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    JsonNode msg = JSON.readTree(partial.toString());
                    if (msg.has("id")) {
                        CompletableFuture<JsonNode> f = pending.remove(msg.get("id").asInt());
                        if (f != null) {
                            f.complete(msg);
                        }
                    } else if ("Runtime.exceptionThrown".equals(msg.path("method").asText())) {
                        pageErrors.add(msg.path("params").path("exceptionDetails").toString());
                    }
                } catch (IOException e) {
                    pageErrors.add("unreadable DevTools message: " + e);
                }
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public void close() {
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "done");
        }
    }
}

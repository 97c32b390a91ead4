package dev.realtime.jakarta.sse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A raw SSE client over java.net.http: records every message (id, data) and comment in a queue. */
final class SseReader implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One SSE message; {@code comment} set for a comment line. */
    record Message(String id, JsonNode data, String comment) {
    }

    final HttpResponse<InputStream> response;
    private final BlockingQueue<Message> messages = new LinkedBlockingQueue<>();
    private final Thread reader;

    private SseReader(HttpResponse<InputStream> response) {
        this.response = response;
        this.reader = new Thread(this::read, "sse-test-reader");
        reader.setDaemon(true);
        reader.start();
    }

    static SseReader open(HttpClient http, String url, Map<String, String> headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("Accept", "text/event-stream");
        headers.forEach(b::header);
        return new SseReader(http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream()));
    }

    private void read() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String id = null;
            StringBuilder data = null;
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.isEmpty()) {
                    if (data != null) {
                        messages.add(new Message(id, JSON.readTree(data.toString()), null));
                    }
                    id = null;
                    data = null;
                } else if (line.startsWith(":")) {
                    messages.add(new Message(null, null, line.substring(1).trim()));
                } else if (line.startsWith("id: ")) {
                    id = line.substring(4);
                } else if (line.startsWith("data: ")) {
                    data = data == null ? new StringBuilder(line.substring(6)) : data.append('\n').append(line.substring(6));
                }
            }
        } catch (Exception e) {
            // the stream ended
        }
        messages.add(new Message(null, null, "EOF"));
    }

    /** The next data message of {@code type} (others skipped), within 10 s. */
    Message next(String type) throws InterruptedException {
        for (;;) {
            Message m = messages.poll(10, TimeUnit.SECONDS);
            if (m == null) {
                throw new AssertionError("no '" + type + "' message within 10 s");
            }
            if ("EOF".equals(m.comment()) && !type.equals("EOF")) {
                throw new AssertionError("the stream ended before a '" + type + "' message");
            }
            if (type.equals("EOF") && "EOF".equals(m.comment())) {
                return m;
            }
            if (type.equals(":") && m.comment() != null) {
                return m;
            }
            if (m.data() != null && m.data().path("type").asText().equals(type)) {
                return m;
            }
        }
    }

    @Override
    public void close() throws Exception {
        response.body().close();
    }
}

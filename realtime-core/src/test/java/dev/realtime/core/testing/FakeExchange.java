package dev.realtime.core.testing;

import dev.realtime.core.Handshake;
import dev.realtime.core.PollingExchange;
import dev.realtime.core.PollingResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** An in-process {@link PollingExchange}: the response lands in a future, the abort can be triggered. */
public final class FakeExchange implements PollingExchange {
    private final String method;
    private final Handshake request;
    private final byte[] body;
    private final CompletableFuture<PollingResponse> response = new CompletableFuture<>();
    private volatile Runnable abort;

    public FakeExchange(String method, String query, Map<String, String> headers, String body) {
        this.method = method;
        Map<String, List<String>> q = new LinkedHashMap<>();
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                q.put(pair.substring(0, eq), List.of(pair.substring(eq + 1)));
            }
        }
        Map<String, List<String>> h = new LinkedHashMap<>();
        headers.forEach((k, v) -> h.put(k, List.of(v)));
        this.request = new Handshake("/socket.io/", h, q, "127.0.0.1");
        this.body = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
    }

    public static FakeExchange get(String query) {
        return new FakeExchange("GET", query, Map.of(), null);
    }

    public static FakeExchange post(String query, String body) {
        return new FakeExchange("POST", query, Map.of(), body);
    }

    @Override
    public String method() {
        return method;
    }

    @Override
    public Handshake request() {
        return request;
    }

    @Override
    public byte[] readBody(int maxBytes) {
        return body.length > maxBytes ? null : body;
    }

    @Override
    public void respond(PollingResponse r) {
        if (!response.complete(r)) {
            throw new AssertionError("responded twice");
        }
    }

    @Override
    public void onAbort(Runnable listener) {
        this.abort = listener;
    }

    /** The client goes away. */
    public void abort() {
        abort.run();
    }

    public boolean answered() {
        return response.isDone();
    }

    /** The response, waiting up to 5 s. */
    public PollingResponse response() {
        try {
            return response.get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("no response within 5 s", e);
        }
    }
}

package dev.realtime.jakarta.socketio;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A bare WebSocket (JDK client) that speaks Engine.IO by hand: records text frames, never answers pings on its
 * own, and reports the close code. For the protocol violations no real client commits.
 */
public final class RawSocket implements AutoCloseable, WebSocket.Listener {
    public record Refusal(int status, String body) {
    }

    private final BlockingQueue<String> texts = new LinkedBlockingQueue<>();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final StringBuilder partial = new StringBuilder();
    private WebSocket ws;

    public static RawSocket open(int port, String pathAndQuery) throws Exception {
        RawSocket s = new RawSocket();
        s.ws = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + port + pathAndQuery), s).get(5, TimeUnit.SECONDS);
        return s;
    }

    /** Attempts an upgrade that the server must refuse; returns its HTTP status and body. */
    public static Refusal refused(int port, String pathAndQuery) throws Exception {
        try {
            open(port, pathAndQuery).close();
            throw new AssertionError("the upgrade was accepted");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException h) {
                Object body = h.getResponse().body();
                return new Refusal(h.getResponse().statusCode(), body == null ? "" : body.toString());
            }
            throw e;
        }
    }

    public String nextText() throws InterruptedException {
        String s = texts.poll(5, TimeUnit.SECONDS);
        if (s == null) {
            throw new AssertionError("no text frame within 5 s");
        }
        return s;
    }

    public void send(String text) {
        ws.sendText(text, true).join();
    }

    /** Sends, tolerating a server that closes while the frame is still being written (oversized frames). */
    public void sendQuietly(String text) {
        try {
            ws.sendText(text, true).join();
        } catch (java.util.concurrent.CompletionException e) {
            // the server closed first; the close code tells the outcome
        }
    }

    public void sendBinaryQuietly(byte[] data) {
        try {
            sendBinary(data);
        } catch (java.util.concurrent.CompletionException e) {
            // as above
        }
    }

    /** Sends a WebSocket ping frame (the server's container answers with a pong). */
    public void ping() {
        ws.sendPing(java.nio.ByteBuffer.wrap(new byte[] {1})).join();
    }

    public void sendBinary(byte[] data) {
        ws.sendBinary(java.nio.ByteBuffer.wrap(data), true).join();
    }

    /** The next text frame that is not an Engine.IO ping ("2") or a native ping. */
    public String nextNonPing() throws InterruptedException {
        while (true) {
            String s = nextText();
            if (!s.equals("2") && !s.equals("{\"type\":\"ping\"}")) {
                return s;
            }
        }
    }

    /** Every text frame received and not yet read. */
    public java.util.List<String> drainTexts() {
        java.util.List<String> out = new java.util.ArrayList<>();
        texts.drainTo(out);
        return out;
    }

    public boolean awaitClose(long millis) {
        try {
            closed.get(millis, TimeUnit.MILLISECONDS);
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    public int closeCode() {
        return closed.getNow(-1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            texts.add(partial.toString());
            partial.setLength(0);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closed.complete(statusCode);
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closed.complete(1006);
    }

    @Override
    public void close() {
        if (ws != null) {
            ws.abort();
        }
    }
}

package dev.realtime.spring;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.Principal;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.springframework.http.HttpHeaders;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketExtension;
import org.springframework.web.socket.WebSocketMessage;
import org.springframework.web.socket.WebSocketSession;

/**
 * A {@link WebSocketSession} fake without a native Jakarta session (so sends take the executor path), recording
 * sent text frames, the sending threads and the close status. {@link #failSends} makes {@code sendMessage} throw.
 */
final class RecordingSession implements WebSocketSession {
    final BlockingQueue<String> sent = new LinkedBlockingQueue<>();
    final BlockingQueue<String> sendThreads = new LinkedBlockingQueue<>();
    final BlockingQueue<CloseStatus> closes = new LinkedBlockingQueue<>();
    private final Map<String, Object> attributes = new ConcurrentHashMap<>();
    private final HttpHeaders headers = new HttpHeaders();
    private final URI uri;
    volatile boolean failSends;
    private volatile boolean open = true;

    RecordingSession(String uri, Map<String, String> headers) {
        this.uri = URI.create(uri);
        headers.forEach(this.headers::add);
    }

    String nextSent() throws InterruptedException {
        String s = sent.poll(5, TimeUnit.SECONDS);
        if (s == null) {
            throw new AssertionError("nothing sent within 5 s");
        }
        return s;
    }

    CloseStatus nextClose() throws InterruptedException {
        CloseStatus s = closes.poll(5, TimeUnit.SECONDS);
        if (s == null) {
            throw new AssertionError("not closed within 5 s");
        }
        return s;
    }

    @Override
    public void sendMessage(WebSocketMessage<?> message) throws IOException {
        sendThreads.add(Thread.currentThread().getName());
        if (failSends) {
            throw new IOException("broken pipe");
        }
        if (message instanceof TextMessage text) {
            sent.add(text.getPayload());
        }
    }

    @Override
    public void close(CloseStatus status) {
        open = false;
        closes.add(status);
    }

    @Override
    public void close() {
        close(CloseStatus.NORMAL);
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public String getId() {
        return "fake-1";
    }

    @Override
    public URI getUri() {
        return uri;
    }

    @Override
    public HttpHeaders getHandshakeHeaders() {
        return headers;
    }

    @Override
    public Map<String, Object> getAttributes() {
        return attributes;
    }

    @Override
    public Principal getPrincipal() {
        return null;
    }

    @Override
    public InetSocketAddress getLocalAddress() {
        return new InetSocketAddress("127.0.0.1", 8080);
    }

    @Override
    public InetSocketAddress getRemoteAddress() {
        return new InetSocketAddress("10.1.2.3", 40000);
    }

    @Override
    public String getAcceptedProtocol() {
        return null;
    }

    @Override
    public void setTextMessageSizeLimit(int messageSizeLimit) {
    }

    @Override
    public int getTextMessageSizeLimit() {
        return 0;
    }

    @Override
    public void setBinaryMessageSizeLimit(int messageSizeLimit) {
    }

    @Override
    public int getBinaryMessageSizeLimit() {
        return 0;
    }

    @Override
    public List<WebSocketExtension> getExtensions() {
        return List.of();
    }
}

package dev.realtime.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;

/**
 * One raw-NIO HTTP/1.1 keep-alive connection of the long-polling harness ({@link PollingClients} with the
 * {@code nio} client): one request at a time, answered in order; the response's body by {@code Content-Length} or
 * chunked, decoded as UTF-8. Connects on the first request and again after the server closed it (or answered with
 * {@code Connection: close}). A server that closes its end after every response although it announced keep-alive
 * (netty-socketio's polling transport does) is learned when a request meets a connection it had already closed:
 * that request is sent again, once, on a new connection, and from then on each request gets a connection of its
 * own, as a browser's would. Confined to its loop's thread: {@link #request} hands itself over when called from
 * another one, and the returned future completes on the loop thread.
 */
final class NioHttpConn implements NioClients.Handler {
    /** A response: status and body. */
    record Response(int status, String body) {
    }

    private static final int MAX_RESPONSE = 64 << 20;
    private final NioClients.Loop loop;
    private final int port;
    private final Outbox out = new Outbox();
    private SocketChannel channel;
    private SelectionKey key;
    private boolean connected;
    /** The request waiting for its response, or null. */
    private CompletableFuture<Response> current;
    /** Bytes of the response so far (write mode). */
    private ByteBuffer in = ByteBuffer.allocate(4096);
    private boolean closeAfter;
    /** The request in flight, from its start, for the one resend after a stale connection. */
    private ByteBuffer sent;
    /** Whether the request in flight was already sent again. */
    private boolean resent;
    /** Learned: the server closes the connection after each response (so each request opens a new one). */
    private boolean serverCloses;

    NioHttpConn(NioClients.Loop loop, int port) {
        this.loop = loop;
        this.port = port;
    }

    /** Sends one request (at most one in flight per connection); its response, completed on the loop thread. */
    CompletableFuture<Response> request(String method, String target, String body) {
        CompletableFuture<Response> f = new CompletableFuture<>();
        byte[] b = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        String head = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n"
                + (body == null ? "" : "Content-Type: text/plain;charset=UTF-8\r\nContent-Length: " + b.length + "\r\n")
                + "\r\n";
        byte[] h = head.getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer req = ByteBuffer.allocate(h.length + b.length).put(h).put(b).flip();
        if (Thread.currentThread() == loop.thread) {
            start(f, req);
        } else {
            loop.execute(() -> start(f, req));
        }
        return f;
    }

    private void start(CompletableFuture<Response> f, ByteBuffer req) {
        if (current != null) {
            f.completeExceptionally(new IllegalStateException("a request is in flight on this connection"));
            return;
        }
        if (!loop.running()) {
            f.completeExceptionally(new IllegalStateException("client closed"));
            return;
        }
        current = f;
        sent = req.duplicate();
        resent = false;
        send(req);
    }

    private void send(ByteBuffer req) {
        try {
            if (channel == null) {
                channel = SocketChannel.open();
                channel.configureBlocking(false);
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                key = channel.register(loop.selector, 0, this);
                out.hold(req);
                if (channel.connect(new InetSocketAddress("127.0.0.1", port))) {
                    connected();
                } else {
                    key.interestOps(SelectionKey.OP_CONNECT);
                }
            } else {
                write(req);
            }
        } catch (IOException | RuntimeException e) {
            fail(e);
        }
    }

    @Override
    public void connected() throws IOException {
        connected = true;
        key.interestOps(SelectionKey.OP_READ);
        ByteBuffer first = out.take();
        if (first != null) {
            write(first);
        }
    }

    @Override
    public SocketChannel channel() {
        return channel;
    }

    @Override
    public boolean live() {
        return channel != null && connected;
    }

    @Override
    public void read() throws IOException {
        ByteBuffer shared = loop.readBuffer;
        SocketChannel reading = channel;
        // a response with Connection: close ends this channel, and its callback may already have opened the next
        while (channel == reading && reading != null) {
            shared.clear();
            int n = channel.read(shared);
            if (n < 0) {
                serverClosed();
                return;
            }
            if (n == 0) {
                return;
            }
            shared.flip();
            if (in.remaining() < n) {
                if (in.position() + n > MAX_RESPONSE) {
                    fail(new IllegalStateException("response over " + MAX_RESPONSE + " bytes"));
                    return;
                }
                ByteBuffer bigger = ByteBuffer.allocate(Math.max(in.capacity() * 2, in.position() + n));
                in.flip();
                in = bigger.put(in);
            }
            in.put(shared);
            parse();
            if (n < shared.capacity()) {
                return;
            }
        }
    }

    /**
     * The server closed the connection. Nothing is lost when no request was in flight (an idle connection closed:
     * the next request connects again). A request none of whose answer had arrived, and not sent again already, met
     * a connection the server closed after its previous answer, before it read this request: it goes out once more
     * on a new connection, and the server is taken for one that closes after every answer. Otherwise the request
     * fails.
     */
    private void serverClosed() {
        if (current == null) {
            closeChannel();
        } else if (in.position() == 0 && !resent) {
            serverCloses = true;
            resent = true;
            closeChannel();
            send(sent.duplicate());
        } else {
            fail(new IllegalStateException("connection closed by the server"));
        }
    }

    /** Completes the current request when its whole response is in {@link #in}. */
    private void parse() {
        if (current == null) {
            if (in.position() > 0) {
                fail(new IllegalStateException("bytes from the server with no request in flight"));
            }
            return;
        }
        byte[] a = in.array();
        int len = in.position();
        int headEnd = indexOf(a, len, 0);
        if (headEnd < 0) {
            return;
        }
        String head = new String(a, 0, headEnd, StandardCharsets.ISO_8859_1);
        int status = Integer.parseInt(head.substring(9, 12));
        String lower = head.toLowerCase(Locale.ROOT);
        int bodyStart = headEnd + 4;
        String body;
        int end;
        int cl = lower.indexOf("\r\ncontent-length:");
        if (lower.contains("\r\ntransfer-encoding: chunked")) {
            int at = bodyStart;
            java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
            while (true) {
                int lineEnd = indexOfCrlf(a, len, at);
                if (lineEnd < 0) {
                    return;
                }
                String sizeLine = new String(a, at, lineEnd - at, StandardCharsets.ISO_8859_1);
                int semi = sizeLine.indexOf(';');
                int size = Integer.parseInt((semi < 0 ? sizeLine : sizeLine.substring(0, semi)).trim(), 16);
                int dataStart = lineEnd + 2;
                if (size == 0) {
                    int trailerEnd = indexOf(a, len, lineEnd); // "0\r\n\r\n" (no trailers)
                    if (trailerEnd < 0) {
                        return;
                    }
                    end = trailerEnd + 4;
                    break;
                }
                if (dataStart + size + 2 > len) {
                    return;
                }
                bytes.write(a, dataStart, size);
                at = dataStart + size + 2;
            }
            body = bytes.toString(StandardCharsets.UTF_8);
        } else if (cl >= 0) {
            int valueEnd = lower.indexOf("\r\n", cl + 2);
            int length = Integer.parseInt(lower.substring(cl + 17, valueEnd < 0 ? lower.length() : valueEnd).trim());
            if (bodyStart + length > len) {
                return;
            }
            body = new String(a, bodyStart, length, StandardCharsets.UTF_8);
            end = bodyStart + length;
        } else {
            fail(new IllegalStateException("response without Content-Length or chunked body: " + head));
            return;
        }
        closeAfter = lower.contains("\r\nconnection: close");
        // keep what follows (nothing, with one request at a time)
        int rest = len - end;
        System.arraycopy(a, end, a, 0, rest);
        in.position(rest);
        CompletableFuture<Response> f = current;
        current = null;
        if (closeAfter || serverCloses) {
            closeChannel();
        }
        f.complete(new Response(status, body));
    }

    private static int indexOf(byte[] a, int len, int from) {
        for (int i = Math.max(0, from); i + 3 < len; i++) {
            if (a[i] == '\r' && a[i + 1] == '\n' && a[i + 2] == '\r' && a[i + 3] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private static int indexOfCrlf(byte[] a, int len, int from) {
        for (int i = from; i + 1 < len; i++) {
            if (a[i] == '\r' && a[i + 1] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private void write(ByteBuffer b) throws IOException {
        out.write(channel, key, b);
    }

    @Override
    public void flush() throws IOException {
        out.flush(channel, key);
    }

    /** Closes the connection on its loop thread (a request in flight fails); a later request connects again. */
    void close() {
        loop.execute(() -> fail(new IllegalStateException("closed by the client")));
    }

    /** Closes the channel; the request in flight (if any) fails; the next request connects again. */
    @Override
    public void fail(Throwable why) {
        closeChannel();
        CompletableFuture<Response> f = current;
        current = null;
        if (f != null) {
            f.completeExceptionally(why);
        }
    }

    private void closeChannel() {
        if (channel != null) {
            try {
                channel.close(); // cancels the key
            } catch (IOException ignored) {
                // closed anyway
            }
        }
        channel = null;
        key = null;
        connected = false;
        out.clear();
        in.clear();
    }
}

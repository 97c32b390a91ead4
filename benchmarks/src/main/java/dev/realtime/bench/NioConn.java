package dev.realtime.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * One raw-NIO WebSocket connection of {@link NioClients}: non-blocking connect, the hand-written upgrade, RFC 6455
 * frame parsing straight from the loop's read buffer (partial frames and several frames per read; a frame split
 * over reads is kept in a per-connection heap buffer sized to it, up to {@link #MAX_FRAME}), text and continuation
 * frames, ping → pong, close; and the native or Socket.IO protocol state machine of {@link JdkClients}, on bytes:
 * an event is scanned for its {@code "ts":} number (and {@code "offset":} when resuming), never decoded.
 *
 * <p>Confined to its loop's thread except {@link #abort}, which hands the close to that thread. Sends are rare
 * (upgrade, subscribe, pongs): written at once, the unwritten rest queued until the channel is writable.
 */
final class NioConn extends Clients.Conn implements NioClients.Handler {
    /** The largest frame or fragmented message accepted (history replays are a few MB). */
    static final int MAX_FRAME = 64 << 20;
    private static final int MAX_HEAD = 16 << 10;
    private static final byte[] HEAD_END = WsCodec.ascii("\r\n\r\n");
    private static final byte[] TS = WsCodec.ascii("\"ts\":");
    private static final byte[] OFFSET = WsCodec.ascii("\"offset\":");
    private static final byte[] N_EVENT = WsCodec.ascii("{\"type\":\"event\"");
    private static final byte[] N_SUBSCRIBED = WsCodec.ascii("{\"type\":\"subscribed\"");
    private static final byte[] N_PING = WsCodec.ascii("{\"type\":\"ping\"");
    private static final byte[] N_ERROR = WsCodec.ascii("{\"type\":\"error\"");
    private static final byte[] N_PONG = WsCodec.ascii("{\"type\":\"pong\"}");
    private static final byte[] S_EVENT = WsCodec.ascii("42/jobs,");
    private static final byte[] S_PING = WsCodec.ascii("2");
    private static final byte[] S_PONG = WsCodec.ascii("3");
    private static final byte[] S_OPEN = WsCodec.ascii("0{");
    private static final byte[] S_CONNECT = WsCodec.ascii("40/jobs,");
    private static final byte[] S_ACK = WsCodec.ascii("43/jobs,0");
    private static final byte[] S_SUCCESS = WsCodec.ascii("\"success\":true");
    private static final byte[] S_CONNECT_ERROR = WsCodec.ascii("44");
    private static final byte[] S_CLOSE = WsCodec.ascii("1");

    private final int port;
    private final NioClients.Loop loop;
    private final String key = WsCodec.newKey();
    private final Outbox out = new Outbox();
    private SocketChannel channel;
    private SelectionKey selectionKey;
    private boolean upgraded;
    private boolean closed;
    /** Bytes of an unfinished head or frame, in write mode; null when there are none. */
    private ByteBuffer pending;
    /** The fragments of an unfinished message (text or binary frame without FIN, then continuations). */
    private byte[] fragments;
    private int fragmentsLength;

    NioConn(Clients.Protocol protocol, String room, long since, int resumeTarget, int port, NioClients.Loop loop) {
        super(protocol, room, since, resumeTarget);
        this.port = port;
        this.loop = loop;
    }

    /** On the loop: opens the channel and starts the non-blocking connect. */
    void start() {
        if (closed) {
            return;
        }
        if (!loop.running()) {
            fail(new IllegalStateException("client closed"));
            return;
        }
        try {
            channel = SocketChannel.open();
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            selectionKey = channel.register(loop.selector, 0, this);
            if (channel.connect(new InetSocketAddress("127.0.0.1", port))) {
                connected();
            } else {
                selectionKey.interestOps(SelectionKey.OP_CONNECT);
            }
        } catch (IOException | RuntimeException e) {
            fail(e);
        }
    }

    @Override
    void abort() {
        loop.execute(() -> fail(new IllegalStateException("aborted")));
    }

    @Override
    public SocketChannel channel() {
        return channel;
    }

    @Override
    public boolean live() {
        return !closed;
    }

    /** Completes {@code subscribed} (and {@code resumeDone}) with {@code why} unless done, and closes the channel. */
    @Override
    public void fail(Throwable why) {
        subscribed.completeExceptionally(why);
        if (resumeDone != null) {
            resumeDone.completeExceptionally(why);
        }
        if (closed) {
            return;
        }
        closed = true;
        pending = null;
        fragments = null;
        out.clear();
        if (channel != null) {
            try {
                channel.close(); // cancels the key
            } catch (IOException ignored) {
                // closed anyway
            }
        }
    }

    @Override
    public void connected() throws IOException {
        selectionKey.interestOps(SelectionKey.OP_READ);
        write(WsCodec.upgradeRequest(port, protocol == Clients.Protocol.NATIVE
                ? "/ws" : "/socket.io/?EIO=4&transport=websocket", key));
    }

    @Override
    public void read() throws IOException {
        ByteBuffer shared = loop.readBuffer;
        while (!closed) {
            shared.clear();
            int n = channel.read(shared);
            if (n < 0) {
                fail(new IllegalStateException("connection closed by the server"
                        + (upgraded ? "" : " during the handshake")));
                return;
            }
            if (n == 0) {
                return;
            }
            shared.flip();
            ByteBuffer src = shared;
            if (pending != null) {
                pending = ensure(pending, shared.remaining());
                pending.put(shared).flip();
                src = pending;
            }
            int need = consume(src);
            if (closed) {
                return;
            }
            if (!src.hasRemaining()) {
                pending = null;
            } else if (src == shared) {
                pending = ensure(ByteBuffer.allocate(Math.max(need, 4096)), need).put(src);
            } else {
                pending = ensure(src.compact(), need - src.position());
            }
            if (n < shared.capacity()) {
                return; // drained: the socket had less than a buffer
            }
        }
    }

    /** {@code b} (write mode) with room for {@code more} bytes, grown (copied) when needed. */
    private static ByteBuffer ensure(ByteBuffer b, int more) {
        if (b.remaining() >= more) {
            return b;
        }
        ByteBuffer bigger = ByteBuffer.allocate(Math.max(b.position() + more, b.capacity() * 2));
        return bigger.put(b.flip());
    }

    /**
     * Handles every complete head and frame in {@code src} (read mode), advancing its position past them.
     *
     * @return the bytes the next unfinished head or frame needs in all (from the new position), for the buffer size
     */
    private int consume(ByteBuffer src) {
        if (!upgraded) {
            int end = WsCodec.indexOf(src, src.position(), src.remaining(), HEAD_END);
            if (end < 0) {
                if (src.remaining() > MAX_HEAD) {
                    fail(new IllegalStateException("handshake: no end of the response head in " + MAX_HEAD + " bytes"));
                }
                return src.remaining() + 1024;
            }
            String why = WsCodec.checkUpgrade(WsCodec.string(src, src.position(), end - src.position()), key);
            if (why != null) {
                fail(new IllegalStateException(why));
                return 0;
            }
            upgraded = true;
            src.position(end + HEAD_END.length);
            if (protocol == Clients.Protocol.NATIVE) {
                send(nativeSubscribe());
            }
        }
        while (!closed) {
            int p = src.position();
            int avail = src.remaining();
            if (avail < 2) {
                return 2;
            }
            int b0 = src.get(p) & 0xFF;
            int b1 = src.get(p + 1) & 0xFF;
            int header = 2;
            long len = b1 & 0x7F;
            if (len == 126) {
                if (avail < 4) {
                    return 4;
                }
                len = src.getShort(p + 2) & 0xFFFF;
                header = 4;
            } else if (len == 127) {
                if (avail < 10) {
                    return 10;
                }
                len = src.getLong(p + 2);
                header = 10;
            }
            if ((b1 & 0x80) != 0 || (b0 & 0x70) != 0) {
                fail(new IllegalStateException("protocol error: masked or RSV-flagged server frame"));
                return 0;
            }
            if (len < 0 || len > MAX_FRAME) {
                fail(new IllegalStateException("frame of " + len + " bytes, over " + MAX_FRAME));
                return 0;
            }
            int total = header + (int) len;
            if (avail < total) {
                return total;
            }
            frame(b0, src, p + header, (int) len);
            src.position(p + total);
        }
        return 0;
    }

    private void frame(int b0, ByteBuffer b, int off, int len) {
        boolean fin = (b0 & 0x80) != 0;
        switch (b0 & 0x0F) {
            case WsCodec.OP_TEXT, WsCodec.OP_BINARY -> {
                if (fin) {
                    message(b, off, len);
                } else {
                    fragmentsLength = 0;
                    fragment(b, off, len);
                }
            }
            case WsCodec.OP_CONTINUATION -> {
                fragment(b, off, len);
                if (fin && !closed) {
                    int n = fragmentsLength;
                    fragmentsLength = 0;
                    message(ByteBuffer.wrap(fragments), 0, n);
                    if (fragments != null && fragments.length > (1 << 20)) {
                        fragments = null; // do not keep a replay-sized buffer per connection
                    }
                }
            }
            case WsCodec.OP_PING -> {
                byte[] payload = new byte[len];
                b.get(off, payload);
                write(WsCodec.frame(WsCodec.OP_PONG, payload));
            }
            case WsCodec.OP_PONG -> { }
            case WsCodec.OP_CLOSE -> {
                int code = len >= 2 ? b.getShort(off) & 0xFFFF : 1005;
                String reason = len > 2 ? WsCodec.string(b, off + 2, len - 2) : "";
                write(WsCodec.frame(WsCodec.OP_CLOSE, len >= 2 ? new byte[] {(byte) (code >> 8), (byte) code}
                        : new byte[0]));
                fail(new IllegalStateException("closed " + code + " " + reason));
            }
            default -> fail(new IllegalStateException("protocol error: opcode " + (b0 & 0x0F)));
        }
    }

    private void fragment(ByteBuffer b, int off, int len) {
        int need = fragmentsLength + len;
        if (need > MAX_FRAME) {
            fail(new IllegalStateException("message of over " + MAX_FRAME + " bytes"));
            return;
        }
        if (fragments == null || fragments.length < need) {
            byte[] bigger = new byte[Math.max(need, fragments == null ? 4096 : fragments.length * 2)];
            if (fragments != null) {
                System.arraycopy(fragments, 0, bigger, 0, fragmentsLength);
            }
            fragments = bigger;
        }
        b.get(off, fragments, fragmentsLength, len);
        fragmentsLength = need;
    }

    /** One complete message at {@code b[off, off + len)}: the protocol state machine (as {@link JdkClients}). */
    private void message(ByteBuffer b, int off, int len) {
        if (protocol == Clients.Protocol.NATIVE) {
            int ts = WsCodec.lastIndexOf(b, off, len, TS);
            if (ts >= 0 && WsCodec.startsWith(b, off, len, N_EVENT)) {
                event(b, off, len, ts);
            } else if (WsCodec.startsWith(b, off, len, N_SUBSCRIBED)) {
                subscribed.complete(WsCodec.number(b, WsCodec.indexOf(b, off, len, OFFSET) + OFFSET.length, off + len));
            } else if (WsCodec.startsWith(b, off, len, N_PING)) {
                write(WsCodec.frame(WsCodec.OP_TEXT, N_PONG));
            } else if (WsCodec.startsWith(b, off, len, N_ERROR)) {
                subscribed.completeExceptionally(new IllegalStateException(WsCodec.string(b, off, len)));
            }
        } else if (WsCodec.startsWith(b, off, len, S_EVENT)) {
            int ts = WsCodec.lastIndexOf(b, off, len, TS);
            if (ts >= 0) {
                event(b, off, len, ts);
            }
        } else if (WsCodec.equals(b, off, len, S_PING)) {
            write(WsCodec.frame(WsCodec.OP_TEXT, S_PONG));
        } else if (WsCodec.startsWith(b, off, len, S_OPEN)) {
            write(WsCodec.frame(WsCodec.OP_TEXT, S_CONNECT));
        } else if (WsCodec.startsWith(b, off, len, S_CONNECT)) {
            send(socketIoSubscribe());
        } else if (WsCodec.startsWith(b, off, len, S_ACK)) {
            if (WsCodec.indexOf(b, off, len, S_SUCCESS) >= 0) {
                subscribed.complete(0L);
            } else {
                subscribed.completeExceptionally(new IllegalStateException(WsCodec.string(b, off, len)));
            }
        } else if (WsCodec.startsWith(b, off, len, S_CONNECT_ERROR) || WsCodec.startsWith(b, off, len, S_CLOSE)) {
            subscribed.completeExceptionally(new IllegalStateException(WsCodec.string(b, off, len)));
        }
    }

    private void event(ByteBuffer b, int off, int len, int ts) {
        Clients.sink.record(WsCodec.number(b, ts + TS.length, off + len));
        if (resumeDone != null) {
            int o = WsCodec.indexOf(b, off, len, OFFSET);
            resumedEvent(o < 0 ? 0 : WsCodec.number(b, o + OFFSET.length, off + len));
        }
    }

    private void send(String text) {
        write(WsCodec.frame(WsCodec.OP_TEXT, text.getBytes(StandardCharsets.UTF_8)));
    }

    /** Writes what the socket takes now and queues the rest (in order) for {@link #flush}. */
    private void write(ByteBuffer frame) {
        if (closed) {
            return;
        }
        try {
            out.write(channel, selectionKey, frame);
        } catch (IOException e) {
            fail(e);
        }
    }

    @Override
    public void flush() throws IOException {
        out.flush(channel, selectionKey);
    }
}

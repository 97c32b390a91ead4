package dev.realtime.jakarta.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.realtime.core.ConnectionHandle;
import dev.realtime.core.Handshake;
import dev.realtime.core.Transport;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import org.glassfish.grizzly.WriteHandler;
import org.glassfish.grizzly.http.io.NIOOutputStream;
import org.glassfish.grizzly.http.server.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Server-Sent Events stream as a hub {@link Transport} speaking the native protocol: every outbound frame is
 * one SSE message ({@code data:} the frame; {@code id:} the room positions when the frame moved one, see
 * {@link SsePositions}); {@link #heartbeat()} writes a comment line when the stream is idle; {@link #close} sends
 * {@code {"type":"close","code":..,"reason":..}} and ends the response.
 *
 * <p><b>Writes.</b> Non-blocking: a frame is handed to Grizzly's asynchronous output and its completion reported
 * once Grizzly can take more ({@code canWrite}), so a slow reader holds no thread and is left to the hub's bounded
 * queue and slow-consumer timeout. At most one write is in flight; the few that may wait (the hub's next frame,
 * the close) queue behind it. The lock guards only that bookkeeping: no I/O and no callback runs under it.
 * Inbound frames (from {@code POST /sse/{stream}}) are fed to the hub one at a time under {@link #inbound}.
 */
final class SseStream implements Transport {
    private static final Logger log = LoggerFactory.getLogger(SseStream.class);

    /** One write waiting for the one in flight. */
    private record Write(byte[] bytes, SendCallback done, boolean last) {
    }

    private final String key;
    private final Handshake handshake;
    private final Response response;
    private final NIOOutputStream out;
    private final ObjectMapper mapper;
    private final SsePositions positions;
    private final Runnable onEnd;
    /** Serializes the frames fed to the hub. */
    final Object inbound = new Object();
    private final Object lock = new Object();
    /** Guarded by lock. */
    private boolean writing;
    private final ArrayDeque<Write> waiting = new ArrayDeque<>(2);
    private boolean closing;
    private boolean ended;
    private int closeCode = 1000;
    private String closeReason = "";
    private Write inFlight;
    /** Set once after attach; read by inbound posts and by the close path. */
    private volatile ConnectionHandle handle;

    SseStream(String key, Handshake handshake, Response response, ObjectMapper mapper, SsePositions positions,
              Runnable onEnd) {
        this.key = key;
        this.handshake = handshake;
        this.response = response;
        this.out = response.getNIOOutputStream();
        this.mapper = mapper;
        this.positions = positions;
        this.onEnd = onEnd;
    }

    String key() {
        return key;
    }

    void attach(ConnectionHandle handle) {
        this.handle = handle;
    }

    ConnectionHandle handle() {
        return handle;
    }

    /** Writes the stream's first bytes: the reconnect delay and the stream's key for its POST channel. */
    void open(long retryMillis) {
        String prelude = "retry: " + retryMillis + "\n: realtime sse\n\n"
                + "data: {\"type\":\"sse\",\"stream\":\"" + key + "\"}\n\n";
        enqueue(new Write(prelude.getBytes(StandardCharsets.UTF_8), null, false), false);
    }

    @Override
    public Handshake handshake() {
        return handshake;
    }

    @Override
    public void sendText(String text, SendCallback whenDone) {
        String id = positions.follow(text, mapper);
        StringBuilder sb = new StringBuilder(text.length() + 16 + (id == null ? 0 : id.length() + 5));
        if (id != null) {
            sb.append("id: ").append(id).append('\n');
        }
        for (String line : text.split("\n", -1)) {
            sb.append("data: ").append(line).append('\n');
        }
        sb.append('\n');
        enqueue(new Write(sb.toString().getBytes(StandardCharsets.UTF_8), whenDone, false), false);
    }

    @Override
    public void sendBinary(ByteBuffer data, SendCallback whenDone) {
        whenDone.done(new UnsupportedOperationException("binary frames cannot be sent over SSE"));
    }

    /** A comment line, only when nothing is being written (data flowing is its own heartbeat). */
    void heartbeat() {
        enqueue(new Write(": hb\n\n".getBytes(StandardCharsets.US_ASCII), null, false), true);
    }

    @Override
    public void close(int code, String reason) {
        String r = reason == null ? "" : reason;
        String frame = "data: {\"type\":\"close\",\"code\":" + code + ",\"reason\":" + quote(r) + "}\n\n";
        boolean busy;
        synchronized (lock) {
            if (closing || ended) {
                return;
            }
            closing = true;
            closeCode = code;
            closeReason = r;
            busy = writing;
        }
        if (busy && !out.canWrite()) {
            // a reader that takes nothing: no polite last message, the connection goes
            response.getRequest().getContext().getConnection().closeSilently();
            return;
        }
        enqueue(new Write(frame.getBytes(StandardCharsets.UTF_8), null, true), false);
    }

    /** The client went away (connection closed, response cancelled): fail what waits and tell the hub. */
    void gone() {
        Write failed;
        java.util.List<Write> dropped;
        synchronized (lock) {
            if (ended) {
                return;
            }
            ended = true;
            failed = inFlight;
            inFlight = null;
            dropped = new java.util.ArrayList<>(waiting);
            waiting.clear();
        }
        IOException e = new IOException("SSE client went away");
        if (failed != null && failed.done() != null) {
            failed.done().done(e);
        }
        dropped.forEach(w -> {
            if (w.done() != null) {
                w.done().done(e);
            }
        });
        ConnectionHandle h = handle;
        if (h != null) {
            h.onClose(1001, "SSE stream closed");
        }
        onEnd.run();
    }

    private void enqueue(Write w, boolean onlyIfIdle) {
        boolean refused = false;
        boolean start = false;
        synchronized (lock) {
            if (ended || (closing && !w.last())) {
                refused = true; // once the close is asked for, only the close message goes out
            } else if (writing) {
                if (!onlyIfIdle) {
                    waiting.add(w);
                }
            } else {
                writing = true;
                inFlight = w;
                start = true;
            }
        }
        if (refused && w.done() != null) {
            w.done().done(new IOException("SSE stream closed"));
        } else if (start) {
            write(w);
        }
    }

    private void write(Write w) {
        try {
            out.write(w.bytes());
            out.flush();
        } catch (IOException | RuntimeException e) {
            completed(w, e);
            return;
        }
        if (out.canWrite()) {
            completed(w, null);
            return;
        }
        out.notifyCanWrite(new WriteHandler() {
            @Override
            public void onWritePossible() {
                completed(w, null);
            }

            @Override
            public void onError(Throwable t) {
                completed(w, t);
            }
        });
    }

    private void completed(Write w, Throwable failure) {
        Write next;
        synchronized (lock) {
            if (inFlight != w) {
                return; // gone() already failed it
            }
            next = failure == null && !w.last() ? waiting.poll() : null;
            inFlight = next;
            writing = next != null;
        }
        if (w.done() != null) {
            w.done().done(failure);
        }
        if (failure != null) {
            log.debug("SSE write failed: {}", failure.toString());
            gone();
            return;
        }
        if (w.last()) {
            end();
            return;
        }
        if (next != null) {
            write(next);
        }
    }

    /** After the close message: the response ends (the browser sees the stream close). */
    private void end() {
        ConnectionHandle h = handle;
        int code;
        String reason;
        synchronized (lock) {
            if (ended) {
                return;
            }
            ended = true;
            code = closeCode;
            reason = closeReason;
        }
        try {
            response.resume();
        } catch (RuntimeException e) {
            log.debug("SSE response not resumed: {}", e.toString());
        }
        if (h != null) {
            h.onClose(code, reason);
        }
        onEnd.run();
    }

    private String quote(String s) {
        try {
            return mapper.writeValueAsString(s);
        } catch (IOException e) {
            return "\"\"";
        }
    }
}

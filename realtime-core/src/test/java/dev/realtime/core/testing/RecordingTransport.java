package dev.realtime.core.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.realtime.core.Handshake;
import dev.realtime.core.Transport;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * An in-process {@link Transport} that records every frame the hub writes, in the spirit of OkHttp's
 * WebSocketRecorder. In "slow" mode send completions are held back until {@link #release()}, which is how a
 * slow network looks to the hub's writer. Thread-safe.
 */
public final class RecordingTransport implements Transport {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Handshake handshake;
    private final BlockingQueue<Object> frames = new LinkedBlockingQueue<>();
    private final List<SendCallback> held = new ArrayList<>();
    private volatile boolean slow;
    private volatile int closeCode = -1;
    private volatile String closeReason;
    private final CountDownLatch closed = new CountDownLatch(1);

    public RecordingTransport(Handshake handshake) {
        this.handshake = handshake;
    }

    public RecordingTransport() {
        this(Handshake.of("/ws"));
    }

    /** Holds send completions until {@link #release()}: the hub sees one frame in flight forever. */
    public RecordingTransport slow() {
        slow = true;
        return this;
    }

    /** Completes held sends and stops holding. */
    public void release() {
        List<SendCallback> toRun;
        synchronized (held) {
            slow = false;
            toRun = new ArrayList<>(held);
            held.clear();
        }
        toRun.forEach(cb -> cb.done(null));
    }

    @Override
    public Handshake handshake() {
        return handshake;
    }

    @Override
    public void sendText(String text, SendCallback whenDone) {
        frames.add(text);
        complete(whenDone);
    }

    @Override
    public void sendBinary(ByteBuffer data, SendCallback whenDone) {
        byte[] b = new byte[data.remaining()];
        data.get(b);
        frames.add(b);
        complete(whenDone);
    }

    private void complete(SendCallback cb) {
        synchronized (held) {
            if (slow) {
                held.add(cb);
                return;
            }
        }
        cb.done(null);
    }

    @Override
    public void close(int code, String reason) {
        if (closeCode == -1) {
            closeCode = code;
            closeReason = reason;
        }
        closed.countDown();
    }

    /** The next frame as it was sent: a String for text, a byte[] for binary; waits up to 5 s. */
    public Object nextFrame() {
        try {
            Object f = frames.poll(5, TimeUnit.SECONDS);
            if (f == null) {
                throw new AssertionError("no frame within 5 s");
            }
            return f;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The next text frame, raw; fails on a binary frame. */
    public String nextText() {
        Object f = nextFrame();
        if (!(f instanceof String s)) {
            throw new AssertionError("expected a text frame, got binary");
        }
        return s;
    }

    /** The next text frame as JSON, waiting up to 5 s; fails when none arrives. */
    public JsonNode next() {
        try {
            Object f = frames.poll(5, TimeUnit.SECONDS);
            if (f == null) {
                throw new AssertionError("no frame within 5 s");
            }
            if (!(f instanceof String s)) {
                throw new AssertionError("expected a text frame, got binary");
            }
            return MAPPER.readTree(s);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } catch (java.io.IOException e) {
            throw new AssertionError("frame is not JSON", e);
        }
    }

    /** Skips frames until one matches, waiting up to 5 s per frame. */
    public JsonNode nextMatching(Predicate<JsonNode> p) {
        while (true) {
            JsonNode n = next();
            if (p.test(n)) {
                return n;
            }
        }
    }

    /** The next frame of the given type, skipping pings. */
    public JsonNode next(String type) {
        JsonNode n;
        do {
            n = next();
        } while ("ping".equals(n.path("type").asText()) && !"ping".equals(type));
        if (!type.equals(n.path("type").asText())) {
            throw new AssertionError("expected a '" + type + "' frame, got " + n);
        }
        return n;
    }

    /** Asserts no further frame (other than pings) arrives within {@code millis}. */
    public void assertNoMore(long millis) {
        try {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
            while (true) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                Object f = frames.poll(left, TimeUnit.NANOSECONDS);
                if (f == null) {
                    return;
                }
                if (f instanceof String s && s.contains("\"type\":\"ping\"")) {
                    continue;
                }
                throw new AssertionError("unexpected frame: " + f);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Every frame received so far, drained. */
    public List<Object> drain() {
        List<Object> out = new ArrayList<>();
        frames.drainTo(out);
        return out;
    }

    public boolean awaitClosed(long millis) throws InterruptedException {
        return closed.await(millis, TimeUnit.MILLISECONDS);
    }

    public int closeCode() {
        return closeCode;
    }

    public String closeReason() {
        return closeReason;
    }
}

package dev.realtime.jakarta.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.glassfish.grizzly.Buffer;
import org.glassfish.grizzly.ReadHandler;
import org.glassfish.grizzly.http.io.NIOInputStream;
import org.glassfish.grizzly.http.server.Request;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Collects a request body from Grizzly's non-blocking input for a suspended response: called on worker threads
 * as data arrives, never blocking one. Ends exactly once, in one of the {@link Sink}'s methods: the whole body,
 * past the limit, too slow ({@link #tooSlow}, called by the connection guard's sweep), or failed (the client went
 * away, or Grizzly reported an error). The sink answers and resumes the response. Thread-safe through its one-shot flag.
 */
final class BodyReader implements ReadHandler {
    private static final Logger log = LoggerFactory.getLogger(BodyReader.class);
    /** The most a large body is left to pile up in Grizzly's buffer before it is copied out. */
    private static final int WAKE_BYTES = 1 << 16;

    /** How a body read ends; exactly one method is called, once. */
    interface Sink {
        /** The whole body arrived. */
        void body(byte[] body) throws IOException;

        /** The body grew past the limit (answer 413). */
        void tooLarge() throws IOException;

        /** The body arrives below the minimum rate (answer 408 and close). */
        void tooSlow() throws IOException;

        /** Reading failed (the client went away, or the container reported an error): answer 400 and close. */
        void failed(Throwable t);
    }

    private final Request request;
    private final long maxBody;
    private final Sink sink;
    private final long declared;
    private final ByteArrayOutputStream out;
    private final AtomicBoolean done = new AtomicBoolean();

    /** {@code declared} is the Content-Length, or -1 for a chunked body. */
    BodyReader(Request request, long maxBody, long declared, Sink sink) {
        this.request = request;
        this.maxBody = maxBody;
        this.declared = declared;
        this.sink = sink;
        this.out = new ByteArrayOutputStream(declared > 0 ? (int) Math.min(declared, 1 << 20) : 1024);
    }

    /** Starts reading (the response must already be suspended). */
    void start() {
        request.getNIOInputStream().notifyAvailable(this);
    }

    /**
     * Takes what arrived and asks for more while the body has not all been parsed. Once Grizzly has parsed the last
     * piece it asks for nothing: {@link #onAllDataRead} follows on this thread. Asking again there forked a second
     * read of the connection that outlived the request, and that read now and then took the next keep-alive
     * request's body from its reader, which then waited for the guard's 408 (or failed with 400).
     */
    @Override
    public void onDataAvailable() throws Exception {
        if (drain() && request.getRequest().isExpectContent()) {
            // with a Content-Length, wake up when the rest is there, or the next 64 KiB of a large body
            long rest = declared - out.size();
            request.getNIOInputStream().notifyAvailable(this, rest > 0 ? (int) Math.min(rest, WAKE_BYTES) : 1);
        }
    }

    @Override
    public void onAllDataRead() throws Exception {
        if (drain() && done.compareAndSet(false, true)) {
            sink.body(out.toByteArray());
        }
    }

    @Override
    public void onError(Throwable t) {
        if (done.compareAndSet(false, true)) {
            log.info("request body of {} failed after {} bytes: {}", request.getRequestURI(), out.size(), t.toString());
            sink.failed(t);
        }
    }

    /** The guard's verdict: the body arrives below the minimum rate. */
    void tooSlow() {
        if (done.compareAndSet(false, true)) {
            log.debug("request body of {} too slow: {} bytes so far", request.getRequestURI(), out.size());
            try {
                sink.tooSlow();
            } catch (IOException | RuntimeException e) {
                log.debug("408 response failed: {}", e.toString());
            }
        }
    }

    /** Reads what is ready; false when the read is over (limit exceeded or already ended). */
    private boolean drain() throws IOException {
        if (done.get()) {
            return false;
        }
        NIOInputStream in = request.getNIOInputStream();
        int ready = in.readyData();
        if (ready > 0) {
            Buffer b = in.readBuffer(ready);
            try {
                if (out.size() + b.remaining() > maxBody) {
                    if (done.compareAndSet(false, true)) {
                        sink.tooLarge();
                    }
                    return false;
                }
                byte[] chunk = new byte[b.remaining()];
                b.get(chunk);
                out.write(chunk, 0, chunk.length);
            } finally {
                b.tryDispose();
            }
        }
        return true;
    }
}

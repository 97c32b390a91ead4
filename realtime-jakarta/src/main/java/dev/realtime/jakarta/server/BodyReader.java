package dev.realtime.jakarta.server;

import dev.realtime.core.ErrorCode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.glassfish.grizzly.Buffer;
import org.glassfish.grizzly.ReadHandler;
import org.glassfish.grizzly.http.io.NIOInputStream;
import org.glassfish.grizzly.http.server.Request;
import org.glassfish.grizzly.http.server.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Collects a request body from Grizzly's non-blocking input for a suspended response: called on worker threads
 * as data arrives, never blocking one. Finishes once, then resumes the response: with the sink's answer to the
 * whole body, 413 past the limit, 408 when the connection guard finds it too slow ({@link #tooSlow}, called on the
 * guard's thread), or nothing when the client went away. Thread-safe through its one-shot flag.
 */
final class BodyReader implements ReadHandler {
    private static final Logger log = LoggerFactory.getLogger(BodyReader.class);

    /** What to do with the outcome; both called at most once, before the response resumes. */
    interface Sink {
        /** The whole body arrived: answer the request. */
        void body(byte[] body) throws IOException;

        /** Answer with an error and close the connection. */
        void refuse(int status, ErrorCode code, String message) throws IOException;
    }

    private final Request request;
    private final Response response;
    private final long maxBody;
    private final Sink sink;
    private final ByteArrayOutputStream out;
    private final AtomicBoolean done = new AtomicBoolean();

    BodyReader(Request request, Response response, long maxBody, long declared, Sink sink) {
        this.request = request;
        this.response = response;
        this.maxBody = maxBody;
        this.sink = sink;
        this.out = new ByteArrayOutputStream(declared > 0 ? (int) Math.min(declared, 1 << 20) : 1024);
    }

    @Override
    public void onDataAvailable() throws Exception {
        if (drain()) {
            request.getNIOInputStream().notifyAvailable(this);
        }
    }

    @Override
    public void onAllDataRead() throws Exception {
        if (drain() && done.compareAndSet(false, true)) {
            try {
                sink.body(out.toByteArray());
            } finally {
                response.resume();
            }
        }
    }

    @Override
    public void onError(Throwable t) {
        if (done.compareAndSet(false, true)) {
            log.debug("request body of {} failed: {}", request.getRequestURI(), t.toString());
            response.resume();
        }
    }

    /** The guard's verdict: the body arrives below the minimum rate; answers 408 and closes. */
    void tooSlow() {
        if (done.compareAndSet(false, true)) {
            log.debug("request body of {} too slow: {} bytes so far", request.getRequestURI(), out.size());
            refuse(408, ErrorCode.BAD_REQUEST, "request body too slow: below the minimum rate");
        }
    }

    /** Reads what is ready; false when the reader is finished (limit exceeded or answered). */
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
                        refuse(413, ErrorCode.TOO_LARGE, "body exceeds " + maxBody + " bytes");
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

    private void refuse(int status, ErrorCode code, String message) {
        try {
            sink.refuse(status, code, message);
        } catch (IOException | RuntimeException e) {
            log.debug("error response failed: {}", e.toString());
        } finally {
            response.resume();
        }
    }
}

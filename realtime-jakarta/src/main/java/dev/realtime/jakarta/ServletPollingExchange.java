package dev.realtime.jakarta;

import dev.realtime.core.Handshake;
import dev.realtime.core.PollingExchange;
import dev.realtime.core.PollingResponse;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link PollingExchange} over Servlet async: the request is put in async mode (no timeout: Engine.IO's
 * ping bounds a waiting GET) so no container thread waits, the response is written by whichever thread
 * responds, then the async context completes. A container error or timeout on the async context is the
 * client going away.
 */
final class ServletPollingExchange implements PollingExchange, AsyncListener {
    private static final Logger log = LoggerFactory.getLogger(ServletPollingExchange.class);

    private final HttpServletRequest request;
    private final HttpServletResponse response;
    private final AsyncContext async;
    private final Handshake handshake;
    /** Guarded by this. */
    private boolean done;
    private Runnable abort;

    ServletPollingExchange(HttpServletRequest request, HttpServletResponse response) {
        this.request = request;
        this.response = response;
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (String name : Collections.list(request.getHeaderNames())) {
            headers.put(name, Collections.list(request.getHeaders(name)));
        }
        Map<String, List<String>> query = new LinkedHashMap<>();
        request.getParameterMap().forEach((k, v) -> query.put(k, List.of(v)));
        this.handshake = new Handshake(request.getRequestURI(), headers, query, request.getRemoteAddr());
        this.async = request.startAsync();
        async.setTimeout(0);
        async.addListener(this);
    }

    @Override
    public String method() {
        return request.getMethod().toUpperCase(Locale.ROOT);
    }

    @Override
    public Handshake request() {
        return handshake;
    }

    @Override
    public byte[] readBody(int maxBytes) throws IOException {
        long declared = request.getContentLengthLong();
        if (declared > maxBytes) {
            return null;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(declared > 0 ? (int) declared : 256);
        byte[] buf = new byte[8192];
        try (InputStream in = request.getInputStream()) {
            int n;
            while ((n = in.read(buf)) > 0) {
                if (out.size() + n > maxBytes) {
                    return null;
                }
                out.write(buf, 0, n);
            }
        }
        return out.toByteArray();
    }

    @Override
    public synchronized void onAbort(Runnable listener) {
        this.abort = listener;
    }

    @Override
    public void respond(PollingResponse r) {
        synchronized (this) {
            if (done) {
                return;
            }
            done = true;
        }
        try {
            response.setStatus(r.status());
            if (r.contentType() != null) {
                response.setContentType(r.contentType());
            }
            r.headers().forEach(response::setHeader);
            response.setContentLength(r.body().length);
            if (r.body().length > 0) {
                response.getOutputStream().write(r.body());
            }
        } catch (IOException | RuntimeException e) {
            log.debug("polling response not written: {}", e.toString());
        } finally {
            try {
                async.complete();
            } catch (IllegalStateException e) {
                log.debug("async context already finished: {}", e.toString());
            }
        }
    }

    private void aborted() {
        Runnable a;
        synchronized (this) {
            if (done) {
                return;
            }
            done = true;
            a = abort;
        }
        if (a != null) {
            a.run();
        }
    }

    @Override
    public void onComplete(AsyncEvent event) {
    }

    @Override
    public void onTimeout(AsyncEvent event) {
        aborted();
        event.getAsyncContext().complete();
    }

    @Override
    public void onError(AsyncEvent event) {
        aborted();
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
    }
}

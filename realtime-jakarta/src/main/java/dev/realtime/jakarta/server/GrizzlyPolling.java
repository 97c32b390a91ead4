package dev.realtime.jakarta.server;

import dev.realtime.core.EngineIoPolling;
import dev.realtime.core.Handshake;
import dev.realtime.core.PollingExchange;
import dev.realtime.core.PollingResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.glassfish.grizzly.CloseListener;
import org.glassfish.grizzly.Closeable;
import org.glassfish.grizzly.EmptyCompletionHandler;
import org.glassfish.grizzly.ICloseType;
import org.glassfish.grizzly.http.server.Request;
import org.glassfish.grizzly.http.server.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Engine.IO long-polling on the standalone server's Grizzly HTTP: moves each plain HTTP request to the Socket.IO
 * path into the hub's {@link EngineIoPolling} and back. A GET that has to wait is suspended (no thread held) and
 * resumed by whichever thread completes it; a client that closes the connection meanwhile aborts the exchange.
 * Stateless apart from the polling component it feeds.
 */
final class GrizzlyPolling {
    private static final Logger log = LoggerFactory.getLogger(GrizzlyPolling.class);

    private final EngineIoPolling polling;

    GrizzlyPolling(EngineIoPolling polling) {
        this.polling = polling;
    }

    /** Serves one request on a Grizzly worker thread. */
    void service(Request request, Response response) throws IOException {
        Exchange exchange = new Exchange(request, response);
        polling.handle(exchange);
        exchange.leaveService();
    }

    /** One exchange: answered inline when the core answers at once, suspended otherwise. */
    private static final class Exchange implements PollingExchange, CloseListener<Closeable, ICloseType> {
        private final Request request;
        private final Response response;
        private final Handshake handshake;
        /** Guarded by this: a response given while still in service(), and whether we suspended. */
        private PollingResponse early;
        private boolean suspended;
        private boolean answered;
        private Runnable abort;

        Exchange(Request request, Response response) {
            this.request = request;
            this.response = response;
            Map<String, List<String>> headers = new LinkedHashMap<>();
            for (String name : request.getHeaderNames()) {
                List<String> values = new ArrayList<>();
                request.getHeaders(name).forEach(values::add);
                headers.put(name, values);
            }
            this.handshake = new Handshake(request.getRequestURI(), headers,
                    HandshakeAdmissionFilter.query(request.getQueryString()), request.getRemoteAddr());
        }

        @Override
        public String method() {
            return request.getMethod().getMethodString().toUpperCase(Locale.ROOT);
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
                if (answered) {
                    return;
                }
                answered = true;
                if (!suspended) {
                    early = r; // written by leaveService, on the request's own thread
                    return;
                }
            }
            request.getConnection().removeCloseListener(this);
            try {
                write(r);
            } catch (IOException | RuntimeException e) {
                log.debug("polling response not written: {}", e.toString());
            } finally {
                response.resume();
            }
        }

        /** service() is about to return: write what is there, or suspend until respond(). */
        void leaveService() throws IOException {
            PollingResponse r;
            synchronized (this) {
                r = early;
                if (r == null) {
                    suspended = true;
                    response.suspend(-1, TimeUnit.MILLISECONDS, new EmptyCompletionHandler<>() {
                        @Override
                        public void cancelled() {
                            aborted();
                        }

                        @Override
                        public void failed(Throwable throwable) {
                            aborted();
                        }
                    });
                    request.getConnection().addCloseListener(this);
                    // Grizzly stops reading a connection whose response is suspended; read on, so that the
                    // client's close (a cancelled poll) is seen at once (clients send nothing else meanwhile:
                    // HTTP/1.1 without pipelining)
                    try {
                        request.getConnection().enableIOEvent(org.glassfish.grizzly.IOEvent.READ);
                    } catch (IOException | RuntimeException e) {
                        log.debug("cannot watch the polling connection: {}", e.toString());
                    }
                    return;
                }
            }
            write(r);
        }

        @Override
        public void onClosed(Closeable closeable, ICloseType type) {
            aborted();
        }

        private void aborted() {
            Runnable a;
            synchronized (this) {
                if (answered) {
                    return;
                }
                answered = true;
                a = abort;
            }
            if (a != null) {
                a.run();
            }
        }

        private void write(PollingResponse r) throws IOException {
            response.setStatus(r.status());
            if (r.contentType() != null) {
                response.setContentType(r.contentType());
            }
            r.headers().forEach(response::setHeader);
            response.setContentLength(r.body().length);
            if (r.body().length > 0) {
                response.getOutputStream().write(r.body());
            }
        }
    }
}

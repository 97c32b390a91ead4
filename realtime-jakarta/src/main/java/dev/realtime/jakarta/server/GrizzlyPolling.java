package dev.realtime.jakarta.server;

import dev.realtime.core.EngineIoPolling;
import dev.realtime.core.Handshake;
import dev.realtime.core.PollingExchange;
import dev.realtime.core.PollingResponse;
import java.io.IOException;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.glassfish.grizzly.EmptyCompletionHandler;
import org.glassfish.grizzly.http.server.Request;
import org.glassfish.grizzly.http.server.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Engine.IO long-polling on the standalone server's Grizzly HTTP: moves each plain HTTP request to the Socket.IO
 * path into the hub's {@link EngineIoPolling} and back. A GET that has to wait is suspended (no thread held); its
 * answer, given on any thread (a writer's, mostly), is written and the exchange finished on the connection's own
 * selector thread, which reads the next poll there too ({@link InlineReads}): one thread per connection, no
 * read-interest change handed across threads, and a burst of answers runs as one queue of selector tasks. A client
 * that closes the connection meanwhile aborts the exchange (Grizzly cancels a suspended response when its
 * connection closes; a close listener of our own per GET only doubled that, at two list locks per poll).
 * A POST body is read without holding a worker (suspended, non-blocking reads, at most {@code maxPayload + 1}
 * bytes, the connection guard's minimum rate) before the core sees the request.
 *
 * <p>A GET still waiting after {@link #WATCH_AFTER} has its connection read again, so that the client's close (a
 * cancelled poll) is seen from then on (Grizzly stops reading a connection whose response is suspended): a dropped
 * poll is noticed within {@code WATCH_AFTER} plus one sweep period (375 ms). Re-arming every suspended GET at
 * once cost a selector wake-up per poll cycle (5.7 % of the server's samples at 1,000 polling clients), and under
 * load most GETs are answered within milliseconds; {@link #start} runs the sweep on the server's timer.
 * Thread-safe; its state is the queue of GETs not yet watched.
 */
final class GrizzlyPolling {
    private static final Logger log = LoggerFactory.getLogger(GrizzlyPolling.class);

    private final EngineIoPolling polling;
    private final int maxBody;
    /** Times request bodies (slow uploads), or null. */
    private final ConnectionGuard guard;
    /** How long a GET waits before its connection is read again (see the class comment). */
    static final java.time.Duration WATCH_AFTER = java.time.Duration.ofMillis(250);
    /**
     * Suspended GETs whose connection is not read yet, oldest first. An answered GET clears its entry, so the queue
     * keeps no exchange alive; the sweep drops cleared entries.
     */
    private final java.util.concurrent.ConcurrentLinkedQueue<Watch> unwatched =
            new java.util.concurrent.ConcurrentLinkedQueue<>();

    /** A queue entry: the waiting exchange (null once answered) and when it was suspended (System.nanoTime). */
    private static final class Watch {
        volatile Exchange exchange;
        final long since;

        Watch(Exchange exchange, long since) {
            this.exchange = exchange;
            this.since = since;
        }
    }

    GrizzlyPolling(EngineIoPolling polling, int maxBody, ConnectionGuard guard) {
        this.polling = polling;
        this.maxBody = maxBody;
        this.guard = guard;
    }

    /** Starts the sweep that reads the connections of long-waiting GETs, on {@code timer} (the server's). */
    void start(java.util.concurrent.ScheduledExecutorService timer) {
        long every = WATCH_AFTER.toMillis() / 2;
        timer.scheduleWithFixedDelay(this::watchWaitingGets, every, every, TimeUnit.MILLISECONDS);
    }

    /** Reads on the connection of every GET suspended for {@link #WATCH_AFTER} or longer. */
    private void watchWaitingGets() {
        try {
            long now = System.nanoTime();
            Watch w;
            while ((w = unwatched.peek()) != null && now - w.since >= WATCH_AFTER.toNanos()) {
                unwatched.poll();
                Exchange e = w.exchange;
                if (e != null) {
                    e.watch();
                }
            }
        } catch (RuntimeException ex) {
            log.warn("polling watch sweep failed", ex);
        }
    }

    /** Serves one request on a Grizzly worker thread. */
    void service(Request request, Response response) throws IOException {
        long declared = request.getContentLengthLong();
        boolean chunked = declared < 0 && request.getHeader("Transfer-Encoding") != null;
        if (!"POST".equalsIgnoreCase(request.getMethod().getMethodString()) || declared == 0
                || (declared < 0 && !chunked) || declared > maxBody) {
            Exchange exchange = new Exchange(request, response, declared > maxBody ? null : new byte[0], false);
            polling.handle(exchange);
            exchange.leaveService();
            return;
        }
        response.suspend();
        BodyReader reader = new BodyReader(request, maxBody, declared, new BodyReader.Sink() {
            @Override
            public void body(byte[] body) {
                polling.handle(new Exchange(request, response, body, true));
            }

            @Override
            public void tooLarge() {
                polling.handle(new Exchange(request, response, null, true)); // the core answers 413
            }

            @Override
            public void tooSlow() {
                new Exchange(request, response, null, true).respond(new dev.realtime.core.PollingResponse(408,
                        null, java.util.Map.of("Connection", "close"), null));
            }

            @Override
            public void failed(Throwable t) {
                log.debug("polling POST body failed: {}", t.toString());
                response.resume();
            }
        });
        if (guard != null) {
            guard.onSlowBody(request.getContext().getConnection(), reader::tooSlow);
        }
        reader.start();
    }

    /** One exchange: answered inline when the core answers at once, suspended otherwise. */
    private final class Exchange implements PollingExchange {
        private final Request request;
        private final Response response;
        /** Built when the core asks for the whole request (a handshake, an error); guarded by this. */
        private Handshake handshake;
        /** What every poll reads, taken at once: the core may answer on another thread. */
        private final String origin;
        private final String query;
        /** Guarded by this: a response given while still in service(), and whether we suspended. */
        private PollingResponse early;
        private boolean suspended;
        private boolean answered;
        private Runnable abort;
        /** This GET's entry in the watch queue while it waits; guarded by this. */
        private Watch watch;

        /** The body, read before the exchange was made; null when it is over the limit. */
        private final byte[] body;

        Exchange(Request request, Response response, byte[] body, boolean suspended) {
            this.request = request;
            this.response = response;
            this.body = body;
            this.suspended = suspended;
            this.origin = request.getHeader("Origin");
            this.query = request.getQueryString();
        }

        @Override
        public String method() {
            return request.getMethod().getMethodString().toUpperCase(Locale.ROOT);
        }

        @Override
        public synchronized Handshake request() {
            if (handshake == null) {
                handshake = new Handshake(request.getRequestURI(), HttpApi.headers(request),
                        HandshakeAdmissionFilter.query(query), request.getRemoteAddr());
            }
            return handshake;
        }

        @Override
        public Optional<String> header(String name) {
            return "Origin".equalsIgnoreCase(name) ? Optional.ofNullable(origin) : request().header(name);
        }

        @Override
        public Optional<String> queryParam(String name) {
            return HandshakeAdmissionFilter.queryParam(query, name);
        }

        @Override
        public byte[] readBody(int maxBytes) {
            return body == null || body.length > maxBytes ? null : body;
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
                unwatch();
                if (!suspended) {
                    early = r; // written by leaveService, on the request's own thread
                    return;
                }
            }
            // finished on the connection's selector thread (see the class comment); inline when already there
            org.glassfish.grizzly.Connection<?> c = request.getContext().getConnection();
            if (c instanceof org.glassfish.grizzly.nio.NIOConnection nio && nio.getSelectorRunner() != null) {
                ((org.glassfish.grizzly.nio.NIOTransport) nio.getTransport()).getSelectorHandler().execute(
                        nio.getSelectorRunner(), () -> {
                    finish(r);
                    return true;
                }, null);
            } else {
                finish(r);
            }
        }

        private void finish(PollingResponse r) {
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
                    watch = new Watch(this, System.nanoTime());
                    unwatched.add(watch); // read on from WATCH_AFTER, if still waiting then
                    return;
                }
            }
            write(r);
        }

        /** Clears this GET's watch entry. Caller holds the lock. */
        private void unwatch() {
            if (watch != null) {
                watch.exchange = null;
                watch = null;
            }
        }

        /**
         * Still waiting: read on, so that the client's close is seen (clients send nothing else meanwhile: HTTP/1.1
         * without pipelining). Under the lock, so never after this exchange was answered; it only queues the
         * interest change for the selector thread.
         */
        synchronized void watch() {
            if (answered) {
                return;
            }
            try {
                request.getConnection().enableIOEvent(org.glassfish.grizzly.IOEvent.READ);
            } catch (IOException | RuntimeException e) {
                log.debug("cannot watch the polling connection: {}", e.toString());
            }
        }

        private void aborted() {
            Runnable a;
            synchronized (this) {
                if (answered) {
                    return;
                }
                answered = true;
                unwatch();
                a = abort;
            }
            if (a != null) {
                a.run();
            }
        }

        private void write(PollingResponse r) throws IOException {
            if (r.status() == 200) {
                response.setStatus(org.glassfish.grizzly.http.util.HttpStatus.OK_200); // no lookup of 200's reason
            } else {
                response.setStatus(r.status());
            }
            if (r.contentType() != null) {
                response.setContentType(r.contentType());
            }
            r.headers().forEach(response::setHeader);
            response.setContentLength(r.body().length);
            // the whole response must leave in Response.finish(), after Grizzly ended the exchange: bytes flushed
            // from here would let a fast client's next GET arrive on this connection while the exchange is still in
            // progress, and Grizzly would take it as this request's body (never answered). A buffer of the body's
            // size (512 B at least) also spares the 8 KB default a poll answer of 100 bytes would allocate.
            response.setBufferSize(r.body().length);
            if (r.body().length > 0) {
                response.getOutputStream().write(r.body());
            }
        }
    }
}

package dev.realtime.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * The client side of every scenario, in the harness JVM: JDK {@code java.net.http} WebSockets speaking either the
 * native protocol (subscribe / subscribed / event / ping-pong) or Socket.IO v4 over raw Engine.IO frames
 * ({@code 0} open, {@code 40/jobs,} connect, {@code 42/jobs,0["subscribe:jobs",..]} with ack, {@code 2}→{@code 3}).
 * The same code drives our server and every peer. Received events feed the current {@link Sink}: publish-to-receive
 * latency from the {@code ts} field (epoch microseconds, same OS clock) and delivery counts.
 */
final class Clients implements AutoCloseable {
    enum Protocol { NATIVE, SOCKET_IO }

    /** Where events go: one per measured phase. */
    static final class Sink {
        final Recorder latency = new Recorder(3_600_000_000L, 3);
        final LongAdder delivered = new LongAdder();
        volatile long lastNanos;

        void record(long tsMicros) {
            long lat = micros() - tsMicros;
            latency.recordValue(Math.max(0, Math.min(lat, 3_600_000_000L)));
            delivered.increment();
            lastNanos = System.nanoTime();
        }

        Histogram histogram() {
            return latency.getIntervalHistogram();
        }
    }

    static volatile Sink sink = new Sink();

    private final ExecutorService executor;
    private final List<HttpClient> http = new ArrayList<>();
    private final List<Conn> conns = new ArrayList<>();
    private final AtomicInteger next = new AtomicInteger();

    Clients() {
        executor = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "ws-client");
            t.setDaemon(true);
            return t;
        });
        for (int i = 0; i < 2; i++) { // two selector threads
            http.add(HttpClient.newBuilder().executor(executor).connectTimeout(Duration.ofSeconds(10)).build());
        }
    }

    static long micros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1000;
    }

    int size() {
        return conns.size();
    }

    /**
     * Opens {@code n} connections, connection i subscribed to {@code room.apply(i)}, at most 200 handshakes in
     * flight; returns when all are subscribed.
     *
     * @throws IllegalStateException when some fail or it takes longer than {@code timeout}
     */
    List<Conn> connect(Protocol protocol, int port, int n, java.util.function.IntFunction<String> room,
                       Duration timeout) {
        Semaphore inFlight = new Semaphore(200);
        List<CompletableFuture<Long>> all = new ArrayList<>(n);
        List<Conn> opened = new ArrayList<>(n);
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            for (int i = 0; i < n; i++) {
                if (!inFlight.tryAcquire(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    throw new IllegalStateException("connecting timed out after " + i + " of " + n);
                }
                Conn c = open(protocol, port, room.apply(i), -1);
                opened.add(c);
                c.subscribed.whenComplete((v, e) -> inFlight.release());
                all.add(c.subscribed);
            }
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))
                    .get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (Exception e) {
            long ok = all.stream().filter(f -> f.isDone() && !f.isCompletedExceptionally()).count();
            opened.forEach(Conn::abort);
            throw new IllegalStateException("connected and subscribed " + ok + " of " + n + ": " + e, e);
        }
        synchronized (conns) {
            conns.addAll(opened);
        }
        return opened;
    }

    /** One connection; {@code since >= 0} subscribes with history from that offset (native only). */
    Conn open(Protocol protocol, int port, String room, long since) {
        return open(protocol, port, room, since, 0);
    }

    /**
     * One connection; {@code since >= 0} subscribes with history from that offset (native only), and with
     * {@code resumeTarget > 0} its {@code resumeDone} completes once that many events above {@code since} arrived.
     */
    Conn open(Protocol protocol, int port, String room, long since, int resumeTarget) {
        String path = protocol == Protocol.NATIVE ? "/ws" : "/socket.io/?EIO=4&transport=websocket";
        Conn c = new Conn(protocol, room, since);
        if (resumeTarget > 0) {
            c.resumeTarget = resumeTarget;
            c.resumeDone = new CompletableFuture<>();
        }
        http.get(next.getAndIncrement() % http.size()).newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + port + path), c)
                .whenComplete((ws, e) -> {
                    if (e != null) {
                        c.subscribed.completeExceptionally(e);
                    }
                });
        return c;
    }

    /** Drops every connection (abort: no close handshake), and waits a moment for the server to notice. */
    void closeAll() {
        synchronized (conns) {
            conns.forEach(Conn::abort);
            conns.clear();
        }
    }

    @Override
    public void close() {
        closeAll();
        executor.shutdownNow();
    }

    /** One WebSocket: protocol state machine, sends serialized (the JDK allows one outstanding send). */
    static final class Conn implements WebSocket.Listener {
        final Protocol protocol;
        final String room;
        final long since;
        /** Completes with the subscribe offset (native) or 0 (Socket.IO) once the server confirmed. */
        final CompletableFuture<Long> subscribed = new CompletableFuture<>();
        /** Events received by this connection with an offset above {@code since} (resume). */
        final AtomicInteger resumed = new AtomicInteger();
        volatile CompletableFuture<Void> resumeDone;
        volatile int resumeTarget;
        private volatile WebSocket ws;
        private final StringBuilder partial = new StringBuilder();
        private CompletableFuture<?> sending = CompletableFuture.completedFuture(null);

        Conn(Protocol protocol, String room, long since) {
            this.protocol = protocol;
            this.room = room;
            this.since = since;
        }

        @Override
        public void onOpen(WebSocket webSocket) {
            this.ws = webSocket;
            webSocket.request(Long.MAX_VALUE);
            if (protocol == Protocol.NATIVE) {
                send("{\"type\":\"subscribe\",\"id\":\"1\",\"room\":\"" + room + "\""
                        + (since >= 0 ? ",\"since\":" + since : "") + "}");
            }
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            if (!last) {
                partial.append(data);
                return null;
            }
            String msg;
            if (partial.length() > 0) {
                partial.append(data);
                msg = partial.toString();
                partial.setLength(0);
            } else {
                msg = data.toString();
            }
            if (protocol == Protocol.NATIVE) {
                onNative(msg);
            } else {
                onSocketIo(msg);
            }
            return null;
        }

        private void onNative(String msg) {
            int ts = msg.lastIndexOf("\"ts\":");
            if (ts >= 0 && msg.startsWith("{\"type\":\"event\"")) {
                event(msg, ts);
            } else if (msg.startsWith("{\"type\":\"subscribed\"")) {
                subscribed.complete(number(msg, msg.indexOf("\"offset\":") + 9));
            } else if (msg.startsWith("{\"type\":\"ping\"")) {
                send("{\"type\":\"pong\"}");
            } else if (msg.startsWith("{\"type\":\"error\"")) {
                subscribed.completeExceptionally(new IllegalStateException(msg));
            }
        }

        private void onSocketIo(String msg) {
            if (msg.startsWith("42/jobs,")) {
                int ts = msg.lastIndexOf("\"ts\":");
                if (ts >= 0) {
                    event(msg, ts);
                }
            } else if (msg.equals("2")) {
                send("3");
            } else if (msg.startsWith("0{")) {
                send("40/jobs,");
            } else if (msg.startsWith("40/jobs,")) {
                String jobId = room.substring(room.indexOf(':') + 1);
                send("42/jobs,0[\"subscribe:jobs\",{\"jobId\":\"" + jobId + "\"}]");
            } else if (msg.startsWith("43/jobs,0")) {
                if (msg.contains("\"success\":true")) {
                    subscribed.complete(0L);
                } else {
                    subscribed.completeExceptionally(new IllegalStateException(msg));
                }
            } else if (msg.startsWith("44") || msg.startsWith("1")) {
                subscribed.completeExceptionally(new IllegalStateException(msg));
            }
        }

        private void event(String msg, int tsIndex) {
            Sink s = sink;
            s.record(number(msg, tsIndex + 5));
            CompletableFuture<Void> done = resumeDone;
            if (done != null) {
                long offset = number(msg, msg.indexOf("\"offset\":") + 9);
                if (offset > since && resumed.incrementAndGet() >= resumeTarget) {
                    done.complete(null);
                }
            }
        }

        static long number(String s, int from) {
            long v = 0;
            for (int i = from; i < s.length(); i++) {
                char ch = s.charAt(i);
                if (ch < '0' || ch > '9') {
                    break;
                }
                v = v * 10 + (ch - '0');
            }
            return v;
        }

        synchronized void send(String text) {
            WebSocket w = ws;
            sending = sending.handle((v, e) -> null).thenCompose(v -> w.sendText(text, true));
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            subscribed.completeExceptionally(new IllegalStateException("closed " + statusCode + " " + reason));
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            subscribed.completeExceptionally(error);
        }

        void abort() {
            WebSocket w = ws;
            if (w != null) {
                w.abort();
            }
        }
    }
}

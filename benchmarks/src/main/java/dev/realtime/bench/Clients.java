package dev.realtime.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntFunction;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * The WebSocket client side of every scenario, in the harness JVM: connections speaking either the native protocol
 * (subscribe / subscribed / event / ping-pong) or Socket.IO v4 over raw Engine.IO frames ({@code 0} open,
 * {@code 40/jobs,} connect, {@code 42/jobs,0["subscribe:jobs",..]} with ack, {@code 2}→{@code 3}). The same code
 * drives our server and every peer. Received events feed the current {@link Sink}: publish-to-receive latency from
 * the {@code ts} field (epoch microseconds, same OS clock) and delivery counts.
 *
 * <p>Two implementations ({@link #create}): {@link NioClients} (raw {@code java.nio}, 1 or 2 selector threads, the
 * default) and {@link JdkClients} ({@code java.net.http}). The harness's main thread calls {@link #connect},
 * {@link #open}, {@link #closeAll} and {@link #close}; these are not meant for concurrent callers. Protocol callbacks
 * run on the implementation's own threads and complete the futures of {@link Conn}.
 */
abstract class Clients implements AutoCloseable {
    /** What a connection speaks: the native JSON protocol on {@code /ws}, or Socket.IO v4 on Engine.IO. */
    enum Protocol { NATIVE, SOCKET_IO }

    /**
     * Where events go: one per measured phase, swapped in through {@link #sink} by the main thread. Thread-safe:
     * {@link #record} is called from every client thread at once.
     */
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

    private final List<Conn> conns = new ArrayList<>();

    /**
     * A client of the given kind: {@code "nio"} ({@code threads} selector threads) or {@code "jdk"} (threads
     * ignored: 2 HttpClients on a 4-thread executor, as before).
     */
    static Clients create(String kind, int threads) {
        return switch (kind) {
            case "nio" -> new NioClients(threads);
            case "jdk" -> new JdkClients();
            default -> throw new IllegalArgumentException("unknown client " + kind + "; use jdk or nio");
        };
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
     * flight; returns when all are subscribed. They stay open until {@link #closeAll}.
     *
     * @throws IllegalStateException when some fail or it takes longer than {@code timeout}
     */
    List<Conn> connect(Protocol protocol, int port, int n, IntFunction<String> room, Duration timeout) {
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
     * One connection, not tracked by {@link #closeAll} (the caller aborts it); {@code since >= 0} subscribes with
     * history from that offset (native only), and with {@code resumeTarget > 0} its {@code resumeDone} completes once
     * that many events above {@code since} arrived. Returns at once; failures complete {@code subscribed}.
     */
    abstract Conn open(Protocol protocol, int port, String room, long since, int resumeTarget);

    /** Drops every connection opened by {@link #connect} (no close handshake). */
    void closeAll() {
        synchronized (conns) {
            conns.forEach(Conn::abort);
            conns.clear();
        }
        awaitAborted();
    }

    /** Returns once the aborts issued so far took effect, where the implementation can tell (else at once). */
    void awaitAborted() {
    }

    /** Closes every connection and stops the threads this client started. */
    @Override
    public void close() {
        closeAll();
        shutdown();
    }

    /** Stops the implementation's threads; called once, by {@link #close}, on the main thread. */
    abstract void shutdown();

    /**
     * One WebSocket connection and its protocol state. The futures complete on the client's I/O threads;
     * {@link #abort} may be called from any thread.
     */
    abstract static class Conn {
        final Protocol protocol;
        final String room;
        final long since;
        /** Completes with the subscribe offset (native) or 0 (Socket.IO) once the server confirmed, else why not. */
        final CompletableFuture<Long> subscribed = new CompletableFuture<>();
        /** Events received by this connection with an offset above {@code since} (resume). */
        final AtomicInteger resumed = new AtomicInteger();
        volatile CompletableFuture<Void> resumeDone;
        volatile int resumeTarget;

        Conn(Protocol protocol, String room, long since, int resumeTarget) {
            this.protocol = protocol;
            this.room = room;
            this.since = since;
            if (resumeTarget > 0) {
                this.resumeTarget = resumeTarget;
                this.resumeDone = new CompletableFuture<>();
            }
        }

        /** The Socket.IO subscribe packet for this connection's room ({@code job:<id>}). */
        final String socketIoSubscribe() {
            String jobId = room.substring(room.indexOf(':') + 1);
            return "42/jobs,0[\"subscribe:jobs\",{\"jobId\":\"" + jobId + "\"}]";
        }

        /** The native subscribe message, with {@code since} when resuming. */
        final String nativeSubscribe() {
            return "{\"type\":\"subscribe\",\"id\":\"1\",\"room\":\"" + room + "\""
                    + (since >= 0 ? ",\"since\":" + since : "") + "}";
        }

        /** Counts an event with this offset towards {@code resumeDone}, when resuming. */
        final void resumedEvent(long offset) {
            CompletableFuture<Void> done = resumeDone;
            if (done != null && offset > since && resumed.incrementAndGet() >= resumeTarget) {
                done.complete(null);
            }
        }

        /** Closes the connection without a close handshake; idempotent. */
        abstract void abort();
    }
}

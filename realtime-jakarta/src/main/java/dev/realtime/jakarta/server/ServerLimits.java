package dev.realtime.jakarta.server;

import java.time.Duration;
import java.util.Objects;

/**
 * The HTTP-level limits of a {@link RealtimeServer}: what a slow or hostile client may hold. Every default lives
 * here:
 * <ul>
 *   <li>{@code headerTimeout} 10 s: a connection must complete its request headers within it (slowloris), else
 *       it is closed;</li>
 *   <li>{@code idleTimeout} 30 s: a plain HTTP keep-alive connection idle between requests is closed (WebSocket
 *       connections are governed by heartbeats instead);</li>
 *   <li>{@code bodyMinBytesPerSecond} 1,024 after {@code bodyGrace} 5 s: a request body arriving slower gets
 *       {@code 408} and the connection is closed. Bodies are read without holding a worker thread;</li>
 *   <li>{@code maxHeaderBytes} 16 KB: larger request heads get {@code 431};</li>
 *   <li>{@code workerThreads} {@code max(4, 2 × cores)} and {@code workerQueue} 10,000 tasks: the Grizzly worker
 *       pool that runs HTTP handlers and WebSocket callbacks;</li>
 *   <li>{@code sse}: the Server-Sent Events fallback ({@link Sse#defaults()}): 10,000 streams per server, 20 per
 *       client address, 50 rooms per stream, a heartbeat comment every 15 s on an idle stream, a
 *       {@code retry} of 1 s for the browser's own reconnects, and 100 messages per {@code POST}.</li>
 * </ul>
 * Body size limits are per route: {@link RealtimeServer.Builder#maxBodyBytes} (default 1 MB, also the publish
 * API's bound, never above the hub's frame limit) and the limit given to a route.
 *
 * @param headerTimeout         time from accept (or the end of the previous response) to complete headers
 * @param idleTimeout           time an HTTP keep-alive connection may sit idle between requests
 * @param bodyGrace             time before the minimum body rate is enforced
 * @param bodyMinBytesPerSecond the slowest acceptable average body rate after the grace period
 * @param maxHeaderBytes        the largest request line plus headers
 * @param workerThreads         Grizzly worker threads
 * @param workerQueue           tasks that may wait for a worker
 * @param sse                   the limits of the Server-Sent Events fallback
 * @since 0.2
 */
public record ServerLimits(Duration headerTimeout, Duration idleTimeout, Duration bodyGrace,
                           int bodyMinBytesPerSecond, int maxHeaderBytes, int workerThreads, int workerQueue,
                           Sse sse) {
    /**
     * What Server-Sent Events streams may hold ({@code GET /sse}); more streams are refused with a code
     * ({@code 503 unavailable} for the server, {@code 429 rate_limited} for one address).
     *
     * @param maxStreams            open streams per server
     * @param maxStreamsPerAddress  open streams per client address (behind trusted proxies, the forwarded one)
     * @param maxRooms              rooms one stream may follow ({@code ?rooms=} and {@code Last-Event-ID})
     * @param heartbeat             how often an idle stream gets a comment line (keeps proxies from timing it out)
     * @param retry                 the {@code retry:} the browser waits before its own reconnect
     * @param maxMessagesPerPost    native messages one {@code POST /sse/{stream}} may carry ({@code 413} beyond)
     * @since 0.2
     */
    public record Sse(int maxStreams, int maxStreamsPerAddress, int maxRooms, Duration heartbeat, Duration retry,
                      int maxMessagesPerPost) {
        public Sse {
            if (maxStreams < 1 || maxStreamsPerAddress < 1 || maxRooms < 1 || maxMessagesPerPost < 1) {
                throw new IllegalArgumentException(
                        "maxStreams, maxStreamsPerAddress, maxRooms and maxMessagesPerPost must be >= 1");
            }
            positive(heartbeat, "heartbeat");
            positive(retry, "retry");
        }

        /** The defaults listed in {@link ServerLimits}. */
        public static Sse defaults() {
            return new Sse(10_000, 20, 50, Duration.ofSeconds(15), Duration.ofSeconds(1), 100);
        }
    }

    public ServerLimits {
        java.util.Objects.requireNonNull(sse, "sse");
        positive(headerTimeout, "headerTimeout");
        positive(idleTimeout, "idleTimeout");
        positive(bodyGrace, "bodyGrace");
        if (bodyMinBytesPerSecond < 1 || maxHeaderBytes < 1024 || workerThreads < 1 || workerQueue < 1) {
            throw new IllegalArgumentException("bodyMinBytesPerSecond >= 1, maxHeaderBytes >= 1024, "
                    + "workerThreads >= 1 and workerQueue >= 1 required");
        }
    }

    /** The defaults listed in the class comment. */
    public static ServerLimits defaults() {
        return new ServerLimits(Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(5), 1024,
                16 * 1024, Math.max(4, 2 * Runtime.getRuntime().availableProcessors()), 10_000, Sse.defaults());
    }

    /** A copy with other header and idle timeouts. */
    public ServerLimits withTimeouts(Duration header, Duration idle) {
        return new ServerLimits(header, idle, bodyGrace, bodyMinBytesPerSecond, maxHeaderBytes, workerThreads,
                workerQueue, sse);
    }

    /** A copy with another minimum body rate, enforced after {@code grace}. */
    public ServerLimits withBodyRate(int minBytesPerSecond, Duration grace) {
        return new ServerLimits(headerTimeout, idleTimeout, grace, minBytesPerSecond, maxHeaderBytes, workerThreads,
                workerQueue, sse);
    }

    /** A copy with another worker pool. */
    public ServerLimits withWorkers(int threads, int queue) {
        return new ServerLimits(headerTimeout, idleTimeout, bodyGrace, bodyMinBytesPerSecond, maxHeaderBytes, threads,
                queue, sse);
    }

    /** A copy with another header size bound. */
    public ServerLimits withMaxHeaderBytes(int bytes) {
        return new ServerLimits(headerTimeout, idleTimeout, bodyGrace, bodyMinBytesPerSecond, bytes, workerThreads,
                workerQueue, sse);
    }

    /** A copy with other SSE limits. */
    public ServerLimits withSse(Sse sse) {
        return new ServerLimits(headerTimeout, idleTimeout, bodyGrace, bodyMinBytesPerSecond, maxHeaderBytes,
                workerThreads, workerQueue, sse);
    }

    private static void positive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + d);
        }
    }
}

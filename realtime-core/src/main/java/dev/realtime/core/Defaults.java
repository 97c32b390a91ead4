package dev.realtime.core;

import java.time.Duration;

/**
 * Every default of the library in one place: the hub builder, the in-memory stores, the Redis options and the
 * Spring Boot properties all start from these values (Socket.IO's are {@link SocketIoOptions#defaults()}, the
 * abuse limits {@link dev.realtime.core.security.Limits#defaults()}). Constants only.
 *
 * @since 0.2
 */
public final class Defaults {
    private Defaults() {
    }

    /** Native-protocol ping interval. */
    public static final Duration HEARTBEAT_INTERVAL = Duration.ofSeconds(30);
    /** How long a native client may stay silent after a ping. */
    public static final Duration HEARTBEAT_TIMEOUT = Duration.ofSeconds(10);
    /** Resolution of the Engine.IO heartbeat timers (one timer wheel per hub): a ping is at most this late. */
    public static final Duration TIMER_TICK = Duration.ofMillis(10);
    /** Events kept per history stream. */
    public static final int HISTORY_SIZE = 100;
    /** How long history entries are kept. */
    public static final Duration HISTORY_RETENTION = Duration.ofHours(24);
    /** Most events replayed on one resume; a longer gap is reported as not recovered. */
    public static final int REPLAY_LIMIT = 1000;
    /** Frames a connection's send queue holds before it counts as slow. */
    public static final int SEND_QUEUE_CAPACITY = 1024;
    /** Bytes a connection's send queue holds before it counts as slow (OkHttp's figure). */
    public static final long SEND_QUEUE_BYTES = 16L * 1024 * 1024;
    /** How long a send queue may stay over its bound before the connection is closed. */
    public static final Duration SLOW_CONSUMER_TIMEOUT = Duration.ofSeconds(10);
    /** Largest inbound frame, in bytes. */
    public static final int MAX_FRAME_BYTES = 1_000_000;
    /** Deepest JSON nesting accepted in inbound payloads. */
    public static final int MAX_NESTING_DEPTH = 32;
    /** Queued progress (conflatable) frames after which a new one replaces the older one of the same key. */
    public static final int CONFLATE_AFTER = 16;
    /** Entries kept by the Socket.IO recovery log. */
    public static final int RECOVERY_LOG_SIZE = 100_000;
    /** How long a presence entry lives without a refresh (the hub refreshes live ones every 20 s). */
    public static final Duration PRESENCE_TTL = Duration.ofSeconds(90);
    /** The role that may join every room. */
    public static final String ADMIN_ROLE = "admin";

    /** Handler threads: {@code max(4, 2 × cores)}. */
    public static int handlerThreads() {
        return Math.max(4, Runtime.getRuntime().availableProcessors() * 2);
    }

    /** Writer threads: one per core. */
    public static int writerThreads() {
        return Runtime.getRuntime().availableProcessors();
    }
}

package dev.realtime.core;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads a component creates for itself (the hub, the gateways, or a user's own): daemon threads with a name
 * that says whose they are, and an orderly stop for an executor it owns. Stateless; thread-safe.
 *
 * @since 0.2
 */
public final class DaemonThreads {
    private static final Duration MAX_GRACE = Duration.ofNanos(Long.MAX_VALUE);

    private DaemonThreads() {
    }

    /**
     * A factory of daemon threads named {@code prefix-1}, {@code prefix-2}, … in the order it makes them; each
     * factory counts on its own.
     */
    public static ThreadFactory named(String prefix) {
        Objects.requireNonNull(prefix, "prefix");
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /**
     * Stops {@code executor}: no new tasks, up to {@code grace} for the running and queued ones to finish, then an
     * interrupt for what is left. Returns whether every task ended within the grace. Interrupted while waiting, it
     * interrupts the tasks at once and keeps the calling thread's interrupt status.
     */
    public static boolean stop(ExecutorService executor, Duration grace) {
        Objects.requireNonNull(grace, "grace");
        long nanos = grace.compareTo(MAX_GRACE) > 0 ? Long.MAX_VALUE : grace.toNanos();
        executor.shutdown();
        try {
            if (executor.awaitTermination(nanos, TimeUnit.NANOSECONDS)) {
                return true;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        executor.shutdownNow();
        return false;
    }
}

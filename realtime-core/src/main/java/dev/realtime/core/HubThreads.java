package dev.realtime.core;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;

/**
 * The threads a hub creates for itself: a scheduler and a handler executor unless the builder was given its own,
 * and writer threads unless there are none. {@link #scheduler()} and {@link #handlerExecutor()} return the one
 * in use, supplied or created; {@link #shutdown()} stops only the created ones. Thread-safe.
 */
final class HubThreads {
    private final ScheduledExecutorService scheduler;
    private final ExecutorService handlerExecutor;
    private final ScheduledExecutorService ownedScheduler;
    private final ExecutorService ownedHandlerExecutor;
    private final ExecutorService ownedWriter;

    /**
     * @param scheduler       the caller's scheduler, or null for one of the hub's own
     * @param handlerExecutor the caller's handler executor, or null for a pool of {@code handlerThreads}
     * @param writerThreads   writer threads to create; 0 for none
     */
    HubThreads(ScheduledExecutorService scheduler, ExecutorService handlerExecutor, int handlerThreads,
            int writerThreads) {
        this.ownedScheduler = scheduler == null ? removingOnCancel(DaemonThreads.named("realtime-scheduler")) : null;
        this.ownedHandlerExecutor = handlerExecutor == null ? Executors.newFixedThreadPool(
                handlerThreads, DaemonThreads.named("realtime-handler")) : null;
        this.ownedWriter = writerThreads > 0 ? Executors.newFixedThreadPool(writerThreads,
                DaemonThreads.named("realtime-writer")) : null;
        this.scheduler = scheduler != null ? scheduler : ownedScheduler;
        this.handlerExecutor = handlerExecutor != null ? handlerExecutor : ownedHandlerExecutor;
    }

    ScheduledExecutorService scheduler() {
        return scheduler;
    }

    ExecutorService handlerExecutor() {
        return handlerExecutor;
    }

    /** The writer threads, or null when connections write on the publishing thread. */
    ExecutorService writer() {
        return ownedWriter;
    }

    /**
     * Stops the created threads: the scheduler and writers at once, the handler executor after up to 5 s for the
     * handlers running.
     */
    void shutdown() {
        if (ownedScheduler != null) {
            ownedScheduler.shutdownNow();
        }
        if (ownedWriter != null) {
            ownedWriter.shutdownNow();
        }
        if (ownedHandlerExecutor != null) {
            DaemonThreads.stop(ownedHandlerExecutor, Duration.ofSeconds(5));
        }
    }

    /**
     * The hub's one-thread scheduler; a cancelled timer (an upgrade that finished, a socket query answered) leaves
     * its queue at once instead of holding memory until it would have fired.
     */
    private static ScheduledExecutorService removingOnCancel(ThreadFactory threads) {
        ScheduledThreadPoolExecutor s = new ScheduledThreadPoolExecutor(1, threads);
        s.setRemoveOnCancelPolicy(true);
        return s;
    }
}

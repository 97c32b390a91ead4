package dev.realtime.jakarta.client;

import dev.realtime.core.DaemonThreads;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The two threads of a {@link RealtimeClient}: the event thread (every state change, timer and listener callback,
 * in order) and the connector thread (blocking connect and close calls). Thread-safe; {@link #shutdown()} ends
 * both, after which submitted tasks are refused (and their futures failed with {@code closed}).
 */
final class ClientLoop {
    private static final Logger log = LoggerFactory.getLogger(RealtimeClient.class);
    private static final AtomicInteger CLIENTS = new AtomicInteger();

    private final ScheduledExecutorService events;
    private final ExecutorService connector;
    /** The event thread, to recognize calls made from listeners. */
    private volatile Thread eventThread;

    ClientLoop() {
        int n = CLIENTS.incrementAndGet();
        ThreadFactory threads = DaemonThreads.named("realtime-client-" + n);
        ScheduledThreadPoolExecutor loop = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = threads.newThread(r);
            eventThread = t;
            return t;
        });
        // timers (ack timeouts, reconnects) must not keep a closed client's thread alive
        loop.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        loop.setContinueExistingPeriodicTasksAfterShutdownPolicy(false);
        loop.setRemoveOnCancelPolicy(true);
        this.events = loop;
        this.connector = Executors.newSingleThreadExecutor(DaemonThreads.named("realtime-client-" + n + "-connect"));
    }

    /** Runs a task on the event thread; if it throws, or the client is shut down, fails {@code f}. */
    void run(Runnable task, CompletableFuture<?> f) {
        try {
            events.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    log.error("client task failed", e);
                    f.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException e) {
            f.completeExceptionally(closedException());
        }
    }

    void run(Runnable task) {
        run(task, new CompletableFuture<>());
    }

    /** Runs a task on the event thread after a delay; nothing when shut down (closing). */
    void schedule(Runnable task, long delayMillis) {
        try {
            events.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // closing: whoever waits is failed by the shutdown
        }
    }

    /** Runs a task on the event thread every {@code periodMillis}. */
    ScheduledFuture<?> every(Runnable task, long periodMillis) {
        return events.scheduleWithFixedDelay(task, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
    }

    /** Runs a blocking task on the connector thread; when shut down, on the caller's thread if {@code orHere}. */
    void connector(Runnable task, boolean orHere) {
        try {
            connector.execute(task);
        } catch (RejectedExecutionException e) {
            if (orHere) {
                task.run();
            }
        }
    }

    boolean onEventThread() {
        return Thread.currentThread() == eventThread;
    }

    /** Runs a task on the event thread and waits up to 5 s for it (at once if called on the event thread). */
    void runAndWait(Runnable task) {
        if (onEventThread()) {
            task.run(); // called from a listener
            return;
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            events.execute(() -> {
                try {
                    task.run();
                } finally {
                    done.complete(null);
                }
            });
            done.get(5, TimeUnit.SECONDS);
        } catch (RejectedExecutionException e) {
            // already shut down
        } catch (TimeoutException e) {
            log.warn("event thread did not finish closing within 5 s (a blocked listener?)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            log.warn("closing failed", e.getCause());
        }
    }

    /** Stops both threads, waiting up to 2 s each for queued work (not for the event thread if called on it). */
    void shutdown() {
        boolean onLoop = onEventThread();
        events.shutdown();
        connector.shutdown();
        try {
            if (!onLoop) {
                events.awaitTermination(2, TimeUnit.SECONDS);
            }
            connector.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        events.shutdownNow();
        connector.shutdownNow();
    }

    static RealtimeClientException closedException() {
        return new RealtimeClientException(RealtimeClientException.CLOSED, "client is closed");
    }
}

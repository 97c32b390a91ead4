package dev.realtime.core.quiz;

import dev.realtime.core.DaemonThreads;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The threads of a {@link QuizPipeline}: the worker executor and heartbeat scheduler (the builder's, or created
 * here) and the outbox, always created here, that runs the runs' emits off their locks. {@link #shutdown()}
 * stops only the created ones. Thread-safe.
 */
final class QuizThreads {
    private static final Logger log = LoggerFactory.getLogger(QuizPipeline.class);

    final ExecutorService executor;
    final ScheduledExecutorService scheduler;
    final ExecutorService outbox;
    private final ExecutorService ownedExecutor;
    private final ScheduledExecutorService ownedScheduler;

    /**
     * @param executor  the caller's executor, or null for a pool of {@code threads}
     * @param scheduler the caller's scheduler, or null for one of the pipeline's own
     */
    QuizThreads(ExecutorService executor, int threads, ScheduledExecutorService scheduler) {
        this.ownedExecutor = executor == null
                ? Executors.newFixedThreadPool(threads, DaemonThreads.named("quiz-worker")) : null;
        this.executor = executor != null ? executor : ownedExecutor;
        this.outbox = Executors.newFixedThreadPool(2, DaemonThreads.named("quiz-outbox"));
        this.ownedScheduler = scheduler == null
                ? Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("quiz-heartbeat")) : null;
        this.scheduler = scheduler != null ? scheduler : ownedScheduler;
    }

    /**
     * Lets the outbox send what was posted (up to 2 s), then stops the created scheduler and workers (waiting up
     * to 5 s for the workers, which are interrupted).
     */
    void shutdown() {
        DaemonThreads.stop(outbox, Duration.ofSeconds(2)); // what the aborts posted still goes out
        if (ownedScheduler != null) {
            ownedScheduler.shutdownNow();
        }
        if (ownedExecutor != null) {
            ownedExecutor.shutdownNow();
            try {
                if (!ownedExecutor.awaitTermination(5, TimeUnit.SECONDS)) {
                    log.warn("quiz workers did not stop within 5 s");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}

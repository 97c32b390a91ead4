package dev.realtime.core.internal;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs connections' drain loops on the hub's writer executor through at most {@code parallelism} loop tasks, with
 * no lock: a publisher fanning an event out to 1,000 idle connections adds 1,000 entries to a lock-free queue and
 * wakes at most {@code parallelism} writers, instead of submitting 1,000 tasks to the executor's blocking queue
 * (two locks and a possible wake-up each). The parallelism is at most the executor's threads and the cores.
 * A task that throws is logged and the loop goes on. When the executor refuses (the hub is shutting down) the
 * task runs on the caller. Thread-safe; owns no thread.
 */
final class WriteScheduler implements Executor {
    private static final Logger log = LoggerFactory.getLogger(WriteScheduler.class);

    private final Executor executor;
    private final int parallelism;
    /** Drain loops waiting for a writer. */
    private final ConcurrentLinkedQueue<Runnable> ready = new ConcurrentLinkedQueue<>();
    /** Loop tasks submitted and not yet finished; at most {@link #parallelism}. */
    private final AtomicInteger loops = new AtomicInteger();
    private final Runnable loop = this::loop;

    WriteScheduler(Executor executor) {
        this.executor = executor;
        int threads = executor instanceof java.util.concurrent.ThreadPoolExecutor tpe
                ? tpe.getMaximumPoolSize() : Integer.MAX_VALUE;
        this.parallelism = Math.max(1, Math.min(threads, Runtime.getRuntime().availableProcessors()));
    }

    @Override
    public void execute(Runnable task) {
        ready.add(task);
        int n;
        while ((n = loops.get()) < parallelism) {
            if (loops.compareAndSet(n, n + 1)) {
                try {
                    executor.execute(loop);
                } catch (RejectedExecutionException e) {
                    loops.decrementAndGet();
                    runReady();
                }
                return;
            }
        }
        // every writer is busy: one of them takes it (it re-checks the queue before it stops)
    }

    private void loop() {
        while (true) {
            runReady();
            loops.decrementAndGet();
            if (ready.isEmpty()) {
                return;
            }
            int n = loops.get();
            if (n >= parallelism || !loops.compareAndSet(n, n + 1)) {
                return; // another writer is on it
            }
        }
    }

    private void runReady() {
        Runnable r;
        while ((r = ready.poll()) != null) {
            try {
                r.run();
            } catch (RuntimeException e) {
                log.error("a connection's drain loop failed", e);
            }
        }
    }
}

package dev.realtime.core.internal;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs tasks one at a time, in submission order, on a shared executor: the per-connection order of the hub
 * (inbound frames of one connection are handled in order, and so are its application handlers) without a thread
 * per connection. A task that throws is logged and the next one runs. When the shared executor refuses (shutting
 * down) the task runs on the caller. The queue exists only while tasks wait (an idle connection keeps none).
 * Thread-safe: the queue and the running flag are guarded by this object's monitor, held only to add or take one
 * task; tasks run outside it.
 */
final class SerialExecutor implements Executor {
    private static final Logger log = LoggerFactory.getLogger(SerialExecutor.class);

    private final Executor shared;
    /** Waiting tasks; null when there are none. Guarded by this. */
    private ArrayDeque<Runnable> tasks;
    /** Whether a drain is scheduled or running. Guarded by this. */
    private boolean running;

    SerialExecutor(Executor shared) {
        this.shared = shared;
    }

    @Override
    public void execute(Runnable task) {
        boolean start;
        synchronized (this) {
            if (tasks == null) {
                tasks = new ArrayDeque<>(4);
            }
            tasks.add(task);
            start = !running;
            running = true;
        }
        if (start) {
            try {
                shared.execute(this::drain);
            } catch (RejectedExecutionException e) {
                drain();
            }
        }
    }

    private void drain() {
        while (true) {
            Runnable r;
            synchronized (this) {
                r = tasks == null ? null : tasks.poll();
                if (r == null) {
                    tasks = null;
                    running = false;
                    return;
                }
            }
            try {
                r.run();
            } catch (RuntimeException e) {
                log.error("a serial task failed", e);
            } catch (Error e) {
                synchronized (this) {
                    running = false; // the next execute starts a drain for what is left
                }
                throw e;
            }
        }
    }
}

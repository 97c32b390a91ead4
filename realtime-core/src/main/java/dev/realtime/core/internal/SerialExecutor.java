package dev.realtime.core.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs tasks one at a time, in submission order, on a shared executor: the per-connection order of the hub
 * (inbound frames of one connection are handled in order, and so are its application handlers) without a thread
 * per connection. A task that throws is logged and the next one runs. When the shared executor refuses (shutting
 * down) the task runs on the caller. Thread-safe.
 */
final class SerialExecutor implements Executor {
    private static final Logger log = LoggerFactory.getLogger(SerialExecutor.class);

    private static final VarHandle TASKS;
    private static final VarHandle RUNNING;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            TASKS = l.findVarHandle(SerialExecutor.class, "tasks", ConcurrentLinkedQueue.class);
            RUNNING = l.findVarHandle(SerialExecutor.class, "running", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Executor shared;
    /** Created by the first task (a connection's handler executor often never runs one). */
    private volatile ConcurrentLinkedQueue<Runnable> tasks;
    /** Whether a drain is scheduled or running; set by CAS. */
    private volatile boolean running;

    SerialExecutor(Executor shared) {
        this.shared = shared;
    }

    @Override
    public void execute(Runnable task) {
        ConcurrentLinkedQueue<Runnable> q = tasks;
        if (q == null) {
            TASKS.compareAndSet(this, null, new ConcurrentLinkedQueue<Runnable>());
            q = tasks;
        }
        q.add(task);
        schedule();
    }

    private void schedule() {
        if (RUNNING.compareAndSet(this, false, true)) {
            try {
                shared.execute(this::drain);
            } catch (RejectedExecutionException e) {
                drain();
            }
        }
    }

    private void drain() {
        ConcurrentLinkedQueue<Runnable> q = tasks;
        try {
            Runnable r;
            while ((r = q.poll()) != null) {
                try {
                    r.run();
                } catch (RuntimeException e) {
                    log.error("a serial task failed", e);
                }
            }
        } finally {
            running = false;
        }
        if (!q.isEmpty()) {
            schedule(); // added after the last poll, before running was cleared
        }
    }
}

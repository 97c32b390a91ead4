package dev.realtime.core.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link ScheduledExecutorService} on virtual time: tasks run on the caller's thread when {@link #advance}
 * moves the time past them (and moves the {@link FakeClock} with it). {@code execute} runs at once. Thread-safe.
 */
public final class FakeScheduler extends AbstractExecutorService implements ScheduledExecutorService {
    private final FakeClock clock;
    private final PriorityQueue<Task<?>> queue = new PriorityQueue<>();
    private final AtomicLong seq = new AtomicLong();
    private long nowNanos;
    private boolean shutdown;

    public FakeScheduler(FakeClock clock) {
        this.clock = clock;
    }

    /** Moves time forward, running every task due on the way, in time order. */
    public void advance(Duration d) {
        long target;
        synchronized (this) {
            target = nowNanos + d.toNanos();
        }
        while (true) {
            Task<?> next;
            synchronized (this) {
                next = queue.peek();
                if (next == null || next.at > target) {
                    clock.advance(Duration.ofNanos(target - nowNanos));
                    nowNanos = target;
                    return;
                }
                queue.poll();
                clock.advance(Duration.ofNanos(next.at - nowNanos));
                nowNanos = next.at;
            }
            next.run();
        }
    }

    /** Virtual time elapsed since creation. */
    public synchronized Duration elapsed() {
        return Duration.ofNanos(nowNanos);
    }

    private synchronized <V> Task<V> add(Callable<V> c, long delayNanos, long period) {
        if (shutdown) {
            throw new java.util.concurrent.RejectedExecutionException("shut down");
        }
        Task<V> t = new Task<>(c, nowNanos + Math.max(0, delayNanos), period);
        queue.add(t);
        return t;
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        return add(() -> {
            command.run();
            return null;
        }, unit.toNanos(delay), 0);
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        return add(callable, unit.toNanos(delay), 0);
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
        return add(() -> {
            command.run();
            return null;
        }, unit.toNanos(initialDelay), unit.toNanos(period));
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
        return scheduleAtFixedRate(command, initialDelay, delay, unit);
    }

    @Override
    public void execute(Runnable command) {
        command.run();
    }

    @Override
    public synchronized void shutdown() {
        shutdown = true;
        queue.clear();
    }

    @Override
    public List<Runnable> shutdownNow() {
        shutdown();
        return new ArrayList<>();
    }

    @Override
    public synchronized boolean isShutdown() {
        return shutdown;
    }

    @Override
    public synchronized boolean isTerminated() {
        return shutdown;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
        return true;
    }

    private final class Task<V> implements ScheduledFuture<V>, Runnable {
        private final Callable<V> callable;
        private final long period;
        private final long order = seq.incrementAndGet();
        private long at;
        private volatile boolean cancelled;
        private volatile boolean done;

        Task(Callable<V> callable, long at, long period) {
            this.callable = callable;
            this.at = at;
            this.period = period;
        }

        @Override
        public void run() {
            if (cancelled) {
                return;
            }
            try {
                callable.call();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            if (period > 0 && !cancelled) {
                synchronized (FakeScheduler.this) {
                    at = nowNanos + period;
                    queue.add(this);
                }
            } else {
                done = true;
            }
        }

        @Override
        public long getDelay(TimeUnit unit) {
            synchronized (FakeScheduler.this) {
                return unit.convert(at - nowNanos, TimeUnit.NANOSECONDS);
            }
        }

        @Override
        public int compareTo(Delayed o) {
            Task<?> t = (Task<?>) o;
            int c = Long.compare(at, t.at);
            return c != 0 ? c : Long.compare(order, t.order);
        }

        @Override
        public boolean cancel(boolean mayInterrupt) {
            cancelled = true;
            synchronized (FakeScheduler.this) {
                queue.remove(this);
            }
            return true;
        }

        @Override
        public boolean isCancelled() {
            return cancelled;
        }

        @Override
        public boolean isDone() {
            return done || cancelled;
        }

        @Override
        public V get() {
            throw new UnsupportedOperationException();
        }

        @Override
        public V get(long timeout, TimeUnit unit) {
            throw new UnsupportedOperationException();
        }
    }
}

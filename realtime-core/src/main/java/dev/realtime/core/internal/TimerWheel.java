package dev.realtime.core.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A hashed timing wheel: one task on the hub's scheduler, every tick, serves the timers of all connections, so a
 * connection costs no {@code ScheduledFutureTask} and a cancelled timer leaves at the next tick instead of staying
 * queued until its deadline. Timers are intrusive ({@link Timer} is its own list node): scheduling an armed timer
 * again only moves its deadline. A timer fires on the first tick at or after its deadline (never early; at most
 * one tick plus the scheduler's delay late), by the ticker's time, so a fake ticker and scheduler drive it in tests.
 *
 * <p>Threads: {@link #schedule} and {@link #cancel} are lock-free and may be called from any thread (an MPSC
 * intake queue). The buckets belong to the driver task, which the scheduler runs one run at a time;
 * {@link Timer#expired} is called on it and must only queue work (no I/O, nothing blocking). Lifecycle:
 * {@link #start} once, {@link #close} when the hub closes (the scheduler's owner shuts the scheduler).
 */
final class TimerWheel implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TimerWheel.class);
    /** A deadline meaning "not armed". */
    static final long NONE = Long.MIN_VALUE;

    /**
     * One timer, embedded in its owner by subclassing. The wheel calls {@link #expired} when the deadline last given
     * to {@link #schedule} has passed; a call may be spurious (the owner rescheduled meanwhile), so the owner
     * decides from its own state what is due.
     */
    abstract static class Timer {
        private static final VarHandle QUEUED;

        static {
            try {
                QUEUED = MethodHandles.lookup().findVarHandle(Timer.class, "queued", boolean.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        private volatile long deadline = NONE;
        @SuppressWarnings("unused") // through QUEUED
        private volatile boolean queued;
        // owned by the driver
        private Timer prev;
        private Timer next;
        private int bucket = -1;

        /** The deadline passed (or the owner moved it meanwhile); runs on the wheel's driver. */
        protected abstract void expired();
    }

    private final ScheduledExecutorService scheduler;
    private final LongSupplier ticker;
    private final long tickNanos;
    private final long start;
    private final Timer[] heads;
    private final int mask;
    private final ConcurrentLinkedQueue<Timer> intake = new ConcurrentLinkedQueue<>();
    /** The last tick processed; written by the driver only. */
    private volatile long processed;
    /** Timers found due in one run; driver only. */
    private final List<Timer> due = new ArrayList<>();
    private volatile ScheduledFuture<?> driver;

    /**
     * @param tickMillis the resolution, at least 1 ms
     * @param buckets    a power of two; one turn of the wheel is {@code buckets × tick}, longer timers stay in their
     *                   bucket for more turns
     */
    TimerWheel(ScheduledExecutorService scheduler, LongSupplier ticker, long tickMillis, int buckets) {
        if (tickMillis < 1 || Integer.bitCount(buckets) != 1) {
            throw new IllegalArgumentException("tick >= 1 ms and a power-of-two bucket count");
        }
        this.scheduler = scheduler;
        this.ticker = ticker;
        this.tickNanos = TimeUnit.MILLISECONDS.toNanos(tickMillis);
        this.start = ticker.getAsLong();
        this.heads = new Timer[buckets];
        this.mask = buckets - 1;
    }

    /** Starts the driver task on the scheduler. */
    void start() {
        long tick = TimeUnit.NANOSECONDS.toMillis(tickNanos);
        try {
            driver = scheduler.scheduleAtFixedRate(this::run, tick, tick, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            log.debug("scheduler refused the timer wheel: {}", e.toString());
        }
    }

    /** The ticker's time, in nanoseconds: the time deadlines are measured in. */
    long now() {
        return ticker.getAsLong();
    }

    /** Arms {@code t} (or moves its deadline) to fire at {@code deadlineNanos} of {@link #now()}. */
    void schedule(Timer t, long deadlineNanos) {
        t.deadline = deadlineNanos == NONE ? NONE + 1 : deadlineNanos;
        enqueue(t);
    }

    /** Disarms {@code t}; it leaves its bucket at the next tick. */
    void cancel(Timer t) {
        t.deadline = NONE;
        enqueue(t);
    }

    private void enqueue(Timer t) {
        if (Timer.QUEUED.compareAndSet(t, false, true)) {
            intake.add(t);
        }
    }

    /** One run of the driver: intake, then every tick that has passed since the last run, then the due timers. */
    void run() {
        try {
            long nowTick = Math.floorDiv(ticker.getAsLong() - start, tickNanos);
            long last = processed;
            for (Timer t; (t = intake.poll()) != null; ) {
                Timer.QUEUED.setVolatile(t, false); // before reading the deadline: a later schedule queues it again
                place(t, last);
            }
            if (nowTick - last >= heads.length) {
                for (int b = 0; b < heads.length; b++) {
                    sweep(b, nowTick);
                }
            } else {
                for (long tick = last + 1; tick <= nowTick; tick++) {
                    sweep((int) (tick & mask), tick);
                }
            }
            if (nowTick > last) {
                processed = nowTick;
            }
            fireDue();
        } catch (RuntimeException e) {
            log.error("timer wheel run failed", e);
        }
    }

    private void fireDue() {
        for (Timer t : due) {
            try {
                t.expired();
            } catch (RuntimeException e) {
                log.error("timer task failed", e);
            }
        }
        due.clear();
    }

    /** Files a timer from the intake by its current deadline, against the last processed tick. */
    private void place(Timer t, long processedTick) {
        long d = t.deadline;
        if (d == NONE) {
            unlink(t);
            return;
        }
        long tick = tickOf(d);
        if (tick <= processedTick) {
            unlink(t);
            due.add(t);
        } else {
            int b = (int) (tick & mask);
            if (t.bucket != b) {
                unlink(t);
                link(t, b);
            }
        }
    }

    /** Processes bucket {@code b} at {@code tick}: due timers out, cancelled ones dropped, moved ones re-filed. */
    private void sweep(int b, long tick) {
        for (Timer t = heads[b], next; t != null; t = next) {
            next = t.next;
            long d = t.deadline;
            if (d == NONE) {
                unlink(t);
            } else {
                long at = tickOf(d);
                if (at <= tick) {
                    unlink(t);
                    due.add(t);
                } else if ((int) (at & mask) != b) {
                    unlink(t);
                    link(t, (int) (at & mask));
                }
            }
        }
    }

    /** The first tick at or after {@code deadline}. */
    private long tickOf(long deadline) {
        return -Math.floorDiv(start - deadline, tickNanos);
    }

    private void link(Timer t, int b) {
        Timer head = heads[b];
        t.prev = null;
        t.next = head;
        if (head != null) {
            head.prev = t;
        }
        heads[b] = t;
        t.bucket = b;
    }

    private void unlink(Timer t) {
        if (t.bucket < 0) {
            return;
        }
        if (t.prev != null) {
            t.prev.next = t.next;
        } else {
            heads[t.bucket] = t.next;
        }
        if (t.next != null) {
            t.next.prev = t.prev;
        }
        t.prev = null;
        t.next = null;
        t.bucket = -1;
    }

    /** Timers armed in the wheel (for tests and stats); driver's view, approximate from other threads. */
    int armed() {
        int n = 0;
        for (Timer head : heads) {
            for (Timer t = head; t != null; t = t.next) {
                n++;
            }
        }
        return n;
    }

    @Override
    public void close() {
        ScheduledFuture<?> d = driver;
        if (d != null) {
            d.cancel(false);
        }
    }
}

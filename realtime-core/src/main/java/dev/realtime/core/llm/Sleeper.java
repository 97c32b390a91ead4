package dev.realtime.core.llm;

import java.time.Duration;

/**
 * Blocks the calling thread for a duration. The seam that lets tests advance a fake {@link java.time.Clock}
 * instead of sleeping. Implementations must be thread-safe.
 *
 * @since 0.1
 */
@FunctionalInterface
public interface Sleeper {

    /** Sleeps for {@code duration} (zero or negative returns at once). */
    void sleep(Duration duration) throws InterruptedException;

    /** {@link Thread#sleep}-based sleeper. */
    static Sleeper system() {
        return duration -> {
            if (!duration.isNegative() && !duration.isZero()) {
                Thread.sleep(duration.toMillis(), (int) (duration.toNanosPart() % 1_000_000));
            }
        };
    }
}

package dev.realtime.jakarta.client;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Exponential backoff with full jitter: attempt {@code n} (from 1) waits a uniformly random time in
 * {@code [0, min(max, initial * 2^(n-1))]}. Immutable.
 */
record Backoff(Duration initial, Duration max, DoubleSupplier random) {

    long delayMillis(int attempt) {
        long cap = max.toMillis();
        long base = initial.toMillis();
        int shift = Math.min(Math.max(attempt - 1, 0), 30);
        long ceiling = base > (cap >> shift) ? cap : Math.min(cap, base << shift);
        return (long) (random.getAsDouble() * (ceiling + 1));
    }
}

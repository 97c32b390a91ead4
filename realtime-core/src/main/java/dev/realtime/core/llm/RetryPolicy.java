package dev.realtime.core.llm;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

/**
 * A backoff: the delay before retry number {@code attempt} (1-based). Create instances with the static factories,
 * which validate their arguments ({@link IllegalArgumentException} on negative/zero durations or
 * {@code initial > max}). Implementations are immutable and thread-safe; the jittered ones draw from a thread-safe
 * random source.
 *
 * <pre>{@code
 * RetryPolicy.constant(Duration.ofSeconds(1));                              // 1s, 1s, 1s ...
 * RetryPolicy.exponential(Duration.ofSeconds(1), Duration.ofSeconds(60));   // 1s, 2s, 4s ... 60s
 * RetryPolicy.fullJitter(Duration.ofMillis(500), Duration.ofSeconds(8));    // uniform [0, 0.5s], [0, 1s] ... [0, 8s]
 * RetryPolicy.equalJitter(Duration.ofSeconds(2), Duration.ofSeconds(30));   // [1s, 2s], [2s, 4s] ... [15s, 30s]
 * }</pre>
 *
 * @since 0.1
 */
@FunctionalInterface
public interface RetryPolicy {

    /**
     * The delay before retry {@code attempt}.
     *
     * @param attempt 1 for the first retry; values below 1 are treated as 1
     * @return a non-negative duration
     */
    Duration delay(int attempt);

    /** No delay at all. */
    static RetryPolicy none() {
        return attempt -> Duration.ZERO;
    }

    /** The same delay every time; {@code delay} may be zero but not negative. */
    static RetryPolicy constant(Duration delay) {
        requireNonNegative(delay, "delay");
        return attempt -> delay;
    }

    /** {@code initial * 2^(attempt-1)}, capped at {@code max}. */
    static RetryPolicy exponential(Duration initial, Duration max) {
        return exponential(initial, max, 2.0);
    }

    /** {@code initial * multiplier^(attempt-1)}, capped at {@code max}; {@code multiplier >= 1}. */
    static RetryPolicy exponential(Duration initial, Duration max, double multiplier) {
        validateRange(initial, max);
        if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
            throw new IllegalArgumentException("multiplier must be >= 1: " + multiplier);
        }
        return attempt -> Backoffs.exponential(initial, max, multiplier, attempt);
    }

    /** AWS "full jitter": uniform in {@code [0, exponential(initial, max)(attempt)]}. */
    static RetryPolicy fullJitter(Duration initial, Duration max) {
        return fullJitter(initial, max, ThreadLocalRandom.current());
    }

    /** Full jitter with a given random source (for deterministic tests); the source must be thread-safe. */
    static RetryPolicy fullJitter(Duration initial, Duration max, RandomGenerator random) {
        validateRange(initial, max);
        Objects.requireNonNull(random, "random");
        return attempt -> {
            long cap = Backoffs.exponential(initial, max, 2.0, attempt).toNanos();
            return Duration.ofNanos(cap == 0 ? 0 : Backoffs.random(random).nextLong(cap + 1));
        };
    }

    /** "Equal jitter": half the exponential delay plus a uniform random part of up to the other half. */
    static RetryPolicy equalJitter(Duration initial, Duration max) {
        return equalJitter(initial, max, ThreadLocalRandom.current());
    }

    /** Equal jitter with a given random source (for deterministic tests); the source must be thread-safe. */
    static RetryPolicy equalJitter(Duration initial, Duration max, RandomGenerator random) {
        validateRange(initial, max);
        Objects.requireNonNull(random, "random");
        return attempt -> {
            long cap = Backoffs.exponential(initial, max, 2.0, attempt).toNanos();
            long half = cap / 2;
            return Duration.ofNanos(cap - half + (half == 0 ? 0 : Backoffs.random(random).nextLong(half + 1)));
        };
    }

    private static void requireNonNegative(Duration d, String name) {
        if (d == null || d.isNegative()) {
            throw new IllegalArgumentException(name + " must be >= 0: " + d);
        }
    }

    private static void validateRange(Duration initial, Duration max) {
        if (initial == null || initial.isNegative() || initial.isZero()) {
            throw new IllegalArgumentException("initial must be positive: " + initial);
        }
        if (max == null || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("max must be >= initial (" + initial + "): " + max);
        }
    }
}

/** Shared arithmetic for {@link RetryPolicy} factories. */
final class Backoffs {
    private Backoffs() {
    }

    static Duration exponential(Duration initial, Duration max, double multiplier, int attempt) {
        int n = Math.max(1, attempt) - 1;
        double nanos = initial.toNanos() * Math.pow(multiplier, Math.min(n, 1000));
        return nanos >= max.toNanos() ? max : Duration.ofNanos((long) nanos);
    }

    /** {@link ThreadLocalRandom#current()} must be looked up on the calling thread. */
    static RandomGenerator random(RandomGenerator configured) {
        return configured instanceof ThreadLocalRandom ? ThreadLocalRandom.current() : configured;
    }
}

package dev.realtime.core.security;

import java.time.Clock;

/**
 * A token bucket refilled continuously from a {@link Clock}: {@code capacity} tokens, {@code perSecond} added
 * per second. Thread-safe (synchronized; uncontended in practice, one bucket per connection or address).
 *
 * @since 0.1
 */
public final class TokenBucket {
    private final Clock clock;
    private final double capacity;
    private final double perNano;
    /** Guarded by this. */
    private double tokens;
    private long lastNanos;

    public TokenBucket(Clock clock, int capacity, int perSecond) {
        this.clock = clock;
        this.capacity = capacity;
        this.perNano = perSecond / 1e9;
        this.tokens = capacity;
        this.lastNanos = nanos();
    }

    /** Takes one token; false when the bucket is empty. */
    public synchronized boolean tryTake() {
        long now = nanos();
        tokens = Math.min(capacity, tokens + (now - lastNanos) * perNano);
        lastNanos = now;
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }

    private long nanos() {
        java.time.Instant i = clock.instant();
        return i.getEpochSecond() * 1_000_000_000L + i.getNano();
    }
}

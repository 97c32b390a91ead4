package dev.realtime.core.llm;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.random.RandomGenerator;

/**
 * How long an {@link ApiKeyPool} cools keys: the per-key backoff for rate limits, the jitter added to a server's
 * {@code retryDelay}, the long cool-down, and the zone whose midnight resets daily quotas. Immutable; thread-safe
 * when {@code random} is.
 */
record Cooldowns(RetryPolicy rateLimitBackoff, Duration retryDelayJitter, Duration longCooldown,
                 ZoneId quotaResetZone, RandomGenerator random) {

    /** A random delay in {@code [0, retryDelayJitter]}. */
    Duration jitter() {
        long max = retryDelayJitter.toNanos();
        return max == 0 ? Duration.ZERO : Duration.ofNanos(Backoffs.random(random).nextLong(max + 1));
    }

    /** Start of the next day in the quota zone (Gemini's RPD quotas reset at midnight Pacific time). */
    Instant nextQuotaReset(Instant now) {
        return now.atZone(quotaResetZone).toLocalDate().plusDays(1).atStartOfDay(quotaResetZone).toInstant();
    }
}

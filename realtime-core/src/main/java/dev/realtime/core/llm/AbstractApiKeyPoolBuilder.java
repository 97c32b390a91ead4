package dev.realtime.core.llm;

import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

/**
 * The settings and setters of {@link ApiKeyPool.Builder}, the type callers name: every setter validates its
 * argument eagerly and returns the builder; the pool reads the fields when it is built. Not thread-safe.
 */
abstract class AbstractApiKeyPoolBuilder {
    final LinkedHashMap<String, String> keys = new LinkedHashMap<>();
    final Set<String> seen = new LinkedHashSet<>();
    KeySelectionStrategy strategy = KeySelectionStrategy.ROUND_ROBIN;
    Clock clock = Clock.systemUTC();
    Sleeper sleeper = Sleeper.system();
    Duration maxWait = Duration.ofSeconds(15);
    RetryPolicy rateLimitBackoff = RetryPolicy.exponential(Duration.ofSeconds(1), Duration.ofSeconds(60));
    Duration retryDelayJitter = Duration.ofMillis(500);
    Duration longCooldown = Duration.ofHours(1);
    ZoneId quotaResetZone = ZoneId.of("America/Los_Angeles");
    RandomGenerator random = ThreadLocalRandom.current();
    final List<KeyStateListener> listeners = new ArrayList<>();

    AbstractApiKeyPoolBuilder() {
    }

    private ApiKeyPool.Builder self() {
        return (ApiKeyPool.Builder) this;
    }

    /** Adds a key without project tag (its own quota group). Duplicates are ignored. */
    public ApiKeyPool.Builder addKey(String key) {
        return addKey(key, null);
    }

    /**
     * Adds a key of a project: keys with the same tag share quota, so a quota error cools them together.
     * A key added twice keeps its first tag.
     */
    public ApiKeyPool.Builder addKey(String key, String project) {
        if (key == null || key.isBlank()) {
            throw new IllegalArgumentException("API key must not be blank");
        }
        if (project != null && project.isBlank()) {
            throw new IllegalArgumentException("project tag must not be blank (use null for none)");
        }
        String k = key.trim();
        if (seen.add(k)) {
            keys.put(k, project);
        }
        return self();
    }

    /** Adds several untagged keys. */
    public ApiKeyPool.Builder addKeys(Iterable<String> keys) {
        keys.forEach(this::addKey);
        return self();
    }

    /** Adds the keys found by {@link ApiKeyPool#keysFromEnvironment(Map)}. */
    public ApiKeyPool.Builder keysFromEnvironment(Map<String, String> env) {
        return addKeys(ApiKeyPool.keysFromEnvironment(env));
    }

    /** Selection strategy (default round-robin). */
    public ApiKeyPool.Builder strategy(KeySelectionStrategy strategy) {
        this.strategy = Objects.requireNonNull(strategy, "strategy");
        return self();
    }

    /** Time source for cool-downs (default UTC system clock); tests pass a fake. */
    public ApiKeyPool.Builder clock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        return self();
    }

    /** How {@link ApiKeyPool#acquire()} waits for a cooling key (default {@link Sleeper#system()}). */
    public ApiKeyPool.Builder sleeper(Sleeper sleeper) {
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        return self();
    }

    /**
     * Longest {@link ApiKeyPool#acquire()} waits for a cooling key before failing (default 15 s; zero = never
     * wait).
     */
    public ApiKeyPool.Builder maxWait(Duration maxWait) {
        if (maxWait == null || maxWait.isNegative()) {
            throw new IllegalArgumentException("maxWait must be >= 0: " + maxWait);
        }
        this.maxWait = maxWait;
        return self();
    }

    /** Per-key backoff for bare 429s and quota errors without a delay (default 1 s doubling to 60 s). */
    public ApiKeyPool.Builder rateLimitBackoff(RetryPolicy policy) {
        this.rateLimitBackoff = Objects.requireNonNull(policy, "policy");
        return self();
    }

    /** Upper bound of the random delay added to a server {@code retryDelay} (default 500 ms; may be zero). */
    public ApiKeyPool.Builder retryDelayJitter(Duration jitter) {
        if (jitter == null || jitter.isNegative()) {
            throw new IllegalArgumentException("retryDelayJitter must be >= 0: " + jitter);
        }
        this.retryDelayJitter = jitter;
        return self();
    }

    /** Cool-down for "no access to this model" and billing errors (default 1 h). */
    public ApiKeyPool.Builder longCooldown(Duration longCooldown) {
        if (longCooldown == null || longCooldown.isNegative() || longCooldown.isZero()) {
            throw new IllegalArgumentException("longCooldown must be positive: " + longCooldown);
        }
        this.longCooldown = longCooldown;
        return self();
    }

    /** Zone whose midnight resets per-day quotas (default America/Los_Angeles). */
    public ApiKeyPool.Builder quotaResetZone(ZoneId zone) {
        this.quotaResetZone = Objects.requireNonNull(zone, "zone");
        return self();
    }

    /** Random source for jitter (must be thread-safe; default {@link ThreadLocalRandom}). */
    public ApiKeyPool.Builder random(RandomGenerator random) {
        this.random = Objects.requireNonNull(random, "random");
        return self();
    }

    /** Adds a state listener. */
    public ApiKeyPool.Builder listener(KeyStateListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
        return self();
    }
}

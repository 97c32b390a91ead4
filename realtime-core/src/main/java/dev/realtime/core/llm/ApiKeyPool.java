package dev.realtime.core.llm;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A pool of Gemini API keys with selection, cool-downs and blocking. For each call, {@link #acquire()} a
 * {@link Lease}, use its key, and complete the lease with {@link Lease#succeeded} or {@link Lease#failed} (a
 * {@link Classification} from {@link ErrorClassifier}); the pool applies the class's {@link ErrorClass.Penalty}:
 * <ul>
 *   <li>{@code BLOCK_KEY}/{@code BLOCK_PROJECT}: blocked until {@link #unblock(String)};</li>
 *   <li>{@code COOL_PROJECT_RETRY_DELAY}: every key of the project cools until now + {@code retryDelay} + jitter
 *       (per-key exponential backoff when no delay is known);</li>
 *   <li>{@code COOL_PROJECT_UNTIL_RESET}: every key of the project cools until the next midnight in the quota zone
 *       (America/Los_Angeles). If the first daily-quota error of a streak carries a {@code retryDelay}, that delay
 *       is honoured once; a second consecutive one cools until the reset;</li>
 *   <li>{@code COOL_KEY_BACKOFF}: that key cools 1 s, 2 s, 4 s ... 60 s (configurable), reset by a success;</li>
 *   <li>{@code COOL_KEY_LONG}: that key cools for the long cool-down (default 1 h);</li>
 *   <li>{@code NONE}: only counted.</li>
 * </ul>
 * Keys without a project tag form a project of their own. Cool-downs only ever extend, never shorten.
 *
 * <p>When no key is available, {@link #acquire()} waits (through the {@link Sleeper}, measured on the
 * {@link Clock}) for the earliest cooling key if it frees up within the maximum wait, otherwise throws
 * {@link NoKeyAvailableException} with that instant (empty when all keys are blocked).
 *
 * <p>Thread-safe: all key state is guarded by one lock held only for bookkeeping (never during I/O, sleeps or
 * listener calls). No threads are created; nothing to close. Key values never appear in logs, statistics or
 * exception messages, only masked ({@code AIza****x9Q2}).
 *
 * <pre>{@code
 * ApiKeyPool pool = ApiKeyPool.builder()
 *         .keysFromEnvironment(System.getenv())      // GEMINI_API_KEYS, GEMINI_API_KEY, GEMINI_API_KEY_1...
 *         .addKey("AIza...", "project-a")            // optional project tag: shares quota
 *         .strategy(KeySelectionStrategy.LEAST_USED)
 *         .build();
 * }</pre>
 *
 * @since 0.1
 */
public final class ApiKeyPool {
    private static final Logger log = LoggerFactory.getLogger(ApiKeyPool.class);
    private static final Pattern NUMBERED = Pattern.compile("GEMINI_API_KEY_(\\d+)");

    private final List<Entry> entries;
    private final KeySelectionStrategy strategy;
    private final Clock clock;
    private final Sleeper sleeper;
    private final Duration maxWait;
    private final RetryPolicy rateLimitBackoff;
    private final Duration retryDelayJitter;
    private final Duration longCooldown;
    private final ZoneId quotaResetZone;
    private final RandomGenerator random;
    private final List<KeyStateListener> listeners;

    private final Object lock = new Object();
    /** Next round-robin start index; guarded by {@link #lock}. */
    private int cursor;
    /** Consecutive daily-quota errors per project, reset by a success in the project; guarded by {@link #lock}. */
    private final Map<String, Integer> dailyStreak = new HashMap<>();

    private ApiKeyPool(Builder b) {
        List<Entry> list = new ArrayList<>();
        int i = 1;
        for (Map.Entry<String, String> e : b.keys.entrySet()) {
            String id = "key-" + i++;
            list.add(new Entry(id, e.getKey(), e.getValue()));
        }
        this.entries = List.copyOf(list);
        this.strategy = b.strategy;
        this.clock = b.clock;
        this.sleeper = b.sleeper;
        this.maxWait = b.maxWait;
        this.rateLimitBackoff = b.rateLimitBackoff;
        this.retryDelayJitter = b.retryDelayJitter;
        this.longCooldown = b.longCooldown;
        this.quotaResetZone = b.quotaResetZone;
        this.random = b.random;
        this.listeners = new CopyOnWriteArrayList<>(b.listeners);
    }

    /** A new builder. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Reads keys from an environment map, in this order, de-duplicated: {@code GEMINI_API_KEYS} (separated by commas,
     * semicolons or whitespace), {@code GEMINI_API_KEY}, then {@code GEMINI_API_KEY_1}, {@code GEMINI_API_KEY_2}...
     * in numeric order (gaps allowed). Blank values are ignored.
     */
    public static List<String> keysFromEnvironment(Map<String, String> env) {
        Set<String> keys = new LinkedHashSet<>();
        String list = env.get("GEMINI_API_KEYS");
        if (list != null) {
            for (String k : list.split("[,;\\s]+")) {
                if (!k.isBlank()) {
                    keys.add(k.trim());
                }
            }
        }
        String single = env.get("GEMINI_API_KEY");
        if (single != null && !single.isBlank()) {
            keys.add(single.trim());
        }
        TreeMap<Long, String> numbered = new TreeMap<>();
        for (Map.Entry<String, String> e : env.entrySet()) {
            Matcher m = NUMBERED.matcher(e.getKey());
            if (m.matches() && e.getValue() != null && !e.getValue().isBlank() && m.group(1).length() < 10) {
                numbered.put(Long.parseLong(m.group(1)), e.getValue().trim());
            }
        }
        keys.addAll(numbered.values());
        return List.copyOf(keys);
    }

    /** Masks a key for display: at most the first and last 4 characters. */
    public static String mask(String key) {
        return KeyMask.mask(key);
    }

    /** Number of keys (in any state). */
    public int size() {
        return entries.size();
    }

    /** The pool's clock. */
    public Clock clock() {
        return clock;
    }

    /** Registers a listener (see {@link KeyStateListener} for the calling contract). */
    public void addListener(KeyStateListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /** {@link #acquire(Duration)} with the configured maximum wait. */
    public Lease acquire() {
        return acquire(maxWait);
    }

    /**
     * Selects an available key, waiting up to {@code maxWait} for a cooling key.
     *
     * @throws NoKeyAvailableException no key is available within {@code maxWait} (or all are blocked), or the
     *                                 thread was interrupted while waiting (interrupt flag restored)
     */
    public Lease acquire(Duration maxWait) {
        Instant deadline = clock.instant().plus(maxWait);
        while (true) {
            List<KeyStateChange> events = new ArrayList<>();
            Entry chosen;
            Instant earliest = null;
            Instant now;
            synchronized (lock) {
                now = clock.instant();
                expireCooldowns(now, events);
                chosen = select();
                if (chosen != null) {
                    chosen.inFlight++;
                    chosen.started++;
                } else {
                    for (Entry e : entries) {
                        if (e.state == KeyState.COOLING && (earliest == null || e.coolUntil.isBefore(earliest))) {
                            earliest = e.coolUntil;
                        }
                    }
                }
            }
            fire(events);
            if (chosen != null) {
                return new Lease(chosen);
            }
            if (earliest == null) {
                throw new NoKeyAvailableException(null, "all " + entries.size() + " Gemini API keys are blocked", null);
            }
            if (earliest.isAfter(deadline)) {
                throw new NoKeyAvailableException(earliest, "no Gemini API key available; earliest at " + earliest
                        + " (in " + Duration.between(now, earliest) + ")", null);
            }
            try {
                sleeper.sleep(Duration.between(now, earliest));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new NoKeyAvailableException(earliest, "interrupted while waiting for a Gemini API key", e);
            }
        }
    }

    /** Statistics of every key, in configuration order. Also reports expired cool-downs to listeners. */
    public List<KeyStats> snapshot() {
        List<KeyStateChange> events = new ArrayList<>();
        List<KeyStats> out = new ArrayList<>(entries.size());
        synchronized (lock) {
            expireCooldowns(clock.instant(), events);
            for (Entry e : entries) {
                out.add(e.stats());
            }
        }
        fire(events);
        return out;
    }

    /** Statistics of one key by id ({@code key-1}...). */
    public KeyStats stats(String keyId) {
        return snapshot().stream().filter(s -> s.keyId().equals(keyId)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no such key: " + keyId));
    }

    /** Operator action: makes a blocked or cooling key available again. */
    public void unblock(String keyId) {
        List<KeyStateChange> events = new ArrayList<>();
        synchronized (lock) {
            Entry e = entries.stream().filter(x -> x.id.equals(keyId)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no such key: " + keyId));
            e.backoffLevel = 0;
            transition(e, KeyState.AVAILABLE, null, null, null, clock.instant(), events);
        }
        fire(events);
    }

    // ---------------------------------------------------------------------------------------------------------
    // selection and bookkeeping (callers hold the lock)

    private void expireCooldowns(Instant now, List<KeyStateChange> events) {
        for (Entry e : entries) {
            if (e.state == KeyState.COOLING && !e.coolUntil.isAfter(now)) {
                transition(e, KeyState.AVAILABLE, null, null, null, now, events);
            }
        }
    }

    private Entry select() {
        int n = entries.size();
        if (strategy == KeySelectionStrategy.ROUND_ROBIN) {
            for (int i = 0; i < n; i++) {
                int idx = (cursor + i) % n;
                Entry e = entries.get(idx);
                if (e.state == KeyState.AVAILABLE) {
                    cursor = (idx + 1) % n;
                    return e;
                }
            }
            return null;
        }
        Entry best = null;
        for (Entry e : entries) {
            if (e.state == KeyState.AVAILABLE && (best == null || e.inFlight < best.inFlight
                    || (e.inFlight == best.inFlight && e.started < best.started))) {
                best = e;
            }
        }
        return best;
    }

    private void complete(Entry e, long latencyNanos) {
        e.inFlight--;
        e.requests++;
        e.latencyNanos += latencyNanos;
    }

    private void onSuccess(Entry e, UsageMetadata usage, long latencyNanos) {
        synchronized (lock) {
            complete(e, latencyNanos);
            e.successes++;
            e.consecutiveFailures = 0;
            e.backoffLevel = 0;
            dailyStreak.remove(e.project);
            if (usage != null) {
                e.promptTokens += usage.promptTokenCount();
                e.outputTokens += usage.outputTokenCount();
            }
        }
    }

    private void onFailure(Entry e, Classification c, long latencyNanos) {
        List<KeyStateChange> events = new ArrayList<>();
        synchronized (lock) {
            complete(e, latencyNanos);
            e.failures.merge(c.errorClass(), 1L, Long::sum);
            e.consecutiveFailures++;
            Instant now = clock.instant();
            ErrorClass cls = c.errorClass();
            switch (cls.penalty()) {
                case NONE -> {
                }
                case BLOCK_KEY -> transition(e, KeyState.BLOCKED, cls, c.reason(), null, now, events);
                case BLOCK_PROJECT -> {
                    for (Entry p : project(e)) {
                        transition(p, KeyState.BLOCKED, cls, c.reason(), null, now, events);
                    }
                }
                case COOL_KEY_LONG -> cool(e, now.plus(longCooldown), cls, c.reason(), now, events);
                case COOL_KEY_BACKOFF -> {
                    e.backoffLevel++;
                    cool(e, now.plus(rateLimitBackoff.delay(e.backoffLevel)), cls, c.reason(), now, events);
                }
                case COOL_PROJECT_RETRY_DELAY -> {
                    Duration d;
                    if (c.retryDelay() != null) {
                        d = c.retryDelay().plus(jitter());
                    } else {
                        e.backoffLevel++;
                        d = rateLimitBackoff.delay(e.backoffLevel);
                    }
                    for (Entry p : project(e)) {
                        cool(p, now.plus(d), cls, c.reason(), now, events);
                    }
                }
                case COOL_PROJECT_UNTIL_RESET -> {
                    int streak = dailyStreak.merge(e.project, 1, Integer::sum);
                    Instant until = streak == 1 && c.retryDelay() != null ? now.plus(c.retryDelay()).plus(jitter())
                            : nextQuotaReset(now);
                    for (Entry p : project(e)) {
                        cool(p, until, cls, c.reason(), now, events);
                    }
                }
            }
        }
        fire(events);
    }

    private Duration jitter() {
        long max = retryDelayJitter.toNanos();
        return max == 0 ? Duration.ZERO : Duration.ofNanos(Backoffs.random(random).nextLong(max + 1));
    }

    /** Start of the next day in the quota zone (Gemini's RPD quotas reset at midnight Pacific time). */
    Instant nextQuotaReset(Instant now) {
        return now.atZone(quotaResetZone).toLocalDate().plusDays(1).atStartOfDay(quotaResetZone).toInstant();
    }

    private List<Entry> project(Entry e) {
        List<Entry> out = new ArrayList<>();
        for (Entry p : entries) {
            if (p.project.equals(e.project)) {
                out.add(p);
            }
        }
        return out;
    }

    private void cool(Entry e, Instant until, ErrorClass cause, String reason, Instant now,
                      List<KeyStateChange> events) {
        if (e.state == KeyState.BLOCKED || (e.state == KeyState.COOLING && !until.isAfter(e.coolUntil))) {
            return;
        }
        transition(e, KeyState.COOLING, cause, reason, until, now, events);
    }

    private void transition(Entry e, KeyState to, ErrorClass cause, String reason, Instant until, Instant now,
                            List<KeyStateChange> events) {
        KeyState from = e.state;
        if (from == to && to != KeyState.COOLING) {
            return;
        }
        e.state = to;
        e.coolUntil = to == KeyState.COOLING ? until : null;
        e.reason = to == KeyState.AVAILABLE ? null : reason;
        events.add(new KeyStateChange(e.id, e.masked, e.tag, from, to, cause, reason, e.coolUntil, now));
    }

    private void fire(List<KeyStateChange> events) {
        for (KeyStateChange ev : events) {
            if (ev.to() == KeyState.BLOCKED) {
                log.warn("Gemini key {} ({}) blocked: {}", ev.keyId(), ev.maskedKey(), ev.reason());
            } else if (ev.to() == KeyState.COOLING) {
                log.info("Gemini key {} ({}) cooling until {}: {}", ev.keyId(), ev.maskedKey(), ev.until(),
                        ev.reason());
            } else {
                log.info("Gemini key {} ({}) available again", ev.keyId(), ev.maskedKey());
            }
            for (KeyStateListener l : listeners) {
                try {
                    l.onStateChange(ev);
                } catch (RuntimeException ex) {
                    log.warn("KeyStateListener {} failed", l, ex);
                }
            }
        }
    }

    /**
     * One use of one key. Complete it exactly once with {@link #succeeded} or {@link #failed}; {@link #close()}
     * releases an uncompleted lease without counting it. Latency is measured from acquisition to completion. Not
     * meant to be shared between threads.
     */
    public final class Lease implements AutoCloseable {
        private final Entry entry;
        private final long startNanos = System.nanoTime();
        private boolean done;

        private Lease(Entry entry) {
            this.entry = entry;
        }

        /** The key value, to put in the request. Do not log it. */
        public String key() {
            return entry.key;
        }

        /** Pool-local id such as {@code key-2}. */
        public String keyId() {
            return entry.id;
        }

        /** Masked key value. */
        public String maskedKey() {
            return entry.masked;
        }

        /** Project tag, or {@code null}. */
        public String project() {
            return entry.tag;
        }

        /** Records a call that reached the model (HTTP 200), with its token usage (may be {@code null}). */
        public void succeeded(UsageMetadata usage) {
            finish();
            onSuccess(entry, usage, System.nanoTime() - startNanos);
        }

        /** Records a failed call and applies the class's penalty. */
        public void failed(Classification classification) {
            Objects.requireNonNull(classification, "classification");
            finish();
            onFailure(entry, classification, System.nanoTime() - startNanos);
        }

        /** Releases the lease if it was not completed (the call is not counted). Idempotent. */
        @Override
        public void close() {
            if (!done) {
                done = true;
                synchronized (lock) {
                    entry.inFlight--;
                }
            }
        }

        private void finish() {
            if (done) {
                throw new IllegalStateException("lease of " + entry.id + " already completed");
            }
            done = true;
        }
    }

    /** Mutable per-key state; every field except the final ones is guarded by {@link #lock}. */
    private static final class Entry {
        final String id;
        final String key;
        final String masked;
        final String tag;
        /** Quota group: the tag, or a private group per untagged key. */
        final String project;
        KeyState state = KeyState.AVAILABLE;
        Instant coolUntil;
        String reason;
        int inFlight;
        long started;
        long requests;
        long successes;
        final Map<ErrorClass, Long> failures = new EnumMap<>(ErrorClass.class);
        long promptTokens;
        long outputTokens;
        long latencyNanos;
        int consecutiveFailures;
        int backoffLevel;

        Entry(String id, String key, String tag) {
            this.id = id;
            this.key = key;
            this.masked = KeyMask.mask(key);
            this.tag = tag;
            this.project = tag != null ? "project:" + tag : "key:" + id;
        }

        KeyStats stats() {
            long failed = failures.values().stream().mapToLong(Long::longValue).sum();
            Duration total = Duration.ofNanos(latencyNanos);
            Duration avg = requests == 0 ? Duration.ZERO : Duration.ofNanos(latencyNanos / requests);
            return new KeyStats(id, masked, tag, state, requests, inFlight, successes, failed, failures,
                    promptTokens, outputTokens, total, avg, coolUntil, reason, consecutiveFailures);
        }
    }

    /** Builder for {@link ApiKeyPool}; validates eagerly, not thread-safe. */
    public static final class Builder {
        private final LinkedHashMap<String, String> keys = new LinkedHashMap<>();
        private final Set<String> seen = new LinkedHashSet<>();
        private KeySelectionStrategy strategy = KeySelectionStrategy.ROUND_ROBIN;
        private Clock clock = Clock.systemUTC();
        private Sleeper sleeper = Sleeper.system();
        private Duration maxWait = Duration.ofSeconds(15);
        private RetryPolicy rateLimitBackoff = RetryPolicy.exponential(Duration.ofSeconds(1), Duration.ofSeconds(60));
        private Duration retryDelayJitter = Duration.ofMillis(500);
        private Duration longCooldown = Duration.ofHours(1);
        private ZoneId quotaResetZone = ZoneId.of("America/Los_Angeles");
        private RandomGenerator random = ThreadLocalRandom.current();
        private final List<KeyStateListener> listeners = new ArrayList<>();

        private Builder() {
        }

        /** Adds a key without project tag (its own quota group). Duplicates are ignored. */
        public Builder addKey(String key) {
            return addKey(key, null);
        }

        /**
         * Adds a key of a project: keys with the same tag share quota, so a quota error cools them together.
         * A key added twice keeps its first tag.
         */
        public Builder addKey(String key, String project) {
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
            return this;
        }

        /** Adds several untagged keys. */
        public Builder addKeys(Iterable<String> keys) {
            keys.forEach(this::addKey);
            return this;
        }

        /** Adds the keys found by {@link ApiKeyPool#keysFromEnvironment(Map)}. */
        public Builder keysFromEnvironment(Map<String, String> env) {
            return addKeys(ApiKeyPool.keysFromEnvironment(env));
        }

        /** Selection strategy (default round-robin). */
        public Builder strategy(KeySelectionStrategy strategy) {
            this.strategy = Objects.requireNonNull(strategy, "strategy");
            return this;
        }

        /** Time source for cool-downs (default UTC system clock); tests pass a fake. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** How {@link #acquire()} waits for a cooling key (default {@link Sleeper#system()}). */
        public Builder sleeper(Sleeper sleeper) {
            this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
            return this;
        }

        /** Longest {@link #acquire()} waits for a cooling key before failing (default 15 s; zero = never wait). */
        public Builder maxWait(Duration maxWait) {
            if (maxWait == null || maxWait.isNegative()) {
                throw new IllegalArgumentException("maxWait must be >= 0: " + maxWait);
            }
            this.maxWait = maxWait;
            return this;
        }

        /** Per-key backoff for bare 429s and quota errors without a delay (default 1 s doubling to 60 s). */
        public Builder rateLimitBackoff(RetryPolicy policy) {
            this.rateLimitBackoff = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /** Upper bound of the random delay added to a server {@code retryDelay} (default 500 ms; may be zero). */
        public Builder retryDelayJitter(Duration jitter) {
            if (jitter == null || jitter.isNegative()) {
                throw new IllegalArgumentException("retryDelayJitter must be >= 0: " + jitter);
            }
            this.retryDelayJitter = jitter;
            return this;
        }

        /** Cool-down for "no access to this model" and billing errors (default 1 h). */
        public Builder longCooldown(Duration longCooldown) {
            if (longCooldown == null || longCooldown.isNegative() || longCooldown.isZero()) {
                throw new IllegalArgumentException("longCooldown must be positive: " + longCooldown);
            }
            this.longCooldown = longCooldown;
            return this;
        }

        /** Zone whose midnight resets per-day quotas (default America/Los_Angeles). */
        public Builder quotaResetZone(ZoneId zone) {
            this.quotaResetZone = Objects.requireNonNull(zone, "zone");
            return this;
        }

        /** Random source for jitter (must be thread-safe; default {@link ThreadLocalRandom}). */
        public Builder random(RandomGenerator random) {
            this.random = Objects.requireNonNull(random, "random");
            return this;
        }

        /** Adds a state listener. */
        public Builder listener(KeyStateListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * Builds the pool.
         *
         * @throws IllegalStateException when no key was configured
         */
        public ApiKeyPool build() {
            if (keys.isEmpty()) {
                throw new IllegalStateException("an ApiKeyPool needs at least one key (set GEMINI_API_KEYS?)");
            }
            return new ApiKeyPool(this);
        }
    }
}

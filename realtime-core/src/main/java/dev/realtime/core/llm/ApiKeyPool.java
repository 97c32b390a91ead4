package dev.realtime.core.llm;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
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

    private final KeyLedger ledger;
    private final Clock clock;
    private final Sleeper sleeper;
    private final Duration maxWait;
    private final List<KeyStateListener> listeners;

    private ApiKeyPool(Builder b) {
        List<KeyEntry> list = new ArrayList<>();
        int i = 1;
        for (Map.Entry<String, String> e : b.keys.entrySet()) {
            String id = "key-" + i++;
            list.add(new KeyEntry(id, e.getKey(), e.getValue()));
        }
        this.clock = b.clock;
        this.sleeper = b.sleeper;
        this.maxWait = b.maxWait;
        this.ledger = new KeyLedger(list, b.strategy, b.clock, new Cooldowns(b.rateLimitBackoff,
                b.retryDelayJitter, b.longCooldown, b.quotaResetZone, b.random));
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
        return ledger.size();
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
            KeyLedger.Attempt attempt = ledger.tryAcquire(events);
            fire(events);
            if (attempt.chosen() != null) {
                return new Lease(attempt.chosen());
            }
            Instant earliest = attempt.earliest();
            Instant now = attempt.now();
            if (earliest == null) {
                throw new NoKeyAvailableException(null, "all " + ledger.size() + " Gemini API keys are blocked", null);
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
        List<KeyStats> out = ledger.snapshot(events);
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
        ledger.unblock(keyId, events);
        fire(events);
    }

    /** Logs state changes and reports them to the listeners, outside the lock. */
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
        private final KeyEntry entry;
        private final long startNanos = System.nanoTime();
        private boolean done;

        private Lease(KeyEntry entry) {
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
            ledger.succeeded(entry, usage, System.nanoTime() - startNanos);
        }

        /** Records a failed call and applies the class's penalty. */
        public void failed(Classification classification) {
            Objects.requireNonNull(classification, "classification");
            finish();
            List<KeyStateChange> events = new ArrayList<>();
            ledger.failed(entry, classification, System.nanoTime() - startNanos, events);
            fire(events);
        }

        /** Releases the lease if it was not completed (the call is not counted). Idempotent. */
        @Override
        public void close() {
            if (!done) {
                done = true;
                ledger.release(entry);
            }
        }

        private void finish() {
            if (done) {
                throw new IllegalStateException("lease of " + entry.id + " already completed");
            }
            done = true;
        }
    }

    /** Builder for {@link ApiKeyPool}; validates eagerly, not thread-safe. */
    public static final class Builder extends AbstractApiKeyPoolBuilder {
        private Builder() {
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

package dev.realtime.core.llm;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The key states of an {@link ApiKeyPool} and the rules that change them: selection by strategy, expiry of
 * cool-downs, and the penalty of each {@link ErrorClass}. Thread-safe: every method holds one lock for its
 * bookkeeping only; the state changes it makes are returned (added to {@code events}) for the pool to report
 * outside the lock.
 */
final class KeyLedger {
    private final List<KeyEntry> entries;
    private final KeySelectionStrategy strategy;
    private final Clock clock;
    private final Cooldowns cooldowns;

    private final Object lock = new Object();
    /** Next round-robin start index; guarded by {@link #lock}. */
    private int cursor;
    /** Consecutive daily-quota errors per project, reset by a success in the project; guarded by {@link #lock}. */
    private final Map<String, Integer> dailyStreak = new HashMap<>();

    KeyLedger(List<KeyEntry> entries, KeySelectionStrategy strategy, Clock clock, Cooldowns cooldowns) {
        this.entries = List.copyOf(entries);
        this.strategy = strategy;
        this.clock = clock;
        this.cooldowns = cooldowns;
    }

    /** The outcome of one {@link #tryAcquire}: the key claimed, or else the earliest end of a cool-down. */
    record Attempt(KeyEntry chosen, Instant earliest, Instant now) {
    }

    int size() {
        return entries.size();
    }

    /**
     * Claims an available key (one more call in flight); when there is none, reports when the first cooling key
     * frees up ({@code null} when all are blocked).
     */
    Attempt tryAcquire(List<KeyStateChange> events) {
        synchronized (lock) {
            Instant now = clock.instant();
            expireCooldowns(now, events);
            KeyEntry chosen = select();
            if (chosen != null) {
                chosen.inFlight++;
                chosen.started++;
                return new Attempt(chosen, null, now);
            }
            Instant earliest = null;
            for (KeyEntry e : entries) {
                if (e.state == KeyState.COOLING && (earliest == null || e.coolUntil.isBefore(earliest))) {
                    earliest = e.coolUntil;
                }
            }
            return new Attempt(null, earliest, now);
        }
    }

    /** Statistics of every key, in configuration order, after expiring cool-downs. */
    List<KeyStats> snapshot(List<KeyStateChange> events) {
        List<KeyStats> out = new ArrayList<>(entries.size());
        synchronized (lock) {
            expireCooldowns(clock.instant(), events);
            for (KeyEntry e : entries) {
                out.add(e.stats());
            }
        }
        return out;
    }

    /** Makes a blocked or cooling key available again. */
    void unblock(String keyId, List<KeyStateChange> events) {
        synchronized (lock) {
            KeyEntry e = entries.stream().filter(x -> x.id.equals(keyId)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no such key: " + keyId));
            e.backoffLevel = 0;
            transition(e, KeyState.AVAILABLE, null, null, null, clock.instant(), events);
        }
    }

    /** Releases a claimed key without counting the call. */
    void release(KeyEntry e) {
        synchronized (lock) {
            e.inFlight--;
        }
    }

    /** Counts a call that reached the model; resets the key's backoff and its project's daily streak. */
    void succeeded(KeyEntry e, UsageMetadata usage, long latencyNanos) {
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

    /** Counts a failed call and applies its class's penalty to the key or its project. */
    void failed(KeyEntry e, Classification c, long latencyNanos, List<KeyStateChange> events) {
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
                    for (KeyEntry p : project(e)) {
                        transition(p, KeyState.BLOCKED, cls, c.reason(), null, now, events);
                    }
                }
                case COOL_KEY_LONG -> cool(e, now.plus(cooldowns.longCooldown()), cls, c.reason(), now, events);
                case COOL_KEY_BACKOFF -> {
                    e.backoffLevel++;
                    cool(e, now.plus(cooldowns.rateLimitBackoff().delay(e.backoffLevel)), cls, c.reason(), now,
                            events);
                }
                case COOL_PROJECT_RETRY_DELAY -> {
                    Duration d;
                    if (c.retryDelay() != null) {
                        d = c.retryDelay().plus(cooldowns.jitter());
                    } else {
                        e.backoffLevel++;
                        d = cooldowns.rateLimitBackoff().delay(e.backoffLevel);
                    }
                    for (KeyEntry p : project(e)) {
                        cool(p, now.plus(d), cls, c.reason(), now, events);
                    }
                }
                case COOL_PROJECT_UNTIL_RESET -> {
                    int streak = dailyStreak.merge(e.project, 1, Integer::sum);
                    Instant until = streak == 1 && c.retryDelay() != null
                            ? now.plus(c.retryDelay()).plus(cooldowns.jitter())
                            : cooldowns.nextQuotaReset(now);
                    for (KeyEntry p : project(e)) {
                        cool(p, until, cls, c.reason(), now, events);
                    }
                }
            }
        }
    }

    // ---- callers hold the lock ----------------------------------------------------------------------------

    private void expireCooldowns(Instant now, List<KeyStateChange> events) {
        for (KeyEntry e : entries) {
            if (e.state == KeyState.COOLING && !e.coolUntil.isAfter(now)) {
                transition(e, KeyState.AVAILABLE, null, null, null, now, events);
            }
        }
    }

    private KeyEntry select() {
        int n = entries.size();
        if (strategy == KeySelectionStrategy.ROUND_ROBIN) {
            for (int i = 0; i < n; i++) {
                int idx = (cursor + i) % n;
                KeyEntry e = entries.get(idx);
                if (e.state == KeyState.AVAILABLE) {
                    cursor = (idx + 1) % n;
                    return e;
                }
            }
            return null;
        }
        KeyEntry best = null;
        for (KeyEntry e : entries) {
            if (e.state == KeyState.AVAILABLE && (best == null || e.inFlight < best.inFlight
                    || (e.inFlight == best.inFlight && e.started < best.started))) {
                best = e;
            }
        }
        return best;
    }

    private void complete(KeyEntry e, long latencyNanos) {
        e.inFlight--;
        e.requests++;
        e.latencyNanos += latencyNanos;
    }

    private List<KeyEntry> project(KeyEntry e) {
        List<KeyEntry> out = new ArrayList<>();
        for (KeyEntry p : entries) {
            if (p.project.equals(e.project)) {
                out.add(p);
            }
        }
        return out;
    }

    private void cool(KeyEntry e, Instant until, ErrorClass cause, String reason, Instant now,
                      List<KeyStateChange> events) {
        if (e.state == KeyState.BLOCKED || (e.state == KeyState.COOLING && !until.isAfter(e.coolUntil))) {
            return;
        }
        transition(e, KeyState.COOLING, cause, reason, until, now, events);
    }

    private void transition(KeyEntry e, KeyState to, ErrorClass cause, String reason, Instant until, Instant now,
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
}

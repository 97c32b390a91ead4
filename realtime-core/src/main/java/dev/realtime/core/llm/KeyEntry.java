package dev.realtime.core.llm;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;

/**
 * Mutable state of one key of an {@link ApiKeyPool}; every field except the final ones is guarded by the lock of
 * its {@link KeyLedger}.
 */
final class KeyEntry {
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

    KeyEntry(String id, String key, String tag) {
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

package dev.realtime.core.llm;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * Point-in-time statistics of one key. Invariants: {@code requests == successes + failures}
 * (completed calls only; {@code inFlight} counts calls still running) and {@code failures} equals the sum of
 * {@code failuresByClass}. Immutable.
 *
 * @param successes       calls that reached the model with HTTP 200 (including blocked/filtered content)
 * @param blockedUntil    end of the current cool-down, or {@code null} (also {@code null} when blocked)
 * @param blockReason     why the key is cooling or blocked, or {@code null} when available
 * @param averageLatency  {@code totalLatency / requests}, zero when no request completed
 * @since 0.1
 */
public record KeyStats(String keyId, String maskedKey, String project, KeyState state, long requests,
                       long inFlight, long successes, long failures, Map<ErrorClass, Long> failuresByClass,
                       long promptTokens, long outputTokens, Duration totalLatency, Duration averageLatency,
                       Instant blockedUntil, String blockReason, int consecutiveFailures) {
    public KeyStats {
        failuresByClass = Map.copyOf(failuresByClass);
    }
}

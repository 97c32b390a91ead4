package dev.realtime.core.llm;

import java.time.Instant;

/**
 * A state transition of one key, delivered to {@link KeyStateListener}s.
 *
 * @param keyId     stable pool-local id ({@code key-1}, {@code key-2}...)
 * @param maskedKey masked key value, safe to log
 * @param project   project tag, or {@code null}
 * @param from      previous state
 * @param to        new state
 * @param cause     the error class that caused it, or {@code null} (cool-down expired, operator unblock)
 * @param reason    human-readable cause, or {@code null}
 * @param until     end of the cool-down for {@link KeyState#COOLING}, else {@code null}
 * @param at        when the transition was observed (pool clock)
 * @since 0.1
 */
public record KeyStateChange(String keyId, String maskedKey, String project, KeyState from, KeyState to,
                             ErrorClass cause, String reason, Instant until, Instant at) {
}

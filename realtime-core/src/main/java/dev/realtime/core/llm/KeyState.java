package dev.realtime.core.llm;

/**
 * State of a key in an {@link ApiKeyPool}: {@code AVAILABLE -> COOLING -> AVAILABLE}, or {@code BLOCKED} until an
 * operator calls {@link ApiKeyPool#unblock(String)}.
 *
 * @since 0.1
 */
public enum KeyState {
    /** Eligible for selection. */
    AVAILABLE,
    /** Ineligible until a known instant (rate limit or quota). */
    COOLING,
    /** Ineligible until unblocked (invalid, expired, suspended, leaked key, API disabled). */
    BLOCKED
}

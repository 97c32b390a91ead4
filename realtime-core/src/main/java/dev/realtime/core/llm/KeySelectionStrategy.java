package dev.realtime.core.llm;

/**
 * How an {@link ApiKeyPool} picks among its available keys.
 *
 * @since 0.1
 */
public enum KeySelectionStrategy {
    /** Cycle through the keys in configuration order, skipping ineligible ones. */
    ROUND_ROBIN,
    /** The key with the fewest calls in flight; ties go to the fewest calls started, then configuration order. */
    LEAST_USED
}

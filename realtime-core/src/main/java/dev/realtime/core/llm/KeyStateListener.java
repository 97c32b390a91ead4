package dev.realtime.core.llm;

/**
 * Observes key state changes of an {@link ApiKeyPool}. Called synchronously on the thread that caused or observed
 * the change (a caller thread), outside the pool's lock; may be called concurrently, so implementations must be
 * thread-safe and should not block. Exceptions are logged and ignored. A cool-down's end
 * ({@code COOLING -> AVAILABLE}) is reported lazily, when the pool next selects a key or takes a snapshot.
 *
 * @since 0.1
 */
@FunctionalInterface
public interface KeyStateListener {

    /** One transition. */
    void onStateChange(KeyStateChange change);
}

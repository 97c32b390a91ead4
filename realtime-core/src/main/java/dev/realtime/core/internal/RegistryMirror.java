package dev.realtime.core.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The chaining of one connection's client-registry calls ({@link dev.realtime.core.ClientRegistry}: register,
 * subscribe, unsubscribe, remove): each runs on the hub's registry executor after the previous one, in the order
 * they were made, so a remove never overtakes the register before it. A failing call is logged (under the
 * {@code RealConnection} logger) and never affects the connection or the calls after it. The tail of the chain is a
 * field of the connection (no object per connection here); stateless and thread-safe, the caller guards the tail.
 */
final class RegistryMirror {
    private static final Logger log = LoggerFactory.getLogger(RealConnection.class);
    /** The completed tail every connection starts from (shared: completing it again is a no-op). */
    static final CompletableFuture<Void> NO_CALLS = CompletableFuture.completedFuture(null);

    private RegistryMirror() {
    }

    /** The new tail: {@code call} on {@code executor} after {@code tail}, its failure logged. */
    static CompletableFuture<Void> after(CompletableFuture<Void> tail, Runnable call, Executor executor) {
        Runnable guarded = () -> {
            try {
                call.run();
            } catch (RuntimeException e) {
                log.warn("client registry call failed: {}", e.toString());
            }
        };
        return tail.thenRunAsync(guarded, executor);
    }
}

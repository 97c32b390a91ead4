package dev.realtime.core.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection's client-registry calls ({@link dev.realtime.core.ClientRegistry}: register, subscribe,
 * unsubscribe, remove), run one after another on the hub's registry executor in the order they were made, so a
 * remove never overtakes the register before it. A failing call is logged (under the {@code RealConnection}
 * logger) and never affects the connection or the calls after it.
 *
 * <p>Thread-safe: any thread may call {@link #mirror}; the tail of the chain is guarded by this object's lock.
 */
final class RegistryMirror {
    private static final Logger log = LoggerFactory.getLogger(RealConnection.class);
    /** The completed tail every connection starts from (shared: completing it again is a no-op). */
    private static final CompletableFuture<Void> NO_CALLS = CompletableFuture.completedFuture(null);

    private final Executor executor;
    /** The tail of the calls; guarded by this. */
    private CompletableFuture<Void> registryCalls = NO_CALLS;

    RegistryMirror(Executor executor) {
        this.executor = executor;
    }

    /** Runs {@code call} on the executor after the previous calls; its failure is logged. */
    void mirror(Runnable call) {
        Runnable guarded = () -> {
            try {
                call.run();
            } catch (RuntimeException e) {
                log.warn("client registry call failed: {}", e.toString());
            }
        };
        synchronized (this) {
            registryCalls = registryCalls.thenRunAsync(guarded, executor);
        }
    }
}

package dev.realtime.core.internal;

import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The close listeners of one client: each runs once, on close or at once when already closed. The list exists only
 * once a listener was added (most clients never get one). Thread-safe: the list is guarded by this object's
 * monitor; listeners run outside it, on the thread that closes (or, when already closed, the adding thread).
 */
final class CloseListeners {
    private static final Logger log = LoggerFactory.getLogger(CloseListeners.class);

    /** Null until the first listener; guarded by this. */
    private List<Runnable> listeners;
    /** Guarded by this. */
    private boolean fired;

    Runnable add(Runnable listener) {
        synchronized (this) {
            if (!fired) {
                if (listeners == null) {
                    listeners = new ArrayList<>(2);
                }
                listeners.add(listener);
                return () -> remove(listener);
            }
        }
        run(listener);
        return () -> { };
    }

    private synchronized void remove(Runnable listener) {
        if (listeners != null) {
            listeners.remove(listener);
        }
    }

    void fire() {
        List<Runnable> all;
        synchronized (this) {
            if (fired) {
                return;
            }
            fired = true;
            all = listeners;
            listeners = null;
        }
        if (all != null) {
            all.forEach(CloseListeners::run);
        }
    }

    private static void run(Runnable l) {
        try {
            l.run();
        } catch (RuntimeException e) {
            log.warn("close listener failed", e);
        }
    }
}

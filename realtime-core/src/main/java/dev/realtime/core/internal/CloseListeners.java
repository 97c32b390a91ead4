package dev.realtime.core.internal;

import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The close listeners of one client: each runs once, on close or at once when already closed. Thread-safe. */
final class CloseListeners {
    private static final Logger log = LoggerFactory.getLogger(CloseListeners.class);

    private final CopyOnWriteArrayList<Runnable> listeners = new CopyOnWriteArrayList<>();
    private volatile boolean fired;

    Runnable add(Runnable listener) {
        listeners.add(listener);
        if (fired && listeners.remove(listener)) {
            run(listener);
        }
        return () -> listeners.remove(listener);
    }

    void fire() {
        fired = true;
        for (Runnable l : listeners) {
            if (listeners.remove(l)) {
                run(l);
            }
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

package dev.realtime.examples.archfixture;

import dev.realtime.core.internal.HubEngine;

/** A deliberate violation for {@link dev.realtime.examples.PublicApiOnlyTest}: a "gateway" using the engine. */
public final class ReachesIntoTheEngine {
    private ReachesIntoTheEngine() {
    }

    /** Uses an internal type, which the architecture rule forbids outside the engine. */
    public static int connections(HubEngine engine) {
        return engine.connectionCount();
    }
}

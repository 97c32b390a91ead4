package dev.realtime.jakarta.server;

import java.io.IOException;
import java.util.concurrent.Executor;
import org.glassfish.grizzly.Connection;
import org.glassfish.grizzly.Grizzly;
import org.glassfish.grizzly.IOEvent;
import org.glassfish.grizzly.attributes.Attribute;
import org.glassfish.grizzly.strategies.AbstractIOStrategy;

/**
 * The standalone server's I/O strategy: Grizzly's worker-thread strategy (a read is handled on a worker, the
 * connection's read interest off until then), except that the reads of a connection {@link #mark marked} as
 * carrying Engine.IO polls of an open session are handled on the selector thread that saw them.
 *
 * <p>Such a poll does no blocking work and runs no user code (a session lookup, then an answer or a suspension;
 * the packets of a POST go on to the connection's own executor), so its hop to a worker and back was pure cost:
 * a wake-up of the worker, a task queued for the selector to re-arm the read interest, and its wake-up, per poll.
 * A marked connection whose next request is anything else (the API, a handshake, an upgrade) still has it parsed
 * on the selector thread; {@link HttpApi} hands such a request to a worker before it is served, and
 * {@link HandshakeAdmissionFilter} does so with an upgrade. Close events always go to a worker.
 *
 * <p>Stateless and thread-safe; the mark is a connection attribute, set and cleared per request by
 * {@link HttpApi} (and cleared by {@link HandshakeAdmissionFilter} at an upgrade), read by the selector thread
 * when the connection's next read event comes.
 */
final class InlineReads extends AbstractIOStrategy {
    private static final Attribute<Boolean> INLINE =
            Grizzly.DEFAULT_ATTRIBUTE_BUILDER.createAttribute("realtime.inline-reads");
    /** Grizzly's own logger kind (java.util.logging), for what its event dispatch reports. */
    private static final java.util.logging.Logger GRIZZLY_LOG = Grizzly.logger(InlineReads.class);

    /** Marks (or unmarks) a connection whose reads run on its selector thread. */
    static void mark(Connection<?> connection, boolean inline) {
        if (inline != marked(connection)) {
            INLINE.set(connection, inline);
        }
    }

    static boolean marked(Connection<?> connection) {
        return Boolean.TRUE.equals(INLINE.get(connection));
    }

    @Override
    public boolean executeIoEvent(Connection connection, IOEvent ioEvent, boolean isIoEventEnabled)
            throws IOException {
        // as WorkerThreadIOStrategy: a read or write event turns its interest off until the chain completes
        org.glassfish.grizzly.IOEventLifeCycleListener listener = null;
        if (isReadWrite(ioEvent)) {
            if (isIoEventEnabled) {
                connection.disableIOEvent(ioEvent);
            }
            listener = ENABLE_INTEREST_LIFECYCLE_LISTENER;
        }
        Executor pool = getThreadPoolFor(connection, ioEvent);
        if (pool == null) {
            fireIOEvent(connection, ioEvent, listener, GRIZZLY_LOG);
        } else {
            org.glassfish.grizzly.IOEventLifeCycleListener l = listener;
            pool.execute(() -> fireIOEvent(connection, ioEvent, l, GRIZZLY_LOG));
        }
        return true;
    }

    @Override
    public Executor getThreadPoolFor(Connection connection, IOEvent ioEvent) {
        if (ioEvent == IOEvent.READ && marked(connection)) {
            return null;
        }
        return super.getThreadPoolFor(connection, ioEvent);
    }
}

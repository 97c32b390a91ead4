package dev.realtime.core.broker;

import java.util.function.Consumer;

/**
 * Carries published events to the other nodes of a cluster. The hub always delivers an event to its own
 * connections itself and then hands it to {@link #publish}; the broker delivers it to every <em>other</em> node,
 * where it reaches the consumer given to {@link #start}. So a node never delivers its own publish twice.
 *
 * <p>Lifecycle: {@link #start} once, by the hub that owns the broker; {@link #close} releases the broker's
 * threads and connections. Thread-safe. {@code publish} must not block for long: a broker that cannot reach its
 * backend logs, counts and drops (local delivery has already happened).
 *
 * @since 0.1
 */
public interface Broker extends AutoCloseable {

    /** Starts receiving envelopes from other nodes; {@code remote} is called on a broker-owned thread. */
    void start(String nodeId, Consumer<Envelope> remote);

    /**
     * As {@link #start(String, Consumer)}, and calls {@code reconnected} (on a broker thread; it must not block)
     * each time the broker reaches the other nodes again after losing them, so the hub can catch up what may have
     * been lost meanwhile. The default ignores {@code reconnected} (a broker that never loses messages).
     */
    default void start(String nodeId, Consumer<Envelope> remote, Runnable reconnected) {
        start(nodeId, remote);
    }

    /** Sends an envelope to the other nodes. */
    void publish(Envelope envelope);

    /** Whether the broker currently reaches the other nodes (always true for the single-node broker). */
    default boolean connected() {
        return true;
    }

    /**
     * How many other nodes receive what this node publishes, for requests that wait for every node's answer
     * (fetchSockets); {@code -1} when the broker cannot tell, and the request then waits for its timeout. May do
     * I/O; never called on a broker or container thread.
     */
    default int otherNodes() {
        return -1;
    }

    @Override
    void close();

    /** The single-node broker: there are no other nodes, so publishing does nothing. */
    static Broker local() {
        return LocalBroker.INSTANCE;
    }
}

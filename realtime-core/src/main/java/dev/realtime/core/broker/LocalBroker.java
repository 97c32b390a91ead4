package dev.realtime.core.broker;

import java.util.function.Consumer;

/** Single-node broker: no other nodes exist. Stateless, so one shared instance is safe. */
enum LocalBroker implements Broker {
    INSTANCE;

    @Override
    public void start(String nodeId, Consumer<Envelope> remote) {
    }

    @Override
    public void publish(Envelope envelope) {
    }

    @Override
    public int otherNodes() {
        return 0;
    }

    @Override
    public void close() {
    }
}

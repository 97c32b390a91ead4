package dev.realtime.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.realtime.core.broker.Broker;
import dev.realtime.core.broker.Envelope;
import dev.realtime.core.history.HistoryStore;
import dev.realtime.core.testing.RecordingTransport;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Two hubs sharing one history store, linked by a broker whose delivery order the test controls: a connection
 * that sees offset n+2 before n+1 gets the hole filled from history, in order, and the late n+1 is skipped.
 */
class ClusterOrderingTest {

    /** A broker between two nodes that holds envelopes until the test releases them, in any order. */
    static final class HeldBroker implements Broker {
        final List<Envelope> held = new ArrayList<>();
        Consumer<Envelope> peer;

        @Override
        public void start(String nodeId, Consumer<Envelope> remote) {
        }

        @Override
        public synchronized void publish(Envelope envelope) {
            held.add(envelope);
        }

        synchronized void release(int index) {
            peer.accept(held.get(index));
        }

        @Override
        public void close() {
        }
    }

    static final class Receiving implements Broker {
        Consumer<Envelope> remote;

        @Override
        public void start(String nodeId, Consumer<Envelope> remote) {
            this.remote = remote;
        }

        @Override
        public void publish(Envelope envelope) {
        }

        @Override
        public void close() {
        }
    }

    @Test
    void outOfOrderDeliveryAcrossNodesIsReorderedFromHistory() {
        HistoryStore shared = HistoryStore.inMemory(100, Duration.ofHours(1), Clock.systemUTC());
        HeldBroker aBroker = new HeldBroker();
        Receiving bBroker = new Receiving();
        // the shared store must outlive both hubs' close(); wrap it so close is a no-op
        HistoryStore view = new HistoryStore() {
            @Override
            public dev.realtime.core.history.HistoryEntry append(String s, String e, String d, java.time.Instant t) {
                return shared.append(s, e, d, t);
            }

            @Override
            public dev.realtime.core.history.HistoryPage read(String s, long after, int limit) {
                return shared.read(s, after, limit);
            }

            @Override
            public dev.realtime.core.history.StreamPosition position(String s) {
                return shared.position(s);
            }
        };
        try (RealtimeHub a = RealtimeHub.builder().nodeId("a").historyStore(view).broker(aBroker).build();
             RealtimeHub b = RealtimeHub.builder().nodeId("b").historyStore(view).broker(bBroker).build()) {
            aBroker.peer = bBroker.remote;
            RecordingTransport t = new RecordingTransport();
            ConnectionHandle h = b.connect(t, Protocol.NATIVE);
            t.next("connection");
            h.onText("{\"type\":\"subscribe\",\"room\":\"job:o\"}");
            t.next("subscribed");

            a.jobs().progress("o", 1, null); // offset 1
            a.jobs().update("o", "x", null); // offset 2
            a.jobs().completed("o", "r"); // offset 3
            aBroker.release(2); // node B sees offset 3 first
            aBroker.release(0);
            aBroker.release(1);

            List<Long> offsets = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                JsonNode e = t.next("event");
                offsets.add(e.path("offset").asLong());
            }
            assertEquals(List.of(1L, 2L, 3L), offsets);
            t.assertNoMore(100);
        }
    }
}

package dev.realtime.redis;

import com.fasterxml.jackson.databind.JsonNode;
import dev.realtime.core.ConnectionHandle;
import dev.realtime.core.Protocol;
import dev.realtime.core.RealtimeHub;
import dev.realtime.core.testing.RecordingTransport;

/** One cluster node for tests: a hub wired to Redis history, broker and recovery log. Closing closes the hub. */
final class Node implements AutoCloseable {
    final String id;
    final RedisBroker broker;
    final RealtimeHub hub;

    Node(String id, RedisOptions options) {
        this.id = id;
        this.broker = new RedisBroker(options);
        this.hub = RealtimeHub.builder()
                .nodeId(id)
                .historyStore(new RedisHistoryStore(options))
                .broker(broker)
                .recoveryLog(new RedisRecoveryLog(options))
                .recoverySessions(new RedisRecoverySessionStore(options))
                .presenceStore(new RedisPresenceStore(options))
                .clientRegistry(new RedisSessionRegistry(options))
                // these tests check every event in order: no conflation when a loaded machine delays the writer
                .conflateAfter(1_000)
                .build();
    }

    /** A node on one {@link RedisBackend} (append and announce in one script), as the standalone server runs. */
    static Node onBackend(String id, RedisOptions options) {
        return new Node(id, RedisBackend.create(options));
    }

    private Node(String id, RedisBackend backend) {
        this.id = id;
        this.broker = (RedisBroker) backend.broker();
        this.hub = RealtimeHub.builder().nodeId(id).backend(backend).conflateAfter(1_000).build();
    }

    /** A connected native-protocol client of this node, greeting consumed. */
    Client connect() {
        RecordingTransport t = new RecordingTransport();
        ConnectionHandle h = hub.connect(t, Protocol.NATIVE);
        t.next("connection");
        return new Client(t, h);
    }

    @Override
    public void close() {
        hub.close();
    }

    /** A test client: the recording transport plus the handle to feed it frames. */
    record Client(RecordingTransport transport, ConnectionHandle handle) {
        String clientId() {
            return handle.id();
        }

        void send(String json) {
            handle.onText(json);
        }

        /** Subscribes and returns the {@code subscribed} reply. */
        JsonNode subscribe(String room) {
            send("{\"type\":\"subscribe\",\"room\":\"" + room + "\"}");
            return transport.next("subscribed");
        }

        JsonNode resume(String room, long since, String epoch) {
            send("{\"type\":\"subscribe\",\"room\":\"" + room + "\",\"since\":" + since + ",\"epoch\":\"" + epoch
                    + "\"}");
            return transport.next("subscribed");
        }

        JsonNode nextEvent() {
            return transport.next("event");
        }

        /** The transport went away (network drop): the hub sees a close. */
        void drop() {
            handle.onClose(1006, "gone");
        }
    }
}

package dev.realtime.jakarta.socketio;

import dev.realtime.core.RealtimeHub;

/** A server under test: its base URL and hub (the standalone server, or a servlet container). */
public interface SocketIoTestServer {
    String url();

    RealtimeHub hub();

    /** Adds the test namespace {@code /peer} (echo, ask: a server-to-client ack, upload: binary) to a hub. */
    static RealtimeHub withPeerNamespace(RealtimeHub hub) {
        return SocketIoServerFixture.withPeerNamespace(hub);
    }
}

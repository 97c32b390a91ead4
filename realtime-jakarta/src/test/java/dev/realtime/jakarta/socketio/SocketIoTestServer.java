package dev.realtime.jakarta.socketio;

import dev.realtime.core.RealtimeHub;

/** A server under test: its base URL and hub (the standalone server, or a servlet container). */
interface SocketIoTestServer {
    String url();

    RealtimeHub hub();
}

package dev.realtime.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.realtime.core.testing.RecordingTransport;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;

/**
 * Shared fixture of the native-protocol tests ({@link NativeProtocolTest}, {@link NativeProtocolMessagesTest},
 * {@link NativeProtocolFlowControlTest}): a hub with a history of 10 per test, closed after it, and in-process
 * native connections whose greeting is checked on connect.
 *
 * <p>One instance per test method (JUnit's default lifecycle); the handle map is concurrent because handles are
 * looked up from test and hub threads.
 */
abstract class NativeProtocolTestBase {
    final RealtimeHub hub = RealtimeHub.builder().historySize(10).build();

    @AfterEach
    void close() {
        hub.close();
    }

    RecordingTransport connect() {
        RecordingTransport t = new RecordingTransport();
        ConnectionHandle h = hub.connect(t, Protocol.NATIVE);
        handles.put(t, h);
        JsonNode hello = t.next("connection");
        assertTrue(hello.path("clientId").asText().startsWith("c-"));
        assertEquals(30000, hello.path("heartbeatMs").asLong());
        assertTrue(hello.path("timestamp").asText().endsWith("Z"));
        return t;
    }

    final Map<RecordingTransport, ConnectionHandle> handles = new java.util.concurrent.ConcurrentHashMap<>();

    void send(RecordingTransport t, String json) {
        handles.get(t).onText(json);
    }
}

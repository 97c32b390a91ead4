package dev.realtime.jakarta.socketio;

import dev.realtime.core.RealtimeHub;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The npm socket.io-client 4.8 with its default options (HTTP long-polling first, then the upgrade to
 * WebSocket), with {@code transports: ['polling']} only, and with {@code transports: ['websocket']}, against the
 * standalone server: seed 002's JobMonitor flow (no options at all in the default mode), acks both ways, binary
 * both ways, and recovery after a cut.
 */
class SocketIoTransportsTest {
    private static SocketIoServerFixture fx;
    private final SocketIoScenarios scenarios = new SocketIoScenarios(NodePeer.DIR);

    @BeforeAll
    static void start() {
        fx = new SocketIoServerFixture(RealtimeHub.builder());
    }

    @AfterAll
    static void stop() {
        fx.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"default", "polling", "websocket"})
    void seed002JobMonitor(String mode) throws Exception {
        scenarios.jobs(fx, mode);
    }

    @ParameterizedTest
    @ValueSource(strings = {"default", "polling", "websocket"})
    void acknowledgementsBothWays(String mode) throws Exception {
        scenarios.acks(fx, mode);
    }

    @ParameterizedTest
    @ValueSource(strings = {"default", "polling", "websocket"})
    void binaryBothWays(String mode) throws Exception {
        scenarios.binary(fx, mode);
    }

    @ParameterizedTest
    @ValueSource(strings = {"default", "polling", "websocket"})
    void recoveryAfterACut(String mode) throws Exception {
        scenarios.recovery(fx, mode);
    }
}

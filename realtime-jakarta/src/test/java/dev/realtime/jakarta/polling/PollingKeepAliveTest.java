package dev.realtime.jakarta.polling;

import com.fasterxml.jackson.databind.JsonNode;
import dev.realtime.core.RealtimeHub;
import dev.realtime.core.SocketIoOptions;
import dev.realtime.core.security.Limits;
import dev.realtime.jakarta.server.RealtimeServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link PollingKeepAliveClient} against the standalone server. Before the fix a poll response over Grizzly's
 * output buffer left while the exchange was still in progress, and the next GET was taken as that request's body
 * and never answered (within 12–369 rounds in three runs).
 */
class PollingKeepAliveTest {
    private static RealtimeHub hub;
    private static RealtimeServer server;

    @BeforeAll
    static void start() {
        hub = RealtimeHub.builder()
                .limits(Limits.defaults().withHandshakesPerIpPerSecond(10_000).withMessageRate(100_000, 100_000))
                .socketIo(SocketIoOptions.defaults().withMaxPayload(1 << 20))
                .build();
        hub.namespace("/peer").on("echo", JsonNode.class, (c, p) -> p);
        server = RealtimeServer.builder().hub(hub).host("127.0.0.1").port(0).build();
        server.start();
    }

    @AfterAll
    static void stop() {
        server.close();
        hub.close();
    }

    @Test
    void theNextGetOnTheSameConnectionIsAlwaysAnsweredEvenRightAfterABigResponse() throws Exception {
        new PollingKeepAliveClient(server.port()).run(600);
    }
}

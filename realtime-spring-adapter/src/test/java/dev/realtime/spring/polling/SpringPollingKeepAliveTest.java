package dev.realtime.spring.polling;

import dev.realtime.jakarta.polling.PollingKeepAliveClient;
import dev.realtime.jakarta.socketio.SocketIoTestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;

/** {@link PollingKeepAliveClient} against Spring Boot's auto-configured polling on Tomcat. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "realtime.limits.handshakes-per-ip-per-second=10000",
        "realtime.limits.messages-per-second=100000", "realtime.limits.message-burst=100000"})
@Timeout(120)
class SpringPollingKeepAliveTest {
    @LocalServerPort
    int port;

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class TestApp {
        @Bean
        ApplicationRunner peerNamespace(dev.realtime.core.RealtimeHub hub) {
            return args -> SocketIoTestServer.withPeerNamespace(hub);
        }
    }

    @Test
    void theNextGetOnTheSameConnectionIsAlwaysAnsweredEvenRightAfterABigResponse() throws Exception {
        new PollingKeepAliveClient(port).run(600);
    }
}

package dev.realtime.spring.polling;

import dev.realtime.core.RealtimeHub;
import dev.realtime.jakarta.browser.BrowserScenario;
import dev.realtime.jakarta.socketio.SocketIoTestServer;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A real headless Chromium against Spring Boot's auto-configured Socket.IO endpoint (WebSocket handler plus
 * polling filter), the page and socket.io-client served by the same application: JobMonitor, acks, binary and
 * recovery in the three transport modes.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "realtime.limits.handshakes-per-ip-per-second=10000")
@Timeout(120)
class SpringChromiumTest {
    private static final Path JAKARTA_NODE = Path.of("../realtime-jakarta/src/test/node");
    private static final BrowserScenario BROWSER = new BrowserScenario();

    @LocalServerPort
    int port;

    @Autowired
    RealtimeHub hub;

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class TestApp {
        @Bean
        ApplicationRunner peerNamespace(RealtimeHub hub) {
            return args -> SocketIoTestServer.withPeerNamespace(hub);
        }

        @Bean
        BrowserPages browserPages() {
            return new BrowserPages();
        }
    }

    /** The browser test page, the client bundle and the page's reports, as an ordinary Spring MVC controller. */
    @RestController
    static class BrowserPages {
        @GetMapping(value = "/page.html", produces = "text/html")
        byte[] page() throws IOException {
            return BrowserScenario.page();
        }

        @GetMapping(value = "/client/socket.io.min.js", produces = "application/javascript")
        byte[] client() throws IOException {
            return BrowserScenario.client(JAKARTA_NODE);
        }

        @RequestMapping("/report")
        ResponseEntity<Void> report(@RequestBody(required = false) byte[] body, HttpServletRequest request)
                throws IOException {
            return ResponseEntity.status(BROWSER.report("POST".equals(request.getMethod())
                    ? (body == null ? new byte[0] : body) : null)).build();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"default", "polling", "websocket"})
    void headlessChromium(String mode) throws Exception {
        BrowserScenario.require(JAKARTA_NODE);
        BROWSER.run(hub, "http://127.0.0.1:" + port + "/page.html?mode=" + mode, mode);
    }
}

package dev.realtime.spring.polling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.realtime.core.Protocol;
import dev.realtime.core.RealtimeHub;
import dev.realtime.core.security.Limits;
import dev.realtime.jakarta.EngineIoServlet;
import dev.realtime.jakarta.RealtimeEndpoint;
import dev.realtime.jakarta.browser.BrowserScenario;
import dev.realtime.jakarta.socketio.SocketIoScenarios;
import dev.realtime.jakarta.socketio.SocketIoTestServer;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.websocket.server.ServerContainer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.catalina.Context;
import org.apache.catalina.Wrapper;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.websocket.server.WsSci;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Jakarta adapter in a second, real container: realtime-jakarta's {@link RealtimeEndpoint} (Jakarta
 * WebSocket) and {@link EngineIoServlet} (Servlet async polling) deployed in a plain embedded Tomcat 10.1, no
 * Spring, driven by the npm socket.io-client in its three transport modes.
 */
@Timeout(120)
class TomcatJakartaEndpointTest implements SocketIoTestServer {
    private static final Path JAKARTA_NODE = Path.of("../realtime-jakarta/src/test/node");
    private static RealtimeHub hub;
    private static final BrowserScenario browser = new BrowserScenario();
    private static Tomcat tomcat;
    private static int port;
    private final SocketIoScenarios scenarios = new SocketIoScenarios(JAKARTA_NODE);

    @BeforeAll
    static void start() throws Exception {
        hub = SocketIoTestServer.withPeerNamespace(RealtimeHub.builder()
                .limits(Limits.defaults().withHandshakesPerIpPerSecond(10_000)).build());
        tomcat = new Tomcat();
        tomcat.setBaseDir(Files.createTempDirectory("tomcat").toString());
        tomcat.setPort(0);
        Context context = tomcat.addContext("", Files.createTempDirectory("docroot").toString());
        context.addServletContainerInitializer(new WsSci(), null);
        Tomcat.addServlet(context, "browser", new BrowserPages());
        context.addServletMappingDecoded("/page.html", "browser");
        context.addServletMappingDecoded("/report", "browser");
        context.addServletMappingDecoded("/client/socket.io.min.js", "browser");
        Wrapper polling = Tomcat.addServlet(context, "engine.io", new EngineIoServlet(hub));
        polling.setAsyncSupported(true);
        context.addServletMappingDecoded("/socket.io/*", "engine.io");
        tomcat.getConnector(); // creates the default connector
        tomcat.start();
        ServerContainer container = (ServerContainer) context.getServletContext()
                .getAttribute(ServerContainer.class.getName());
        container.addEndpoint(RealtimeEndpoint.config(hub, "/socket.io/", Protocol.SOCKET_IO));
        port = tomcat.getConnector().getLocalPort();
    }

    @AfterAll
    static void stop() throws Exception {
        tomcat.stop();
        tomcat.destroy();
        hub.close();
    }

    @Override
    public String url() {
        return "http://127.0.0.1:" + port;
    }

    @Override
    public RealtimeHub hub() {
        return hub;
    }

    private static void requireNode() {
        assumeTrue(Files.isDirectory(JAKARTA_NODE.resolve("node_modules/socket.io-client")),
                "run realtime-jakarta's build first (it installs socket.io-client with npm ci)");
    }

    @Test
    void pollingHandshakeAndUnknownSidOverServletAsync() throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpResponse<String> open = http.send(HttpRequest.newBuilder(URI.create(url()
                + "/socket.io/?EIO=4&transport=polling")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, open.statusCode());
        assertEquals("[\"websocket\"]", new ObjectMapper().readTree(open.body().substring(1)).path("upgrades")
                .toString());
        HttpResponse<String> unknown = http.send(HttpRequest.newBuilder(URI.create(url()
                + "/socket.io/?EIO=4&transport=polling&sid=nope")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(400, unknown.statusCode());
        assertEquals("{\"code\":1,\"message\":\"Session ID unknown\"}", unknown.body());
    }

    @ParameterizedTest
    @ValueSource(strings = {"default", "polling", "websocket"})
    void seed002JobMonitor(String mode) throws Exception {
        requireNode();
        scenarios.jobs(this, mode);
    }

    @ParameterizedTest
    @ValueSource(strings = {"default", "polling", "websocket"})
    void acknowledgementsBothWays(String mode) throws Exception {
        requireNode();
        scenarios.acks(this, mode);
    }

    @ParameterizedTest
    @ValueSource(strings = {"default", "polling", "websocket"})
    void binaryBothWays(String mode) throws Exception {
        requireNode();
        scenarios.binary(this, mode);
    }

    @ParameterizedTest
    @ValueSource(strings = {"default", "polling", "websocket"})
    void recoveryAfterACut(String mode) throws Exception {
        requireNode();
        scenarios.recovery(this, mode);
    }
    /** Serves the browser test page, the client bundle and the page's reports. */
    static final class BrowserPages extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            switch (req.getServletPath()) {
                case "/page.html" -> write(resp, 200, "text/html; charset=utf-8", BrowserScenario.page());
                case "/client/socket.io.min.js" -> write(resp, 200, "application/javascript",
                        BrowserScenario.client(JAKARTA_NODE));
                default -> resp.setStatus(browser.report("POST".equals(req.getMethod())
                        ? req.getInputStream().readAllBytes() : null));
            }
        }

        private static void write(HttpServletResponse resp, int status, String type, byte[] body) throws IOException {
            resp.setStatus(status);
            resp.setContentType(type);
            resp.getOutputStream().write(body);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"default", "polling", "websocket"})
    void headlessChromium(String mode) throws Exception {
        BrowserScenario.require(JAKARTA_NODE);
        browser.run(hub, url() + "/page.html?mode=" + mode, mode);
    }
}

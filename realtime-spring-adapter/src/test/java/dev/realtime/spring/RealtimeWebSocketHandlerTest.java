package dev.realtime.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.realtime.core.Handshake;
import dev.realtime.core.Protocol;
import dev.realtime.core.RealtimeHub;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;

/** The bridge over a recording fake session: executor sends, admission without an interceptor, failures. */
@Timeout(20)
class RealtimeWebSocketHandlerTest {
    private final RealtimeHub hub = RealtimeHub.builder().allowedOrigins(List.of("https://app.example")).build();
    private final RealtimeWebSocketHandler handler = new RealtimeWebSocketHandler(hub, Protocol.NATIVE, 1_000_000);

    @AfterEach
    void tearDown() {
        handler.close();
        hub.close();
    }

    @Test
    void sendsRunOnTheHandlersExecutorNeverOnTheCallersThread() throws Exception {
        RecordingSession session = new RecordingSession("ws://localhost/ws?token=a%20b", Map.of());
        handler.afterConnectionEstablished(session);
        assertThat(session.nextSent()).contains("\"type\":\"connection\"");
        assertThat(session.sendThreads.take()).startsWith("realtime-ws-send-native-");

        handler.handleMessage(session, new TextMessage("{\"type\":\"subscribe\",\"id\":\"1\",\"room\":\"job:9\"}"));
        assertThat(session.nextSent()).contains("\"type\":\"subscribed\"").contains("job:9");
        hub.jobs().progress("9", 30, "working");
        assertThat(session.nextSent()).contains("job:progress").contains("\"progress\":30");

        handler.afterConnectionClosed(session, CloseStatus.NORMAL);
        await().atMost(Duration.ofSeconds(5)).until(() -> hub.stats().connections() == 0);
    }

    @Test
    void withoutAnInterceptorTheHandlerRunsTheAdmissionChecks() throws Exception {
        RecordingSession evil = new RecordingSession("ws://localhost/ws", Map.of("Origin", "https://evil.example"));
        handler.afterConnectionEstablished(evil);
        CloseStatus status = evil.nextClose();
        assertThat(status.getCode()).isEqualTo(1008);
        assertThat(status.getReason()).contains("403");
        assertThat(hub.stats().connections()).isZero();
        // messages on a refused session are ignored, not thrown
        handler.handleMessage(evil, new TextMessage("{\"type\":\"pong\"}"));
    }

    @Test
    void aCapturedHandshakeIsUsedAsIs() throws Exception {
        RecordingSession session = new RecordingSession("ws://localhost/ws", Map.of("Origin", "https://evil.example"));
        session.getAttributes().put(RealtimeWebSocketHandler.HANDSHAKE_ATTRIBUTE, Handshake.of("/ws"));
        handler.afterConnectionEstablished(session);
        assertThat(session.nextSent()).contains("\"type\":\"connection\"");
        assertThat(hub.stats().connections()).isEqualTo(1);
    }

    @Test
    void aFailedSendClosesTheConnection() throws Exception {
        RecordingSession session = new RecordingSession("ws://localhost/ws", Map.of());
        session.failSends = true;
        handler.afterConnectionEstablished(session);
        assertThat(session.nextClose().getCode()).isNotEqualTo(1000);
    }

    @Test
    void attachingToAClosedHubClosesTheSessionWithoutThrowing() throws Exception {
        hub.close();
        RecordingSession session = new RecordingSession("ws://localhost/ws", Map.of());
        handler.afterConnectionEstablished(session);
        assertThat(session.nextClose().getCode()).isEqualTo(1001); // the hub's "server shutting down"
        assertThat(session.closes).isEmpty(); // and the handler's 1011 fallback did not close twice
    }

    @Test
    void handshakeCarriesDecodedQueryHeadersAndAddress() {
        RecordingSession session = new RecordingSession("ws://localhost/socket.io/?EIO=4&transport=websocket&t=a%2Bb+c",
                Map.of("Authorization", "Bearer x"));
        Handshake h = Handshakes.of(session);
        assertThat(h.path()).isEqualTo("/socket.io/");
        assertThat(h.queryParam("EIO")).hasValue("4");
        assertThat(h.queryParam("t")).hasValue("a+b c");
        assertThat(h.header("authorization")).hasValue("Bearer x");
        assertThat(h.remoteAddress()).isEqualTo("10.1.2.3");
        assertThat(Handshakes.query("a&b=&c=%zz")).containsEntry("a", List.of("")).containsEntry("b", List.of(""))
                .containsEntry("c", List.of("%zz"));
    }

    @Test
    void closeReasonsAreClippedTo123Bytes() {
        assertThat(SpringTransport.clip("é".repeat(100)).getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .hasSizeLessThanOrEqualTo(123);
        assertThat(SpringTransport.clip(null)).isEmpty();
    }
}

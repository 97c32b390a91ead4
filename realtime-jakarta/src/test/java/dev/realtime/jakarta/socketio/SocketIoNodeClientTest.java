package dev.realtime.jakarta.socketio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.realtime.core.RealtimeHub;
import dev.realtime.core.security.JwtAuthenticator;
import dev.realtime.core.security.Jwts;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The official npm socket.io-client 4.8 against our server, unchanged frontend code included (seed 002). */
class SocketIoNodeClientTest {
    private static SocketIoServerFixture fx;

    @BeforeAll
    static void start() {
        fx = new SocketIoServerFixture(RealtimeHub.builder());
    }

    @AfterAll
    static void stop() {
        fx.close();
    }

    @Test
    void connectsToEveryNamespaceOverOneConnectionAndRejectsUnknownOnes() throws Exception {
        try (NodePeer peer = new NodePeer(fx.url(), "namespaces")) {
            assertFalse(peer.next("ns").path("id").asText().isEmpty());
            JsonNode quiz = peer.next("ns");
            assertEquals("connection", quiz.path("hello").path("type").asText());
            assertEquals("WebSocket connected successfully", quiz.path("hello").path("message").asText());
            assertTrue(quiz.path("sameConnection").asBoolean(), "namespaces multiplexed on one connection");
            JsonNode iv = peer.next("ns");
            assertFalse(iv.path("success").path("socketId").asText().isEmpty());
            assertEquals("Invalid namespace", peer.next("ns").path("connectError").asText());
            peer.awaitDone();
        }
    }

    @Test
    void seed002JobMonitorReceivesAllFourJobEvents() throws Exception {
        try (NodePeer peer = new NodePeer(fx.url(), "jobs")) {
            JsonNode ack = peer.next("ack").path("ack");
            assertTrue(ack.path("success").asBoolean());
            assertEquals("job:job-7", ack.path("room").asText());
            peer.next("ready");
            fx.hub.jobs().update("job-7", "started", Map.of("message", "Job processing started"));
            fx.hub.jobs().progress("job-7", 40, "Analyzing content");
            fx.hub.jobs().completed("job-7", Map.of("count", 3));
            fx.hub.jobs().failed("job-7", "late failure");
            JsonNode events = peer.next("events").path("events");
            assertEquals(List.of("job:update", "job:progress", "job:completed", "job:error"),
                    List.of(events.get(0).path("event").asText(), events.get(1).path("event").asText(),
                            events.get(2).path("event").asText(), events.get(3).path("event").asText()));
            assertEquals(40, events.get(1).path("data").path("progress").asInt());
            assertEquals("in_progress", events.get(1).path("data").path("status").asText());
            assertEquals(3, events.get(2).path("data").path("result").path("count").asInt());
            assertEquals("failed", events.get(3).path("data").path("status").asText());
            assertTrue(peer.next("unsub").path("unsub").path("success").asBoolean());
            peer.awaitDone();
        }
    }

    @Test
    void acknowledgementsBothWays() throws Exception {
        try (NodePeer peer = new NodePeer(fx.url(), "acks")) {
            JsonNode echo = peer.next("echo").path("echo");
            assertEquals(2, echo.path("a").get(1).asInt());
            assertEquals("x", echo.path("s").asText());
            JsonNode asked = peer.next("asked").path("asked");
            assertTrue(asked.path("ok").asBoolean(), "the client's answer to our emit-with-ack came back");
            assertEquals(7, asked.path("got").path("jobId").asInt());
            assertEquals("websocket", peer.next("transport").path("transport").asText());
            assertEquals("after", peer.next("echoAfter").path("echoAfter").asText());
            peer.awaitDone();
        }
    }

    @Test
    void binaryBothWays() throws Exception {
        try (NodePeer peer = new NodePeer(fx.url(), "binary")) {
            JsonNode r = peer.next("ackSize");
            assertEquals(4, r.path("ackSize").asInt());
            assertEquals("[1,2,3,250]", r.path("ackCopy").toString());
            assertEquals("[1,2,3,250]", r.path("pushed").toString());
            peer.awaitDone();
        }
    }

    @Test
    void disconnectingOneNamespaceKeepsTheOthers() throws Exception {
        try (NodePeer peer = new NodePeer(fx.url(), "disconnectOne")) {
            JsonNode r = peer.next("jobsConnected");
            assertFalse(r.path("jobsConnected").asBoolean());
            assertTrue(r.path("peerConnected").asBoolean());
            assertEquals("still here", r.path("echo").asText());
            assertEquals("open", r.path("engineOpen").asText());
            peer.awaitDone();
        }
    }

    @Test
    void recoveryAfterTheTransportIsCutDeliversMissedEvents() throws Exception {
        try (NodePeer peer = new NodePeer(fx.url(), "recovery")) {
            peer.next("ready");
            fx.hub.jobs().progress("rec-1", 10, null);
            assertEquals("forced close", peer.next("disconnected").path("disconnected").asText(),
                    "engine.close(): a recoverable loss of the transport");
            fx.hub.jobs().progress("rec-1", 20, null);
            fx.hub.jobs().progress("rec-1", 30, null);
            fx.hub.jobs().completed("rec-1", "done");
            peer.send("go");
            assertTrue(peer.next("recovered").path("recovered").asBoolean(), "socket.recovered");
            assertEquals("[10,20,30]", peer.next("progress").path("progress").toString());
            peer.awaitDone();
        }
    }

    @Test
    void authPayloadIsVerified() throws Exception {
        try (SocketIoServerFixture secured = new SocketIoServerFixture(RealtimeHub.builder()
                .authenticator(JwtAuthenticator.builder().hmacSecret(Jwts.SECRET).build()));
             NodePeer peer = new NodePeer(secured.url(), "auth", Jwts.user("ada", Instant.now()))) {
            assertEquals("ada", peer.next("success").path("success").path("userId").asText());
            JsonNode rejected = peer.next("rejected");
            assertTrue(rejected.path("rejected").asText().contains("malformed"), rejected.toString());
            assertEquals("unauthorized", rejected.path("data").path("code").asText());
            peer.awaitDone();
        }
    }
}

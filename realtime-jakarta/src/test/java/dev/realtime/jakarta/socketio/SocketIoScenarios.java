package dev.realtime.jakarta.socketio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The socket.io-client scenarios run in every transport mode ({@code default}: polling then upgrade,
 * {@code polling}, {@code websocket}) against any {@link SocketIoTestServer}: the standalone server here, a
 * servlet container or Spring Boot from other modules (pass this module's node directory).
 */
public final class SocketIoScenarios {
    private final Path nodeDir;

    public SocketIoScenarios(Path nodeDir) {
        this.nodeDir = nodeDir;
    }

    public static String expectedTransport(String mode) {
        return mode.equals("polling") ? "polling" : "websocket";
    }

    private NodePeer peer(String url, String mode, String scenario) throws Exception {
        return new NodePeer(nodeDir, Map.of("PEER_TRANSPORTS", mode), url, scenario);
    }

    /** Seed 002's JobMonitor: subscribe, the four job events, unsubscribe. */
    public void jobs(SocketIoTestServer fixture, String mode) throws Exception {
        try (NodePeer peer = peer(fixture.url(), mode, "jobs")) {
            JsonNode first = peer.next("ack");
            assertTrue(first.path("ack").path("success").asBoolean());
            assertEquals(expectedTransport(mode), first.path("transport").asText());
            peer.next("ready");
            fixture.hub().jobs().update("job-7", "started", Map.of("message", "Job processing started"));
            fixture.hub().jobs().progress("job-7", 40, "Analyzing content");
            fixture.hub().jobs().completed("job-7", Map.of("count", 3));
            fixture.hub().jobs().failed("job-7", "late failure");
            JsonNode events = peer.next("events").path("events");
            assertEquals(List.of("job:update", "job:progress", "job:completed", "job:error"),
                    List.of(events.get(0).path("event").asText(), events.get(1).path("event").asText(),
                            events.get(2).path("event").asText(), events.get(3).path("event").asText()));
            assertEquals(40, events.get(1).path("data").path("progress").asInt());
            assertTrue(peer.next("unsub").path("unsub").path("success").asBoolean());
            peer.awaitDone();
        }
    }

    /** Acks both ways, and still after the upgrade. */
    public void acks(SocketIoTestServer fixture, String mode) throws Exception {
        try (NodePeer peer = peer(fixture.url(), mode, "acks")) {
            assertEquals("x", peer.next("echo").path("echo").path("s").asText());
            JsonNode asked = peer.next("asked").path("asked");
            assertTrue(asked.path("ok").asBoolean(), "the client's answer to our emit-with-ack came back");
            assertEquals(expectedTransport(mode), peer.next("transport").path("transport").asText());
            assertEquals("after", peer.next("echoAfter").path("echoAfter").asText());
            peer.awaitDone();
        }
    }

    /** Binary both ways. */
    public void binary(SocketIoTestServer fixture, String mode) throws Exception {
        try (NodePeer peer = peer(fixture.url(), mode, "binary")) {
            JsonNode r = peer.next("ackSize");
            assertEquals(4, r.path("ackSize").asInt());
            assertEquals("[1,2,3,250]", r.path("ackCopy").toString());
            assertEquals("[1,2,3,250]", r.path("pushed").toString());
            peer.awaitDone();
        }
    }

    /** Connection state recovery after the transport is cut. */
    public void recovery(SocketIoTestServer fixture, String mode) throws Exception {
        try (NodePeer peer = peer(fixture.url(), mode, "recovery")) {
            peer.next("ready");
            String room = "rec-1";
            fixture.hub().jobs().progress(room, 10, null);
            assertEquals("forced close", peer.next("disconnected").path("disconnected").asText());
            fixture.hub().jobs().progress(room, 20, null);
            fixture.hub().jobs().progress(room, 30, null);
            fixture.hub().jobs().completed(room, "done");
            peer.send("go");
            assertTrue(peer.next("recovered").path("recovered").asBoolean(), "socket.recovered");
            assertEquals("[10,20,30]", peer.next("progress").path("progress").toString());
            peer.awaitDone();
        }
    }
}

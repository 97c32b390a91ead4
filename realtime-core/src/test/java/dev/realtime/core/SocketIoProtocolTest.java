package dev.realtime.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.realtime.core.testing.RecordingTransport;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Engine.IO v4 + Socket.IO v5 frame by frame against the hub, over an in-process transport. */
class SocketIoProtocolTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final RealtimeHub hub = RealtimeHub.builder().build();
    private ConnectionHandle handle;

    @AfterEach
    void close() {
        hub.close();
    }

    private RecordingTransport open(RealtimeHub h) {
        RecordingTransport t = new RecordingTransport(new Handshake("/socket.io/", Map.of(),
                Map.of("EIO", List.of("4"), "transport", List.of("websocket")), "127.0.0.1"));
        handle = h.connect(t, Protocol.SOCKET_IO);
        return t;
    }

    private static JsonNode json(String s) {
        try {
            return MAPPER.readTree(s);
        } catch (Exception e) {
            throw new AssertionError(s, e);
        }
    }

    @Test
    void openPacketHasExactlyTheFiveKeys() {
        RecordingTransport t = open(hub);
        String open = t.nextText();
        assertEquals('0', open.charAt(0));
        JsonNode o = json(open.substring(1));
        List<String> keys = new ArrayList<>();
        o.fieldNames().forEachRemaining(keys::add);
        assertEquals(List.of("sid", "upgrades", "pingInterval", "pingTimeout", "maxPayload"), keys);
        assertEquals(0, o.path("upgrades").size());
        assertEquals(25000, o.path("pingInterval").asInt());
        assertEquals(20000, o.path("pingTimeout").asInt());
        assertEquals(1000000, o.path("maxPayload").asInt());
    }

    @Test
    void connectToNamespacesAndRejectUnknownOnes() {
        RecordingTransport t = open(hub);
        t.nextText();
        handle.onText("40");
        String main = t.nextText();
        assertTrue(main.startsWith("40{\"sid\":"), main);
        handle.onText("40/jobs,{\"token\":\"abc\"}");
        String jobs = t.nextText();
        assertTrue(jobs.startsWith("40/jobs,{\"sid\":"), jobs);
        assertNotEquals(json(main.substring(2)).path("sid").asText(), json(jobs.substring(8)).path("sid").asText());
        handle.onText("40/random");
        assertEquals("44/random,{\"message\":\"Invalid namespace\"}", t.nextText());
    }

    @Test
    void seed002SubscribeFlowReceivesAllFourJobEvents() {
        RecordingTransport t = open(hub);
        t.nextText();
        handle.onText("40/jobs,");
        t.nextText();
        handle.onText("42/jobs,1[\"subscribe:jobs\",{\"jobId\":\"42\"}]");
        JsonNode ack = json(t.nextText().substring("43/jobs,1".length()));
        assertEquals(true, ack.get(0).path("success").asBoolean());
        assertEquals("job:42", ack.get(0).path("room").asText());
        assertFalse(ack.get(0).path("message").asText().isBlank());

        hub.jobs().update("42", "started", Map.of("message", "go"));
        hub.jobs().progress("42", 50, "half");
        hub.jobs().completed("42", Map.of("n", 1));
        hub.jobs().failed("42", "nope");
        String[] names = {"job:update", "job:progress", "job:completed", "job:error"};
        for (String name : names) {
            String f = t.nextText();
            assertTrue(f.startsWith("42/jobs,["), f);
            JsonNode args = json(f.substring("42/jobs,".length()));
            assertEquals(name, args.get(0).asText());
            assertEquals("42", args.get(1).path("jobId").asText());
            assertTrue(args.get(2).isTextual(), "recovery offset as the last argument: " + f);
        }
    }

    @Test
    void eventsAndAcksBothWays() throws Exception {
        hub.namespace("/admin").on("echo", JsonNode.class, (c, p) -> p);
        RecordingTransport t = open(hub);
        t.nextText();
        handle.onText("40/admin,");
        t.nextText();
        handle.onText("42/admin,13[\"echo\",{\"a\":[1,2]}]");
        assertEquals("43/admin,13[{\"a\":[1,2]}]", t.nextText());

        Client[] socket = new Client[1];
        hub.namespace("/ask").onConnect((s, auth, rec) -> socket[0] = s);
        handle.onText("40/ask,");
        t.nextText();
        CompletableFuture<JsonNode> answer = socket[0].emitWithAck("job:confirm", Map.of("jobId", 7), Duration.ofSeconds(5));
        assertEquals("42/ask,0[\"job:confirm\",{\"jobId\":7}]", t.nextText());
        handle.onText("43/ask,0[{\"ok\":true}]");
        assertTrue(answer.get(5, TimeUnit.SECONDS).get(0).path("ok").asBoolean());
    }

    @Test
    void binaryBothWays() {
        hub.namespace("/bin").on("upload", JsonNode.class, (c, p) -> {
            byte[] first = p.path("file").binaryValue();
            c.emit("got", Map.of("size", first.length, "copy", first));
            return Map.of("ok", true);
        });
        RecordingTransport t = open(hub);
        t.nextText();
        handle.onText("40/bin,");
        t.nextText();
        handle.onText("451-/bin,7[\"upload\",{\"file\":{\"_placeholder\":true,\"num\":0}}]");
        handle.onBinary(ByteBuffer.wrap(new byte[] {1, 2, 3}));
        String got = t.nextText();
        assertTrue(got.startsWith("451-/bin,["), got);
        JsonNode args = json(got.substring("451-/bin,".length()));
        assertEquals("got", args.get(0).asText());
        assertEquals(3, args.get(1).path("size").asInt());
        assertEquals(json("{\"_placeholder\":true,\"num\":0}"), args.get(1).path("copy"));
        assertArrayEquals(new byte[] {1, 2, 3}, (byte[]) t.nextFrame());
        assertEquals("43/bin,7[{\"ok\":true}]", t.nextText());
    }

    @Test
    void unknownEventsGetNoAnswerAsInTheReferenceServer() {
        hub.namespace("/known").on("known", JsonNode.class, (c, p) -> p);
        RecordingTransport t = open(hub);
        t.nextText();
        handle.onText("40/known,");
        t.nextText();
        // neither an exception event nor an error ack: the client's own ack timeout fires, as with socket.io
        handle.onText("42/known,[\"nobody\",1]");
        handle.onText("42/known,5[\"nobody\",1]");
        handle.onText("42/known,6[\"known\",2]");
        assertEquals("43/known,6[2]", t.nextText());
    }

    @Test
    void disconnectFromOneNamespaceKeepsTheOthers() {
        RecordingTransport t = open(hub);
        t.nextText();
        handle.onText("40/jobs,");
        t.nextText();
        handle.onText("40/quiz,");
        t.nextText(); // connect reply
        JsonNode hello = json(t.nextText().substring("42/quiz,".length()));
        assertEquals("connection", hello.get(0).asText());
        assertEquals("WebSocket connected successfully", hello.get(1).path("message").asText());
        handle.onText("42/jobs,[\"subscribe:jobs\",{}]");
        t.assertNoMore(100);
        org.awaitility.Awaitility.await().until(() -> hub.roomSize("all-jobs") == 1);
        handle.onText("41/jobs,");
        org.awaitility.Awaitility.await().until(() -> hub.roomSize("all-jobs") == 0);
        hub.jobs().progress("1", 1, null);
        t.assertNoMore(100);
        assertEquals(-1, t.closeCode(), "the connection stays open");
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "2", "4", "49", "42", "42{}", "42[]", "42[{}]", "42[\"connect\"]", "43[]",
            "44{\"message\":\"x\"}", "41{}", "40[1]", "45-[\"x\"]", "4x", "42/jobs,[\"a\"", "499-[\"x\"]"})
    void malformedPacketsCloseTheConnection(String frame) throws Exception {
        RecordingTransport t = open(hub);
        t.nextText();
        handle.onText(frame);
        assertTrue(t.awaitClosed(2000), "closed on " + frame);
        assertEquals(1002, t.closeCode());
    }

    @Test
    void binaryWithoutPendingPacketAndTextDuringAttachmentsClose() throws Exception {
        RecordingTransport a = open(hub);
        a.nextText();
        handle.onBinary(ByteBuffer.wrap(new byte[] {9}));
        assertTrue(a.awaitClosed(2000));
        RecordingTransport b = open(hub);
        b.nextText();
        handle.onText("40");
        b.nextText();
        handle.onText("451-[\"x\",{\"_placeholder\":true,\"num\":0}]");
        handle.onText("42[\"y\"]");
        assertTrue(b.awaitClosed(2000));
        assertEquals(1002, b.closeCode());
    }

    @Test
    void serverPingsAndClosesWithoutPong() throws Exception {
        RealtimeHub fast = RealtimeHub.builder()
                .socketIo(SocketIoOptions.defaults().withPing(Duration.ofMillis(100), Duration.ofMillis(100)))
                .build();
        try {
            RecordingTransport t = open(fast);
            t.nextText();
            handle.onText("40");
            t.nextText();
            ConnectionHandle h = handle;
            assertEquals("2", t.nextText());
            h.onText("3");
            assertEquals("2", t.nextText(), "pinged again after the pong");
            assertTrue(t.awaitClosed(3000), "no pong: closed");
            assertEquals(1, fast.stats().heartbeatCloses());
        } finally {
            fast.close();
        }
    }

    @Test
    void recoveryReplaysMissedEventsWithTheSameSid() {
        RecordingTransport t = open(hub);
        t.nextText();
        handle.onText("40/jobs,");
        JsonNode first = json(t.nextText().substring("40/jobs,".length()));
        String sid = first.path("sid").asText();
        String pid = first.path("pid").asText();
        assertFalse(pid.isEmpty());
        handle.onText("42/jobs,1[\"subscribe:jobs\",{\"jobId\":\"r\"}]");
        t.nextText();
        hub.emitToRoom("chat:x", "ignored", 1); // a room the socket is not in
        hub.jobs().progress("r", 1, null);
        JsonNode seen = json(t.nextText().substring("42/jobs,".length()));
        String offset = seen.get(2).asText();
        handle.onClose(1006, "network cut");

        hub.jobs().progress("r", 2, null);
        hub.jobs().completed("r", "done");

        RecordingTransport t2 = open(hub);
        t2.nextText();
        handle.onText("40/jobs,{\"pid\":\"" + pid + "\",\"offset\":\"" + offset + "\"}");
        JsonNode again = json(t2.nextText().substring("40/jobs,".length()));
        assertEquals(sid, again.path("sid").asText());
        assertEquals(pid, again.path("pid").asText());
        JsonNode m1 = json(t2.nextText().substring("42/jobs,".length()));
        assertEquals(2, m1.get(1).path("progress").asInt());
        JsonNode m2 = json(t2.nextText().substring("42/jobs,".length()));
        assertEquals("job:completed", m2.get(0).asText());
        hub.jobs().failed("r", "late");
        assertEquals("job:error", json(t2.nextText().substring("42/jobs,".length())).get(0).asText(),
                "rooms restored: live events keep coming");
        t2.assertNoMore(100);
    }

    @Test
    void unknownPidGetsAFreshSession() {
        RecordingTransport t = open(hub);
        t.nextText();
        handle.onText("40/jobs,{\"pid\":\"nope\",\"offset\":\"zz\"}");
        JsonNode r = json(t.nextText().substring("40/jobs,".length()));
        assertNotEquals("nope", r.path("pid").asText());
    }

    @Test
    void handshakeChecks() {
        Handshake v3 = new Handshake("/socket.io/", Map.of(), Map.of("EIO", List.of("3"), "transport",
                List.of("websocket")), "x");
        Optional<HandshakeRejection> r = hub.checkHandshake(Protocol.SOCKET_IO, v3);
        assertEquals(400, r.orElseThrow().status());
        assertEquals("{\"code\":5,\"message\":\"Unsupported protocol version\"}", r.get().body());
        Handshake polling = new Handshake("/socket.io/", Map.of(), Map.of("EIO", List.of("4"), "transport",
                List.of("polling")), "x");
        assertEquals("{\"code\":0,\"message\":\"Transport unknown\"}",
                hub.checkHandshake(Protocol.SOCKET_IO, polling).orElseThrow().body());
        Handshake ok = new Handshake("/socket.io/", Map.of(), Map.of("EIO", List.of("4"), "transport",
                List.of("websocket")), "x");
        assertTrue(hub.checkHandshake(Protocol.SOCKET_IO, ok).isEmpty());
    }

    @Test
    void oneEventReachesNativeAndSocketIoClientsEncodedOncePerProtocol() {
        RecordingTransport sio = open(hub);
        sio.nextText();
        handle.onText("40/jobs,");
        sio.nextText();
        handle.onText("42/jobs,[\"subscribe:jobs\",{\"jobId\":\"m\"}]");
        RecordingTransport nat = new RecordingTransport();
        ConnectionHandle n = hub.connect(nat, Protocol.NATIVE);
        nat.next("connection");
        n.onText("{\"type\":\"subscribe\",\"room\":\"job:m\"}");
        nat.next("subscribed");
        org.awaitility.Awaitility.await().until(() -> hub.roomSize("job:m") == 2);
        hub.jobs().progress("m", 9, null);
        assertEquals(9, nat.next("event").path("data").path("progress").asInt());
        assertTrue(sio.nextText().startsWith("42/jobs,[\"job:progress\",{\"jobId\":\"m\""));
    }
}

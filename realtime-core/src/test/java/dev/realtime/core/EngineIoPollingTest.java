package dev.realtime.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.realtime.core.security.Limits;
import dev.realtime.core.testing.FakeExchange;
import dev.realtime.core.testing.RecordingTransport;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Engine.IO v4 long-polling and the upgrade to WebSocket, request by request against the hub's core. */
class EngineIoPollingTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String RS = "\u001e";
    private final RealtimeHub hub = RealtimeHub.builder()
            .allowedOrigins(List.of("http://localhost:3000", "https://quizai.nl"))
            .limits(Limits.defaults().withHandshakesPerIpPerSecond(10_000))
            .build();

    @AfterEach
    void close() {
        hub.close();
    }

    private String handshake() throws Exception {
        FakeExchange get = FakeExchange.get("EIO=4&transport=polling");
        hub.polling().handle(get);
        PollingResponse r = get.response();
        assertEquals(200, r.status());
        assertEquals("text/plain; charset=UTF-8", r.contentType());
        String body = r.bodyText();
        assertEquals('0', body.charAt(0), body);
        JsonNode open = MAPPER.readTree(body.substring(1));
        assertEquals("[\"websocket\"]", open.path("upgrades").toString());
        return open.path("sid").asText();
    }

    private PollingResponse poll(String sid) {
        FakeExchange get = FakeExchange.get("EIO=4&transport=polling&sid=" + sid);
        hub.polling().handle(get);
        return get.response();
    }

    private PollingResponse post(String sid, String body) {
        FakeExchange post = FakeExchange.post("EIO=4&transport=polling&sid=" + sid, body);
        hub.polling().handle(post);
        return post.response();
    }

    @Test
    void handshakeConnectEventAndAckOverPolling() throws Exception {
        hub.namespace("/peer").on("echo", JsonNode.class, (c, p) -> p);
        String sid = handshake();
        assertEquals(20, sid.length());
        PollingResponse ok = post(sid, "40/peer," + RS + "42/peer,1[\"echo\",{\"a\":1}]");
        assertEquals(200, ok.status());
        assertEquals("ok", ok.bodyText());
        assertEquals("text/html", ok.contentType());
        List<String> packets = new ArrayList<>();
        while (packets.size() < 2) {
            packets.addAll(List.of(poll(sid).bodyText().split(RS)));
        }
        assertTrue(packets.get(0).startsWith("40/peer,{\"sid\":"), packets.toString());
        assertEquals("43/peer,1[{\"a\":1}]", packets.get(1));
    }

    @Test
    void aPostSentTheMomentThePreviousOneWasAnsweredIsNoOverlap() throws Exception {
        String sid = handshake();
        String q = "EIO=4&transport=polling&sid=" + sid;
        FakeExchange next = FakeExchange.post(q, "42[\"x\"]");
        FakeExchange first = FakeExchange.post(q, "40");
        // a fast client: its next POST arrives while the server thread is still returning from the answer
        hub.polling().handle(new PollingExchange() {
            @Override
            public String method() {
                return first.method();
            }

            @Override
            public Handshake request() {
                return first.request();
            }

            @Override
            public byte[] readBody(int maxBytes) throws java.io.IOException {
                return first.readBody(maxBytes);
            }

            @Override
            public void respond(PollingResponse response) {
                first.respond(response);
                hub.polling().handle(next);
            }

            @Override
            public void onAbort(Runnable listener) {
                first.onAbort(listener);
            }
        });
        assertEquals("ok", first.response().bodyText());
        assertEquals(200, next.response().status(), "not a \"data request overlap\"");
        assertEquals("ok", next.response().bodyText());
        assertTrue(poll(sid).bodyText().startsWith("40{"), "the session is still open");
    }

    @Test
    void aWaitingGetIsAnsweredByTheNextPacketAndBinaryIsBase64() throws Exception {
        hub.namespace("/peer").on("upload", JsonNode.class, (c, p) -> Map.of("copy", p.path("f").binaryValue()));
        String sid = handshake();
        post(sid, "40/peer,");
        assertTrue(poll(sid).bodyText().startsWith("40/peer,"));
        FakeExchange waiting = FakeExchange.get("EIO=4&transport=polling&sid=" + sid);
        hub.polling().handle(waiting);
        assertFalse(waiting.answered(), "nothing to send: the GET waits");
        // binary in: a placeholder packet and its attachment as b<base64>
        post(sid, "451-/peer,2[\"upload\",{\"f\":{\"_placeholder\":true,\"num\":0}}]" + RS + "bAQID");
        StringBuilder all = new StringBuilder(waiting.response().bodyText());
        while (!all.toString().contains("bAQID")) {
            all.append(RS).append(poll(sid).bodyText());
        }
        assertTrue(all.toString().contains("461-/peer,2[{\"copy\":{\"_placeholder\":true,\"num\":0}}]" + RS + "bAQID"),
                all.toString());
    }

    @Test
    void errorsAsTheReferenceServerAnswersThem() throws Exception {
        assertError(FakeExchange.get("EIO=4&transport=carrier-pigeon"), 400, 0, "Transport unknown");
        assertError(FakeExchange.get("EIO=4&transport=polling&sid=nope"), 400, 1, "Session ID unknown");
        assertError(FakeExchange.post("EIO=4&transport=polling&sid=nope", "40"), 400, 1, "Session ID unknown");
        assertError(FakeExchange.post("EIO=4&transport=polling", "40"), 400, 2, "Bad handshake method");
        assertError(FakeExchange.get("EIO=3&transport=polling"), 400, 5, "Unsupported protocol version");
        String sid = handshake();
        assertError(new FakeExchange("PUT", "EIO=4&transport=polling&sid=" + sid, Map.of(), "x"), 400, 3,
                "Bad request");
    }

    private void assertError(FakeExchange ex, int status, int code, String message) throws Exception {
        hub.polling().handle(ex);
        PollingResponse r = ex.response();
        assertEquals(status, r.status());
        JsonNode body = MAPPER.readTree(r.bodyText());
        assertEquals(code, body.path("code").asInt());
        assertEquals(message, body.path("message").asText());
    }

    @Test
    void aSecondConcurrentGetClosesTheSession() throws Exception {
        String sid = handshake();
        FakeExchange first = FakeExchange.get("EIO=4&transport=polling&sid=" + sid);
        hub.polling().handle(first);
        FakeExchange second = FakeExchange.get("EIO=4&transport=polling&sid=" + sid);
        hub.polling().handle(second);
        assertEquals(400, second.response().status());
        assertEquals("1", first.response().bodyText(), "the waiting GET gets the close packet");
        assertEquals(400, poll(sid).status(), "the session is gone");
    }

    @Test
    void aCancelledGetClosesTheSession() throws Exception {
        String sid = handshake();
        FakeExchange get = FakeExchange.get("EIO=4&transport=polling&sid=" + sid);
        hub.polling().handle(get);
        get.abort();
        assertEquals(1, MAPPER.readTree(poll(sid).bodyText()).path("code").asInt());
        assertEquals(0, hub.polling().pollingSessions());
    }

    @Test
    void anOversizedPostIs413AndClosesTheSession() throws Exception {
        RealtimeHub small = RealtimeHub.builder().socketIo(SocketIoOptions.defaults().withMaxPayload(100)).build();
        try {
            FakeExchange hs = FakeExchange.get("EIO=4&transport=polling");
            small.polling().handle(hs);
            String sid = MAPPER.readTree(hs.response().bodyText().substring(1)).path("sid").asText();
            FakeExchange big = FakeExchange.post("EIO=4&transport=polling&sid=" + sid, "4" + "x".repeat(200));
            small.polling().handle(big);
            assertEquals(413, big.response().status());
            FakeExchange after = FakeExchange.get("EIO=4&transport=polling&sid=" + sid);
            small.polling().handle(after);
            assertEquals(400, after.response().status());
        } finally {
            small.close();
        }
    }

    @Test
    void corsForAllowedOriginsPreflightAndForeignOrigin() {
        FakeExchange preflight = new FakeExchange("OPTIONS", "EIO=4&transport=polling",
                Map.of("Origin", "https://quizai.nl", "Access-Control-Request-Method", "POST",
                        "Access-Control-Request-Headers", "content-type"), null);
        hub.polling().handle(preflight);
        PollingResponse p = preflight.response();
        assertEquals(204, p.status());
        assertEquals("https://quizai.nl", p.headers().get("Access-Control-Allow-Origin"));
        assertEquals("true", p.headers().get("Access-Control-Allow-Credentials"));
        assertEquals("GET,POST", p.headers().get("Access-Control-Allow-Methods"));
        assertEquals("content-type", p.headers().get("Access-Control-Allow-Headers"));

        FakeExchange get = new FakeExchange("GET", "EIO=4&transport=polling",
                Map.of("Origin", "http://localhost:3000"), null);
        hub.polling().handle(get);
        assertEquals(200, get.response().status());
        assertEquals("http://localhost:3000", get.response().headers().get("Access-Control-Allow-Origin"));
        assertEquals(java.util.List.of("Access-Control-Allow-Origin", "Vary", "Access-Control-Allow-Credentials",
                "Cache-Control"), java.util.List.copyOf(get.response().headers().keySet()), "CORS first, in order");

        FakeExchange foreign = new FakeExchange("GET", "EIO=4&transport=polling",
                Map.of("Origin", "https://evil.example"), null);
        hub.polling().handle(foreign);
        assertEquals(403, foreign.response().status());
        assertNull(foreign.response().headers().get("Access-Control-Allow-Origin"));
        assertEquals(1, hub.polling().pollingSessions(), "the foreign origin opened nothing");
    }

    @Test
    void aPollWithoutCorsAnswersNoStoreOnlyAndResponsesRefuseNullHeaders() {
        FakeExchange get = new FakeExchange("GET", "EIO=4&transport=polling", Map.of(), null);
        hub.polling().handle(get);
        assertEquals(200, get.response().status());
        assertEquals(Map.of("Cache-Control", "no-store"), get.response().headers());
        java.util.Map<String, String> withNull = new java.util.LinkedHashMap<>();
        withNull.put("A", "1");
        withNull.put("B", null);
        assertThrows(NullPointerException.class, () -> new PollingResponse(200, null, withNull, null));
        withNull.remove("A");
        assertThrows(NullPointerException.class, () -> new PollingResponse(200, null, withNull, null));
    }

    @Test
    void upgradeMovesTheSessionToTheWebSocketWithoutLosingOrReordering() throws Exception {
        String sid = handshake();
        post(sid, "40/jobs,");
        assertTrue(poll(sid).bodyText().startsWith("40/jobs,"));
        post(sid, "42/jobs,1[\"subscribe:jobs\",{\"jobId\":\"u\"}]");
        assertTrue(poll(sid).bodyText().startsWith("43/jobs,1"));

        FakeExchange waiting = FakeExchange.get("EIO=4&transport=polling&sid=" + sid);
        hub.polling().handle(waiting);
        RecordingTransport ws = new RecordingTransport(new Handshake("/socket.io/", Map.of(),
                Map.of("EIO", List.of("4"), "transport", List.of("websocket"), "sid", List.of(sid)), "127.0.0.1"));
        assertTrue(hub.checkHandshake(Protocol.SOCKET_IO, ws.handshake()).isEmpty());
        ConnectionHandle upgrade = hub.connect(ws, Protocol.SOCKET_IO);
        upgrade.onText("2probe");
        assertEquals("3probe", ws.nextText());
        assertEquals("6", waiting.response().bodyText(), "the waiting GET is released with a noop");
        // events published while the client pauses polling wait in the buffer
        for (int i = 1; i <= 5; i++) {
            hub.jobs().progress("u", i * 10, null);
        }
        upgrade.onText("5");
        for (int i = 1; i <= 5; i++) {
            String f = ws.nextText();
            assertTrue(f.startsWith("42/jobs,[\"job:progress\""), f);
            assertEquals(i * 10, MAPPER.readTree(f.substring("42/jobs,".length())).get(1).path("progress").asInt());
        }
        hub.jobs().progress("u", 60, null);
        assertTrue(ws.nextText().contains("\"progress\":60"), "later events follow on the WebSocket");

        PollingResponse old = poll(sid);
        assertEquals(400, old.status(), "HTTP with the old sid is refused after the upgrade");
        assertEquals(3, MAPPER.readTree(old.bodyText()).path("code").asInt());
        assertEquals(400, post(sid, "3").status());
        assertFalse(hub.checkHandshake(Protocol.SOCKET_IO, ws.handshake()).isEmpty(), "no second upgrade");

        upgrade.onText("42/jobs,2[\"unsubscribe:jobs\",{\"jobId\":\"u\"}]");
        assertTrue(ws.nextText().startsWith("43/jobs,2"), "inbound frames reach the session");
        upgrade.onClose(1000, "bye");
        assertEquals(0, hub.stats().connections());
    }

    @Test
    void framesQueuedWhileTheWriterWasBusyLeaveInOneAnswerToTheWaitingGet() throws Exception {
        RealtimeHub one = RealtimeHub.builder().writerThreads(1).build();
        java.util.concurrent.CountDownLatch writerBusy = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        try {
            String q = subscribedToJobB(one);
            FakeExchange waiting = FakeExchange.get(q);
            one.polling().handle(waiting);
            assertFalse(waiting.answered());
            // the one writer thread is held by another connection's first frame
            one.connect(new Transport() {
                @Override
                public Handshake handshake() {
                    return Handshake.of("/ws");
                }

                @Override
                public void sendText(String text, SendCallback whenDone) {
                    writerBusy.countDown();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    whenDone.done(null);
                }

                @Override
                public void sendBinary(java.nio.ByteBuffer data, SendCallback whenDone) {
                    whenDone.done(null);
                }

                @Override
                public void close(int code, String reason) {
                }
            }, Protocol.NATIVE);
            assertTrue(writerBusy.await(10, java.util.concurrent.TimeUnit.SECONDS));
            for (int i = 0; i < 3; i++) {
                one.emitToRoom("job:b", "tick", i);
            }
            assertFalse(waiting.answered(), "the writer is still held");
            release.countDown();
            List<Integer> got = new ArrayList<>();
            ticks(waiting.response().bodyText(), got);
            assertEquals(List.of(0, 1, 2), got, "one answer carries every frame of the writer's pass");
        } finally {
            release.countDown();
            one.close();
        }
    }

    /**
     * A polling session on {@code h}, connected to {@code /jobs} and subscribed to job {@code b}, with its CONNECT
     * reply and the subscription's ack polled; returns the session's query string.
     */
    private static String subscribedToJobB(RealtimeHub h) throws Exception {
        FakeExchange hs = FakeExchange.get("EIO=4&transport=polling");
        h.polling().handle(hs);
        String sid = MAPPER.readTree(hs.response().bodyText().substring(1)).path("sid").asText();
        String q = "EIO=4&transport=polling&sid=" + sid;
        h.polling().handle(FakeExchange.post(q, "40/jobs,"));
        FakeExchange c = FakeExchange.get(q);
        h.polling().handle(c);
        assertTrue(c.response().bodyText().startsWith("40/jobs,"));
        h.polling().handle(FakeExchange.post(q, "42/jobs,1[\"subscribe:jobs\",{\"jobId\":\"b\"}]"));
        FakeExchange a = FakeExchange.get(q);
        h.polling().handle(a);
        assertTrue(a.response().bodyText().startsWith("43/jobs,1"));
        return q;
    }

    /** The numbers carried by {@code 42/jobs,["tick",n,...]} packets, in arrival order. */
    private static void ticks(String payload, List<Integer> out) throws Exception {
        for (String packet : payload.split(RS)) {
            if (packet.startsWith("42/jobs,[\"tick\"")) {
                out.add(MAPPER.readTree(packet.substring("42/jobs,".length())).get(1).asInt());
            }
        }
    }

    @Test
    void aBacklogBeyondTheBufferWaitsForGetsAndArrivesCompleteAndInOrder() throws Exception {
        RealtimeHub small = RealtimeHub.builder().socketIo(SocketIoOptions.defaults().withMaxPayload(200))
                .sendQueueCapacity(10_000).build();
        try {
            String q = subscribedToJobB(small);
            for (int i = 0; i < 500; i++) {
                small.emitToRoom("job:b", "tick", i);
            }
            List<Integer> got = new ArrayList<>();
            while (got.size() < 500) {
                FakeExchange get = FakeExchange.get(q);
                small.polling().handle(get);
                ticks(get.response().bodyText(), got);
            }
            List<Integer> expected = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                expected.add(i);
            }
            assertEquals(expected, got);
        } finally {
            small.close();
        }
    }

    @Test
    void noPacketIsLostOrReorderedWhileEventsArriveDuringTheUpgrade() throws Exception {
        String sid = handshake();
        String q = "EIO=4&transport=polling&sid=" + sid;
        post(sid, "40/jobs,");
        assertTrue(poll(sid).bodyText().startsWith("40/jobs,"));
        post(sid, "42/jobs,1[\"subscribe:jobs\",{\"jobId\":\"race\"}]");
        assertTrue(poll(sid).bodyText().startsWith("43/jobs,1"));
        int total = 2000;
        Thread publisher = new Thread(() -> {
            for (int i = 0; i < total; i++) {
                hub.emitToRoom("job:race", "tick", i);
            }
        });
        List<Integer> got = new ArrayList<>();
        publisher.start();
        for (int i = 0; i < 3; i++) {
            ticks(poll(sid).bodyText(), got); // polling while events flow
        }
        RecordingTransport ws = new RecordingTransport(new Handshake("/socket.io/", Map.of(),
                Map.of("EIO", List.of("4"), "transport", List.of("websocket"), "sid", List.of(sid)), "127.0.0.1"));
        ConnectionHandle upgrade = hub.connect(ws, Protocol.SOCKET_IO);
        upgrade.onText("2probe");
        assertEquals("3probe", ws.nextText());
        // the client pauses: it finishes its current poll (possibly released by a noop), then sends 5
        FakeExchange last = FakeExchange.get(q);
        hub.polling().handle(last);
        ticks(last.response().bodyText(), got);
        upgrade.onText("5");
        while (got.size() < total) {
            String f = ws.nextText();
            ticks(f, got);
        }
        publisher.join();
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < total; i++) {
            expected.add(i);
        }
        assertEquals(expected, got, "every event exactly once, in order, across polling and the WebSocket");
    }

    @Test
    void anUpgradeWithAnUnknownSidIsRefused() {
        Handshake h = new Handshake("/socket.io/", Map.of(),
                Map.of("EIO", List.of("4"), "transport", List.of("websocket"), "sid", List.of("nope")), "127.0.0.1");
        HandshakeRejection r = hub.checkHandshake(Protocol.SOCKET_IO, h).orElseThrow();
        assertEquals(400, r.status());
        assertEquals("{\"code\":1,\"message\":\"Session ID unknown\"}", r.body());
    }
}

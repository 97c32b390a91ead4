package dev.realtime.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.realtime.core.testing.FakeClock;
import dev.realtime.core.testing.FakeExchange;
import dev.realtime.core.testing.FakeScheduler;
import dev.realtime.core.testing.RecordingTransport;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Engine.IO's timers on virtual time: a ping every {@code pingInterval} (restarted by the pong), a close at
 * {@code pingInterval + pingTimeout} without pong, and the connect timeout to the millisecond, on WebSocket and
 * on polling.
 */
class EngineIoTimersTest {
    private static final Duration MS = Duration.ofMillis(1);
    private final FakeClock clock = new FakeClock();
    private final FakeScheduler scheduler = new FakeScheduler(clock);
    private RealtimeHub hub;

    private RealtimeHub hub(SocketIoOptions options) {
        // frames are handled on the submitting thread, so each is handled before virtual time moves on
        hub = RealtimeHub.builder().clock(clock).scheduler(scheduler).ticker(() -> scheduler.elapsed().toNanos())
                .writerThreads(0)
                .handlerExecutor(new dev.realtime.core.testing.DirectExecutorService()).socketIo(options).build();
        return hub;
    }

    @AfterEach
    void close() {
        if (hub != null) {
            hub.close();
        }
    }

    private static RecordingTransport webSocket() {
        return new RecordingTransport(new Handshake("/socket.io/", Map.of(),
                Map.of("EIO", List.of("4"), "transport", List.of("websocket")), "127.0.0.1"));
    }

    @Test
    void pingsEveryIntervalAndClosesAtIntervalPlusTimeoutOverWebSocket() throws Exception {
        hub(SocketIoOptions.defaults().withPing(Duration.ofMillis(300), Duration.ofMillis(200)));
        RecordingTransport t = webSocket();
        ConnectionHandle h = hub.connect(t, Protocol.SOCKET_IO);
        assertEquals('0', t.nextText().charAt(0));
        h.onText("40");
        t.nextText();
        scheduler.advance(Duration.ofMillis(299));
        assertTrue(t.drain().isEmpty(), "no ping before pingInterval");
        scheduler.advance(MS);
        assertEquals(List.of("2"), t.drain(), "ping at exactly pingInterval");
        for (int round = 0; round < 3; round++) {
            scheduler.advance(Duration.ofMillis(150));
            h.onText("3"); // the timer restarts from the pong
            scheduler.advance(Duration.ofMillis(299));
            assertTrue(t.drain().isEmpty(), "the next ping is pingInterval after the pong, not after the ping");
            scheduler.advance(MS);
            assertEquals(List.of("2"), t.drain(), "ping pingInterval after the pong (round " + round + ")");
        }
        h.onText("3");
        // no pong now: ping at +300, close at +500
        scheduler.advance(Duration.ofMillis(300));
        assertEquals(List.of("2"), t.drain());
        scheduler.advance(Duration.ofMillis(199));
        assertFalse(t.awaitClosed(0), "still open 1 ms before pingTimeout");
        scheduler.advance(MS);
        assertTrue(t.awaitClosed(2000));
        assertEquals("ping timeout", t.closeReason());
        assertEquals(1, hub.stats().heartbeatCloses());
    }

    @Test
    void connectTimeoutIsExact() throws Exception {
        hub(SocketIoOptions.defaults().withConnectTimeout(Duration.ofMillis(1000)));
        RecordingTransport t = webSocket();
        hub.connect(t, Protocol.SOCKET_IO);
        t.nextText();
        scheduler.advance(Duration.ofMillis(999));
        assertFalse(t.awaitClosed(0));
        scheduler.advance(MS);
        assertTrue(t.awaitClosed(2000));
        assertEquals("connect timeout", t.closeReason());
    }

    @Test
    void aConnectedSocketHasNoConnectTimeout() throws Exception {
        hub(SocketIoOptions.defaults().withConnectTimeout(Duration.ofMillis(1000)));
        RecordingTransport t = webSocket();
        ConnectionHandle h = hub.connect(t, Protocol.SOCKET_IO);
        t.nextText();
        h.onText("40");
        scheduler.advance(Duration.ofMillis(5000));
        assertFalse(t.awaitClosed(0));
    }

    @Test
    void pingsAndTimeoutOverPolling() throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        hub(SocketIoOptions.defaults().withPing(Duration.ofMillis(300), Duration.ofMillis(200)));
        FakeExchange hs = FakeExchange.get("EIO=4&transport=polling");
        hub.polling().handle(hs);
        String open = hs.response().bodyText();
        assertEquals(300, mapper.readTree(open.substring(1)).path("pingInterval").asInt());
        String sid = mapper.readTree(open.substring(1)).path("sid").asText();

        FakeExchange get = FakeExchange.get("EIO=4&transport=polling&sid=" + sid);
        hub.polling().handle(get);
        scheduler.advance(Duration.ofMillis(299));
        assertFalse(get.answered(), "the GET waits: no ping before pingInterval");
        scheduler.advance(MS);
        assertEquals("2", get.response().bodyText(), "the ping completes the waiting GET");
        FakeExchange pong = FakeExchange.post("EIO=4&transport=polling&sid=" + sid, "3");
        hub.polling().handle(pong);
        assertEquals("ok", pong.response().bodyText());

        FakeExchange next = FakeExchange.get("EIO=4&transport=polling&sid=" + sid);
        hub.polling().handle(next);
        scheduler.advance(Duration.ofMillis(300));
        assertEquals("2", next.response().bodyText(), "pinged again pingInterval after the pong");
        FakeExchange last = FakeExchange.get("EIO=4&transport=polling&sid=" + sid);
        hub.polling().handle(last);
        scheduler.advance(Duration.ofMillis(199));
        assertFalse(last.answered());
        scheduler.advance(MS);
        assertEquals("1", last.response().bodyText(), "no pong: the close packet at pingInterval + pingTimeout");
        assertEquals(0, hub.polling().pollingSessions());
    }
    @Test
    void aProbeWithoutUpgradeTimesOutAfterTenSecondsAndPollingGoesOn() throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        hub(SocketIoOptions.defaults());
        FakeExchange hs = FakeExchange.get("EIO=4&transport=polling");
        hub.polling().handle(hs);
        String sid = mapper.readTree(hs.response().bodyText().substring(1)).path("sid").asText();
        String q = "EIO=4&transport=polling&sid=" + sid;
        RecordingTransport ws = new RecordingTransport(new Handshake("/socket.io/", Map.of(),
                Map.of("EIO", List.of("4"), "transport", List.of("websocket"), "sid", List.of(sid)), "127.0.0.1"));
        ConnectionHandle upgrade = hub.connect(ws, Protocol.SOCKET_IO);
        upgrade.onText("2probe");
        assertEquals("3probe", ws.nextText());
        // a GET arriving after the probe is released with a noop within 100 ms, so the client can pause
        FakeExchange late = FakeExchange.get(q);
        hub.polling().handle(late);
        assertFalse(late.answered());
        scheduler.advance(Duration.ofMillis(100));
        assertEquals("6", late.response().bodyText());
        scheduler.advance(Duration.ofMillis(9_899));
        assertFalse(ws.awaitClosed(0), "still waiting for the upgrade packet");
        scheduler.advance(Duration.ofMillis(1));
        assertTrue(ws.awaitClosed(2000));
        assertEquals("upgrade timeout", ws.closeReason());
        upgrade.onClose(1000, "upgrade timeout");
        FakeExchange post = FakeExchange.post(q, "40");
        hub.polling().handle(post);
        assertEquals("ok", post.response().bodyText(), "the polling session is untouched");
        assertEquals(1, hub.polling().pollingSessions());
    }
}

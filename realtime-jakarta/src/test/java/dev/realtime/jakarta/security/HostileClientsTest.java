package dev.realtime.jakarta.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.realtime.core.security.Limits;
import dev.realtime.core.security.TrustedProxies;
import dev.realtime.jakarta.socketio.RawSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The standalone server under the attacks of issue 12, over real connections and raw sockets: each attack gets
 * its exact status or close code, and a healthy client on the same server keeps receiving events. Connection
 * admission (addresses, proxies, paths, origins) and HTTP abuse here; WebSocket frames, token refreshes and
 * floods in {@link HostileClientsProtocolTest}.
 */
@Timeout(60)
class HostileClientsTest extends HostileClientsTestBase {
    @Test
    void manyClientsBehindOneAddressKeepTheirConnections() throws Exception {
        start(b -> b.limits(Limits.defaults().withHandshakesPerIpPerSecond(1000)));
        List<RawSocket> crowd = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            RawSocket s = keep(RawSocket.open(port, "/ws"));
            s.nextNonPing();
            s.send("{\"type\":\"subscribe\",\"room\":\"job:crowd\"}");
            crowd.add(s);
        }
        for (RawSocket s : crowd) {
            assertTrue(s.nextNonPing().contains("\"subscribed\""));
            for (int k = 0; k < 15; k++) {
                s.send("{\"type\":\"pong\"}"); // 2,250 reads from one address: never counted as handshakes
            }
        }
        hub.jobs().progress("crowd", 50, "everyone");
        for (RawSocket s : crowd) {
            assertEquals(50, MAPPER.readTree(s.nextNonPing()).path("data").path("progress").asInt());
            assertFalse(s.awaitClose(0), "nobody was disconnected");
        }
        assertEquals(0, hub.stats().handshakesRejected());
        assertHealthy();
    }

    @Test
    void webSocketPingsUnderDefaultLimitsNeverLookLikeHandshakes() throws Exception {
        start(b -> b);
        List<RawSocket> two = List.of(keep(RawSocket.open(port, "/ws")), keep(RawSocket.open(port, "/ws")));
        for (RawSocket s : two) {
            s.nextNonPing();
            s.send("{\"type\":\"subscribe\",\"room\":\"job:pinged\"}");
            assertTrue(s.nextNonPing().contains("\"subscribed\""));
            for (int i = 0; i < 12; i++) {
                s.ping();
            }
        }
        hub.jobs().progress("pinged", 7, null);
        for (RawSocket s : two) {
            assertEquals(7, MAPPER.readTree(s.nextNonPing()).path("data").path("progress").asInt());
        }
        assertHealthy();
    }

    @Test
    void behindATrustedProxyEachForwardedAddressHasItsOwnLimits() throws Exception {
        start(b -> b.limits(Limits.defaults().withConnections(100, 2))
                .trustedProxies(TrustedProxies.of(List.of("127.0.0.0/8"))));
        // healthy already holds one connection of 127.0.0.1
        keep(forwarded("203.0.113.7"));
        keep(forwarded("203.0.113.7"));
        assertEquals(429, refusedStatus("203.0.113.7"));
        keep(forwarded("203.0.113.8")); // another client behind the same proxy
        keep(forwarded("10.1.2.3, 203.0.113.9")); // the right-most untrusted hop counts
        assertHealthy();
    }

    @Test
    void forwardedHeadersFromAnUntrustedPeerAreIgnored() throws Exception {
        start(b -> b.limits(Limits.defaults().withConnections(100, 2)));
        keep(forwarded("198.51.100.1")); // counted as 127.0.0.1 with healthy: 2 of 2
        assertEquals(429, refusedStatus("198.51.100.2"));
        assertHealthy();
    }

    private RawSocket forwarded(String xff) throws Exception {
        RawSocket s = new RawSocket();
        HttpClient.newHttpClient().newWebSocketBuilder().header("X-Forwarded-For", xff)
                .buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws"), s).get(5, TimeUnit.SECONDS);
        assertTrue(s.nextNonPing().contains("\"connection\""));
        return s;
    }

    private int refusedStatus(String xff) throws Exception {
        try {
            forwarded(xff).close();
            return 101;
        } catch (java.util.concurrent.ExecutionException e) {
            return ((java.net.http.WebSocketHandshakeException) e.getCause()).getResponse().statusCode();
        }
    }

    @Test
    void endpointPathsInOtherSpellingsAreRefusedBeforeTheUpgrade() throws Exception {
        start(b -> b.allowedOrigins(List.of("https://quizai.nl")));
        String sio = "?EIO=4&transport=websocket";
        for (String path : List.of("/%77s", "/ws;x=1", "/WS", "/./ws", "//ws", "/%73ocket.io/" + sio,
                "/socket.io/;x" + sio, "/Socket.IO/" + sio)) {
            assertEquals(400, RawSocket.refused(port, path).status(), path);
        }
        assertEquals(400, RawSocket.refused(port, "/ws%00").status());
        assertEquals(404, RawSocket.refused(port, "/elsewhere").status());
        assertEquals(0, server.connectionCount() - 1, "only the healthy client is connected");
        // the exact paths still work, and the Origin rule applies to them
        RawSocket ok = keep(RawSocket.open(port, "/socket.io/" + sio));
        assertTrue(ok.nextText().startsWith("0{"));
        assertEquals(403, originRefusal("/ws", "https://evil.example"));
        assertHealthy();
    }

    private int originRefusal(String path, String origin) throws Exception {
        try {
            HttpClient.newHttpClient().newWebSocketBuilder().header("Origin", origin)
                    .buildAsync(URI.create("ws://127.0.0.1:" + port + path), new RawSocket()).get(5, TimeUnit.SECONDS);
            return 101;
        } catch (java.util.concurrent.ExecutionException e) {
            return ((java.net.http.WebSocketHandshakeException) e.getCause()).getResponse().statusCode();
        }
    }

    @Test
    void slowBodiesGet408AndNeverHoldTheWorkers() throws Exception {
        start(b -> b);
        ScheduledExecutorService trickle = Executors.newSingleThreadScheduledExecutor();
        try {
            List<RawHttp> slow = new ArrayList<>();
            for (int i = 0; i < 6; i++) { // three times the worker threads
                RawHttp h = keep(RawHttp.connect(port));
                h.send("POST /api/jobs/slow/events HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                        + "Content-Length: 500000\r\n\r\n{");
                slow.add(h);
            }
            trickle.scheduleAtFixedRate(() -> slow.forEach(h -> h.trySend(" ")), 200, 300, TimeUnit.MILLISECONDS);
            assertHealthy(); // while six bodies trickle in, /health and events still flow
            for (RawHttp h : slow) {
                String response = h.readResponse();
                assertEquals(408, RawHttp.status(response), response);
                assertTrue(response.contains("\"code\":\"bad_request\""), response);
            }
        } finally {
            trickle.shutdownNow();
        }
        assertHealthy();
    }

    @Test
    void slowAndIdleHeadsAreClosed() throws Exception {
        start(b -> b);
        List<RawHttp> heads = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            RawHttp h = keep(RawHttp.connect(port));
            if (i % 2 == 0) {
                h.send("GET /health HTTP/1.1\r\nHost: x\r\nX-Slow: a"); // never finished
            }
            heads.add(h);
        }
        RawHttp idle = keep(RawHttp.connect(port));
        idle.send("GET /health HTTP/1.1\r\nHost: x\r\n\r\n");
        assertEquals(200, RawHttp.status(idle.readResponse()));
        for (RawHttp h : heads) {
            h.timeout(5000);
            assertTrue(h.closedByServer(), "a connection without a complete head is closed");
        }
        idle.timeout(5000);
        assertTrue(idle.closedByServer(), "an idle keep-alive connection is closed");
        assertHealthy();
    }

    @Test
    void publishBodiesAreBoundedByTheFrameLimitEvenWhenUploadsMayBeLarger() throws Exception {
        start(b -> b, s -> s.maxBodyBytes(50 << 20));
        String big = "{\"type\":\"progress\",\"progress\":1,\"message\":\"" + "x".repeat(1_100_000) + "\"}";
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/api/jobs/big/events"))
                .POST(HttpRequest.BodyPublishers.ofString(big)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(413, r.statusCode(), r.body());
        assertTrue(r.body().contains("too_large"), r.body());
        assertEquals(0, hub.history("job:big", 0, 10).entries().size(), "nothing was published");
        assertHealthy();
    }

    @Test
    void malformedPathsGet400NotAStackTrace() throws Exception {
        start(b -> b);
        for (String path : List.of("/api/files/%00", "/api/%2e%2e/%2e%2e/etc/passwd", "/api/files/a%2fb",
                "/api/files/%c0%af", "/..", "/api/files/%zz", "/a%5cb")) {
            String response = RawHttp.exchange(port, "GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            assertEquals(400, RawHttp.status(response), path + " -> " + response);
            assertTrue(response.contains("\"code\":\"bad_request\""), response);
        }
        assertHealthy();
    }

    @Test
    void aLargeBodyAfterExpectContinueIsNotTakenForAHead() throws Exception {
        start(b -> b);
        String body = "{\"type\":\"progress\",\"progress\":5,\"message\":\"" + "x".repeat(60_000) + "\"}";
        try (RawHttp h = keep(RawHttp.connect(port))) {
            h.send("POST /api/jobs/expect/events HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    + "Expect: 100-continue\r\nContent-Length: " + body.length() + "\r\n\r\n");
            assertEquals(100, RawHttp.status(h.readResponse()));
            h.send(body);
            String response = h.readResponse();
            assertEquals(201, RawHttp.status(response), response);
        }
        assertHealthy();
    }

    @Test
    void oversizedHeadsGet431() throws Exception {
        start(b -> b);
        String response = RawHttp.exchange(port, "GET /health HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(20_000)
                + "\r\n\r\n");
        assertEquals(431, RawHttp.status(response), response);
        assertHealthy();
    }
}

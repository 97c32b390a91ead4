package dev.realtime.jakarta.security;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.realtime.core.RealtimeHub;
import dev.realtime.core.quiz.Question;
import dev.realtime.core.quiz.QuestionFlow;
import dev.realtime.core.security.JwtAuthenticator;
import dev.realtime.core.security.Jwts;
import dev.realtime.core.security.Limits;
import dev.realtime.core.security.TrustedProxies;
import dev.realtime.jakarta.server.RealtimeServer;
import dev.realtime.jakarta.server.ServerLimits;
import dev.realtime.jakarta.socketio.RawSocket;
import dev.realtime.jakarta.socketio.RawTcpWebSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The standalone server under the attacks of issue 12, over real connections and raw sockets: each attack gets
 * its exact status or close code, and a healthy client on the same server keeps receiving events.
 */
@Timeout(60)
class HostileClientsTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final ServerLimits FAST = ServerLimits.defaults()
            .withTimeouts(Duration.ofMillis(800), Duration.ofMillis(800))
            .withBodyRate(1024, Duration.ofMillis(600))
            .withWorkers(2, 1000);

    private final List<AutoCloseable> open = new ArrayList<>();
    private final AtomicInteger tick = new AtomicInteger();
    private RealtimeHub hub;
    private RealtimeServer server;
    private int port;
    private RawSocket healthy;

    private void start(UnaryOperator<RealtimeHub.Builder> hubConfig) throws Exception {
        start(hubConfig, b -> b);
    }

    private void start(UnaryOperator<RealtimeHub.Builder> hubConfig, UnaryOperator<RealtimeServer.Builder> serverConfig)
            throws Exception {
        hub = hubConfig.apply(RealtimeHub.builder()).build();
        server = serverConfig.apply(RealtimeServer.builder().hub(hub).host("127.0.0.1").port(0).limits(FAST)).build();
        port = server.start();
        healthy = RawSocket.open(port, "/ws" + (hubUsesJwt ? "?token=" + token("healthy", "admin") : ""));
        healthy.nextNonPing();
        healthy.send("{\"type\":\"subscribe\",\"room\":\"job:healthy\"}");
        assertTrue(healthy.nextNonPing().contains("\"subscribed\""));
    }

    private boolean hubUsesJwt;

    private void assertHealthy() throws Exception {
        int n = tick.incrementAndGet() % 101;
        hub.jobs().progress("healthy", n, null);
        JsonNode e = MAPPER.readTree(healthy.nextNonPing());
        assertEquals(n, e.path("data").path("progress").asInt(), "the healthy client keeps receiving events");
        HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/health")).timeout(Duration.ofSeconds(3)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, health.statusCode(), "/health answers");
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
        if (healthy != null) {
            healthy.close();
        }
        if (server != null) {
            server.close();
        }
        if (hub != null) {
            hub.close();
        }
    }

    private static String token(String sub, String... roles) {
        return Jwts.hs256(Jwts.claims(sub, Instant.now()).audience("realtime").claim("roles", List.of(roles)).build());
    }

    private <T extends AutoCloseable> T keep(T c) {
        open.add(c);
        return c;
    }

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

    @Test
    void unmaskedClientFramesClose1002() throws Exception {
        start(b -> b);
        assertEquals(1002, RawTcpWebSocket.sendUnmaskedTextAndAwaitClose(port, "/ws", "{\"type\":\"pong\"}"));
        assertEquals(1002, RawTcpWebSocket.sendUnmaskedTextAndAwaitClose(port,
                "/socket.io/?EIO=4&transport=websocket", "3"));
        assertHealthy();
    }

    @Test
    void oversizedFramesClose1009AndBurstsAreRateLimitedThenClosed() throws Exception {
        start(b -> b);
        RawSocket big = keep(RawSocket.open(port, "/ws"));
        big.nextNonPing();
        big.sendQuietly("{\"type\":\"emit\",\"event\":\"x\",\"data\":\"" + "y".repeat(1_100_000) + "\"}");
        assertTrue(big.awaitClose(5000));
        assertEquals(1009, big.closeCode());

        // a burst of 2,000 frames: rate_limited answers, then the server closes it
        RawSocket burst = keep(RawSocket.open(port, "/ws"));
        assertTrue(burst.nextNonPing().contains("\"connection\""));
        for (int i = 0; i < 2000; i++) {
            burst.sendQuietly("{\"type\":\"pong\"}");
        }
        assertTrue(burst.awaitClose(10_000));
        // the server refused and then closed for abuse; the refusals it wrote may be lost to the client here, which
        // keeps blasting into the closing socket (its own TCP reset drops them): anAbuseCloseReachesTheClient...
        // checks what a client that stops sending receives
        assertTrue(hub.stats().rateLimited() > 0, "refused with rate_limited");
        assertTrue(hub.stats().abuseCloses() > 0, "closed for abuse");
        assertHealthy();
    }

    @Test
    void anAbuseCloseReachesTheClientWithItsCode() throws Exception {
        // burst 10, then 20 refusals close the connection: the 30th frame is the last one the client sends, so the
        // close frame is not raced by frames still arriving (a client that keeps blasting after the close may see
        // its TCP connection reset, 1006, because the container closes the socket right after its close frame)
        start(b -> b.limits(Limits.defaults().withMessageRate(1, 10).withAbuseThreshold(20)));
        RawSocket flood = keep(RawSocket.open(port, "/ws"));
        assertTrue(flood.nextNonPing().contains("\"connection\""));
        for (int i = 0; i < 30; i++) {
            flood.sendQuietly("{\"type\":\"pong\"}");
        }
        assertTrue(flood.awaitClose(10_000));
        assertEquals(1008, flood.closeCode(), "the abuse close reaches the client with its code");
        assertTrue(flood.drainTexts().stream().filter(t -> t.contains("rate_limited")).count() >= 19);
        assertHealthy();
    }

    @Test
    void aTokenRefreshWithFewerRightsLeavesTheRoomsItNoLongerAllows() throws Exception {
        hubUsesJwt = true;
        start(b -> b.authenticator(JwtAuthenticator.builder().hmacSecret(Jwts.SECRET).audience("realtime").build()));
        RawSocket c = keep(RawSocket.open(port, "/ws?token=" + token("carol", "admin")));
        c.nextNonPing();
        c.send("{\"type\":\"subscribe\",\"id\":\"1\",\"room\":\"all-jobs\"}");
        assertTrue(c.nextNonPing().contains("\"subscribed\""));
        c.send("{\"type\":\"subscribe\",\"id\":\"2\",\"room\":\"user:carol\"}");
        assertTrue(c.nextNonPing().contains("\"subscribed\""));
        c.send("{\"type\":\"auth\",\"id\":\"3\",\"token\":\"" + token("carol") + "\"}");
        assertTrue(c.nextNonPing().contains("\"authenticated\""));
        JsonNode left = MAPPER.readTree(c.nextNonPing());
        assertEquals("unsubscribed", left.path("type").asText());
        assertEquals("all-jobs", left.path("room").asText());
        assertEquals("forbidden", MAPPER.readTree(c.nextNonPing()).path("code").asText());
        hub.jobs().job("someone-elses", "dave").progress(10, null); // all-jobs only
        hub.jobs().job("carols", "carol").progress(20, null);      // user:carol
        JsonNode next = MAPPER.readTree(c.nextNonPing());
        assertEquals("carols", next.path("data").path("jobId").asText(), "no all-jobs event after the downgrade: " + next);
        assertEquals(20, next.path("data").path("progress").asInt());
        assertHealthy();
    }

    /** The next ack or error (skipping events). */
    private static String nextReply(RawSocket s) throws InterruptedException {
        while (true) {
            String t = s.nextNonPing();
            if (t.contains("\"type\":\"ack\"") || t.contains("\"type\":\"error\"")) {
                return t;
            }
        }
    }

    @Test
    void questionFloodsAreCappedPerUserAndQueued() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        start(b -> b);
        QuestionFlow flow = QuestionFlow.register(hub, request -> {
            try {
                release.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return List.of(new Question("Q?", List.of("a", "b", "c", "d"), 0, "because", request.difficulty()));
        }, Duration.ofSeconds(30), 1, 2, 1);
        open.add(flow);
        RawSocket alice = keep(RawSocket.open(port, "/ws"));
        RawSocket bob = keep(RawSocket.open(port, "/ws"));
        alice.nextNonPing();
        bob.nextNonPing();
        String ask = "{\"type\":\"emit\",\"id\":\"%d\",\"event\":\"question:generate\",\"data\":{\"subject\":\"water\","
                + "\"context\":\"Water evaporates.\",\"requestId\":\"r%d\"}}";
        // one at a time: each answer arrives before the next request is sent
        alice.send(String.format(ask, 1, 1));
        assertTrue(nextReply(alice).contains("\"type\":\"ack\""));        // runs
        alice.send(String.format(ask, 2, 2));
        assertTrue(nextReply(alice).contains("\"type\":\"ack\""));        // waits in the queue of one
        alice.send(String.format(ask, 3, 3));
        String third = nextReply(alice);
        assertTrue(third.contains("rate_limited") && third.contains("per user"), third); // over alice's cap of 2
        bob.send(String.format(ask, 4, 4));
        String bobs = nextReply(bob);
        assertTrue(bobs.contains("rate_limited") && bobs.contains("busy"), bobs);     // the queue is full
        List<String> aliceSaw = new ArrayList<>();
        release.countDown();
        await().atMost(Duration.ofSeconds(5)).until(() -> {
            aliceSaw.addAll(alice.drainTexts());
            return aliceSaw.stream().filter(t -> t.contains("question:generated")).count() == 2;
        });
        assertHealthy();
    }
}

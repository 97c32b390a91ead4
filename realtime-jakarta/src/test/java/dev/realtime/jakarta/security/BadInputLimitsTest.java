package dev.realtime.jakarta.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.realtime.core.RealtimeHub;
import dev.realtime.core.security.JwtAuthenticator;
import dev.realtime.core.security.Jwts;
import dev.realtime.core.security.Limits;
import dev.realtime.jakarta.server.RealtimeServer;
import dev.realtime.jakarta.socketio.RawSocket;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Floods of messages, connections and handshakes on servers with small limits: refused with the exact codes, then
 * closed; the open and secured servers of {@link BadInputSuiteBase} stay healthy meanwhile.
 */
class BadInputLimitsTest extends BadInputSuiteBase {
    /** Floods and too many connections, on a server with small limits. */
    @Test
    void floodsAndTooManyConnectionsAreRefusedThenClosed() throws Exception {
        RealtimeHub hub = RealtimeHub.builder()
                .authenticator(JwtAuthenticator.builder().hmacSecret(Jwts.SECRET).audience("realtime").build())
                .limits(Limits.defaults().withMessageRate(10, 10).withAbuseThreshold(30).withConnections(2, 1000)
                        .withHandshakesPerIpPerSecond(1000))
                .build();
        RealtimeServer server = RealtimeServer.builder().hub(hub).host("127.0.0.1").port(0).build();
        int port = server.start();
        try {
            String t = "?token=" + token("flooder");
            // native flood: the burst is served, then rate_limited errors, then 1008
            RawSocket n = RawSocket.open(port, "/ws" + t);
            n.nextNonPing();
            for (int i = 0; i < 60; i++) {
                n.sendQuietly("{\"type\":\"ping\"}");
            }
            assertTrue(n.awaitClose(5000), "closed after sustained abuse");
            assertEquals(1008, n.closeCode());
            List<String> got = n.drainTexts();
            long pongs = got.stream().filter(f -> f.contains("\"pong\"")).count();
            long limited = got.stream().filter(f -> f.contains("rate_limited")).count();
            assertTrue(pongs >= 10 && pongs < 60, "burst served, rest refused: " + pongs);
            assertTrue(limited >= 10, "rate_limited errors: " + limited);
            // Socket.IO flood: exception events with rate_limited, then 1008
            RawSocket s = RawSocket.open(port, "/socket.io/?EIO=4&transport=websocket");
            s.nextText();
            s.send("40{\"token\":\"" + token("flooder2") + "\"}");
            assertTrue(s.nextNonPing().startsWith("40"));
            for (int i = 0; i < 60; i++) {
                s.sendQuietly("42[\"nobody\"]");
            }
            boolean sawLimit = false;
            while (!sawLimit) {
                String f = s.nextNonPing();
                sawLimit = f.contains("rate_limited");
            }
            assertTrue(s.awaitClose(5000));
            assertEquals(1008, s.closeCode());
            // too many connections for one user: the third is refused
            String u = "?token=" + token("many");
            RawSocket c1 = RawSocket.open(port, "/ws" + u);
            RawSocket c2 = RawSocket.open(port, "/ws" + u);
            assertTrue(c1.nextNonPing().contains("connection"));
            assertTrue(c2.nextNonPing().contains("connection"));
            // the token names its user at the upgrade, so the third is refused before the upgrade (429)
            RawSocket.Refusal third = RawSocket.refused(port, "/ws" + u);
            assertEquals(429, third.status());
            assertTrue(third.body().contains("too many connections for this user"), third.body());
            // a token sent in the first message is counted at authentication: refused with rate_limited, 1008
            RawSocket c3 = RawSocket.open(port, "/ws");
            c3.send("{\"type\":\"auth\",\"token\":\"" + token("many") + "\"}");
            assertEquals("rate_limited", MAPPER.readTree(c3.nextNonPing()).path("code").asText());
            assertTrue(c3.awaitClose(5000));
            assertEquals(1008, c3.closeCode());
            c1.close();
            c2.close();
            assertTrue(hub.stats().rateLimited() > 0 && hub.stats().abuseCloses() >= 2);
            secured.assertHealthy();
            open.assertHealthy();
        } finally {
            server.close();
            hub.close();
        }
    }

    @Test
    void handshakeFloodFromOneAddressGets429() throws Exception {
        RealtimeHub hub = RealtimeHub.builder().limits(Limits.defaults().withHandshakesPerIpPerSecond(5)).build();
        RealtimeServer server = RealtimeServer.builder().hub(hub).host("127.0.0.1").port(0).build();
        int port = server.start();
        try {
            int refused = 0;
            for (int i = 0; i < 12; i++) {
                try {
                    RawSocket.open(port, "/ws").close();
                } catch (java.util.concurrent.ExecutionException e) {
                    assertTrue(e.getCause() instanceof java.net.http.WebSocketHandshakeException, e.toString());
                    assertEquals(429, ((java.net.http.WebSocketHandshakeException) e.getCause()).getResponse()
                            .statusCode());
                    refused++;
                }
            }
            assertTrue(refused >= 5, "refused: " + refused);
            assertTrue(hub.stats().handshakesRejected() >= 5);
        } finally {
            server.close();
            hub.close();
        }
    }
}

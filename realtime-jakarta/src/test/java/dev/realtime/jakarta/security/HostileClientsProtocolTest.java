package dev.realtime.jakarta.security;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.realtime.core.quiz.Question;
import dev.realtime.core.quiz.QuestionFlow;
import dev.realtime.core.security.JwtAuthenticator;
import dev.realtime.core.security.Jwts;
import dev.realtime.core.security.Limits;
import dev.realtime.jakarta.socketio.RawSocket;
import dev.realtime.jakarta.socketio.RawTcpWebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The standalone server under the protocol-level attacks of issue 12, over real connections and raw sockets:
 * unmasked and oversized frames, bursts, abuse closes, token refreshes with fewer rights and question floods; a
 * healthy client on the same server keeps receiving events.
 */
@Timeout(60)
class HostileClientsProtocolTest extends HostileClientsTestBase {
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

package dev.realtime.jakarta;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.realtime.core.RealtimeHub;
import dev.realtime.jakarta.server.RealtimeServer;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The standalone server's direct frame writes ({@link GrizzlyDirect}) against a client that stops reading: writes
 * the socket takes only in part, batches joined in the connection's kept buffer and frames of their own array, and
 * the container's own writes (pongs) queued between them all arrive whole and in order once the client reads again.
 */
@Timeout(60)
class DirectWritesTest {
    private RealtimeHub hub;
    private RealtimeServer server;
    private RawClient client;

    @AfterEach
    void tearDown() {
        if (client != null) {
            client.close();
        }
        server.close();
        hub.close();
    }

    @Test
    void writesTheSocketTakesInPartArriveWholeAndInOrderAmongTheContainersPongs() throws Exception {
        hub = RealtimeHub.builder().sendQueueCapacity(100_000).sendQueueBytes(256L << 20)
                .slowConsumerTimeout(Duration.ofSeconds(60)).build();
        server = RealtimeServer.builder().hub(hub).host("127.0.0.1").port(0).build();
        URI uri = URI.create("ws://127.0.0.1:" + server.start() + "/ws");
        CountDownLatch gate = new CountDownLatch(1);
        client = RawClient.connect(uri, gate, Map.of());
        client.send("{\"type\":\"subscribe\",\"id\":\"1\",\"room\":\"job:flood\"}");
        client.awaitBlocked(); // its reader sits on the first frame: the socket fills up behind it
        await().atMost(Duration.ofSeconds(5)).until(() -> hub.roomSize("job:flood") == 1);

        // about 11 MB: more than a loopback socket holds for a reader that stopped (at most a 4 MB send buffer and
        // the receive window), so writes end in part or not at all, and the rest waits in Grizzly's write queue;
        // small events queued together are joined in the kept 2 KiB buffer, every 20th is 12 KiB and goes out on
        // its own (the kernel takes a small write whole or not at all; a large one it cuts)
        int events = 10_000;
        int pings = 0;
        String small = "s".repeat(600);
        String big = "b".repeat(12 * 1024);
        for (int i = 0; i < events; i++) {
            hub.emitToRoom("job:flood", "n", Map.of("i", i, "pad", i % 20 == 0 ? big : small));
            if (i % 100 == 0) {
                client.ping(); // answered by the container, through its own filter chain and write queue
                pings++;
            }
        }
        gate.countDown();

        int next = 0;
        while (next < events) {
            JsonNode f = client.next("event");
            if (!f.path("event").asText().equals("n")) {
                continue;
            }
            assertEquals(next, f.path("data").path("i").asInt(), "events in publish order, none lost");
            assertEquals(next % 20 == 0 ? big : small, f.path("data").path("pad").asText());
            next++;
        }
        int expected = pings;
        await().atMost(Duration.ofSeconds(10)).until(() -> client.pongs.get() == expected);
        assertEquals(0, hub.stats().slowConsumerCloses());
    }
}

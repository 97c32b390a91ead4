package dev.realtime.jakarta.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.realtime.core.RealtimeHub;
import dev.realtime.core.StoreException;
import dev.realtime.core.history.HistoryEntry;
import dev.realtime.core.history.HistoryPage;
import dev.realtime.core.history.HistoryStore;
import dev.realtime.core.history.StreamPosition;
import dev.realtime.jakarta.socketio.RawSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Over real connections: a publish that timed out with 503 after it was stored, retried with its
 * Idempotency-Key, is stored and delivered once; a resume longer than the replay limit says it is not recovered
 * instead of sending a truncated replay.
 */
@Timeout(30)
class DeliveryGuaranteesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    /** A store whose first append is stored but answered with a failure, as a timed-out Redis reply is. */
    private static final class LostReply implements HistoryStore {
        final HistoryStore real = HistoryStore.inMemory(100, Duration.ofHours(1), Clock.systemUTC());
        final AtomicBoolean loseNext = new AtomicBoolean(true);

        @Override
        public HistoryEntry append(String stream, String event, String data, Instant timestamp) {
            return real.append(stream, event, data, timestamp);
        }

        @Override
        public HistoryEntry append(String stream, String event, String data, Instant timestamp, String key) {
            HistoryEntry e = real.append(stream, event, data, timestamp, key);
            if (loseNext.getAndSet(false)) {
                throw new StoreException("redis append to " + stream + " failed: Read timed out", null);
            }
            return e;
        }

        @Override
        public HistoryPage read(String stream, long after, int limit) {
            return real.read(stream, after, limit);
        }

        @Override
        public StreamPosition position(String stream) {
            return real.position(stream);
        }
    }

    private HttpResponse<String> publish(int port, String body, String key) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/jobs/retry/events"))
                .header("Idempotency-Key", key).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aRetryAfterA503WithTheSameIdempotencyKeyIsNotADuplicate() throws Exception {
        LostReply store = new LostReply();
        try (RealtimeHub hub = RealtimeHub.builder().historyStore(store).build();
             RealtimeServer server = RealtimeServer.builder().hub(hub).host("127.0.0.1").port(0).build()) {
            int port = server.start();
            RawSocket client = RawSocket.open(port, "/ws");
            client.nextNonPing();
            client.send("{\"type\":\"subscribe\",\"room\":\"job:retry\"}");
            assertTrue(client.nextNonPing().contains("\"subscribed\""));
            String body = "{\"type\":\"progress\",\"progress\":50}";
            HttpResponse<String> timedOut = publish(port, body, "evt-42");
            assertEquals(503, timedOut.statusCode(), timedOut.body());
            HttpResponse<String> retry = publish(port, body, "evt-42");
            assertEquals(200, retry.statusCode(), retry.body());
            assertEquals(1, JSON.readTree(retry.body()).path("offset").asLong());
            assertTrue(JSON.readTree(retry.body()).path("duplicate").asBoolean());
            assertEquals(201, publish(port, "{\"type\":\"completed\"}", "evt-43").statusCode());
            JsonNode first = JSON.readTree(client.nextNonPing());
            JsonNode second = JSON.readTree(client.nextNonPing());
            assertEquals(1, first.path("offset").asLong());
            assertEquals(2, second.path("offset").asLong(), "offset 1 was not delivered twice: " + second);
            assertEquals(2, hub.history("job:retry", 0, 10).entries().size());
            client.close();
        }
    }

    @Test
    void aResumeLongerThanTheReplayLimitIsAGapNotATruncatedReplay() throws Exception {
        try (RealtimeHub hub = RealtimeHub.builder().historySize(100).replayLimit(5).build();
             RealtimeServer server = RealtimeServer.builder().hub(hub).host("127.0.0.1").port(0).build()) {
            int port = server.start();
            for (int i = 1; i <= 20; i++) {
                hub.jobs().progress("long", i, null);
            }
            RawSocket client = RawSocket.open(port, "/ws");
            client.nextNonPing();
            client.send("{\"type\":\"subscribe\",\"room\":\"job:long\",\"since\":0}");
            JsonNode subscribed = JSON.readTree(client.nextNonPing());
            assertFalse(subscribed.path("recovered").asBoolean(true), subscribed.toString());
            assertEquals(20, subscribed.path("offset").asLong());
            JsonNode state = JSON.readTree(client.nextNonPing());
            assertEquals(20, state.path("offset").asLong(), "the current state follows the gap signal");
            // within the limit the replay is complete
            client.send("{\"type\":\"subscribe\",\"room\":\"job:long\",\"since\":16}");
            JsonNode again = JSON.readTree(client.nextNonPing());
            assertTrue(again.path("recovered").asBoolean(), again.toString());
            for (long o = 17; o <= 20; o++) {
                assertEquals(o, JSON.readTree(client.nextNonPing()).path("offset").asLong());
            }
            client.close();
        }
    }
}

package dev.realtime.redis;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.realtime.core.ConnectionHandle;
import dev.realtime.core.Protocol;
import dev.realtime.core.PublishResult;
import dev.realtime.core.RealtimeHub;
import dev.realtime.core.broker.Envelope;
import dev.realtime.core.testing.RecordingTransport;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;

/**
 * Hubs on {@link RedisBackend}: an event of a history stream is stored, entered in the recovery log and published
 * by one Lua script; the other node receives it with its offset, epoch and recovery-log id; a repeated idempotent
 * publish is neither stored nor announced again.
 */
@Tag("integration")
@ExtendWith(RedisServerExtension.class)
class RedisBackendTest {

    @Test
    void oneScriptStoresLogsAndAnnouncesEachEventOnce(RedisTestServer server) throws Exception {
        RedisOptions options = RedisOptions.builder().url(server.url()).keyPrefix("be-" + UUID.randomUUID() + ":")
                .build();
        List<String> onChannel = new CopyOnWriteArrayList<>();
        JedisPubSub spy = new JedisPubSub() {
            @Override
            public void onMessage(String channel, String message) {
                onChannel.add(message);
            }
        };
        Thread listener = new Thread(() -> {
            try (Jedis j = new Jedis(URI.create(server.url()))) {
                j.subscribe(spy, options.channel());
            }
        });
        listener.setDaemon(true);
        listener.start();
        await().atMost(Duration.ofSeconds(5)).until(spy::isSubscribed);
        RedisBackend backendA = RedisBackend.create(options);
        try (RealtimeHub a = RealtimeHub.builder().nodeId("a").backend(backendA).build();
             RealtimeHub b = RealtimeHub.builder().nodeId("b").backend(RedisBackend.create(options)).build()) {
            RecordingTransport t = new RecordingTransport();
            ConnectionHandle h = b.connect(t, Protocol.NATIVE);
            t.next("connection");
            h.onText("{\"type\":\"subscribe\",\"room\":\"job:atomic\"}");
            t.next("subscribed");

            PublishResult first = a.jobs().idempotent("evt-1").progress("atomic", 10, null);
            PublishResult again = a.jobs().idempotent("evt-1").progress("atomic", 10, null);
            a.jobs().progress("atomic", 20, null);
            assertEquals(1, first.offset());
            assertTrue(again.duplicate());
            assertEquals(1, again.offset());

            JsonNode e1 = t.next("event");
            JsonNode e2 = t.next("event");
            assertEquals(1, e1.path("offset").asLong());
            assertEquals(2, e2.path("offset").asLong(), "the repeat was not announced");
            t.assertNoMore(200);

            await().atMost(Duration.ofSeconds(5)).until(() -> onChannel.size() >= 2);
            assertEquals(2, onChannel.size(), "two announcements: " + onChannel);
            Envelope announced = EnvelopeCodec.decode(onChannel.get(0));
            assertEquals(1, announced.offset());
            assertEquals(first.epoch(), announced.epoch());
            assertTrue(announced.logId() > 0, "the announcement carries its recovery-log id");
            Envelope second = EnvelopeCodec.decode(onChannel.get(1));
            List<Envelope> logged = backendA.recoveryLog().readAfter(announced.logId(), 10).orElseThrow();
            assertEquals(1, logged.size(), "the recovery log holds each announced event once: " + logged);
            assertEquals(second.logId(), logged.get(0).logId(), "the same step wrote the recovery log");
            assertEquals(2, logged.get(0).offset());
            assertEquals(2, a.history("job:atomic", 0, 10).entries().size(), "stored twice, not three times");
        } finally {
            spy.unsubscribe();
        }
    }
}

package dev.realtime.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * A redis-server restarted from an older snapshot hands out offsets it already gave: the hub notices, starts the
 * stream under a new epoch, and clients learn of the gap instead of dropping new events as duplicates.
 */
@Tag("integration")
class RedisRollbackTest {

    @Test
    void aRestartFromAnOlderSnapshotStartsANewEpoch() throws Exception {
        try (RedisTestServer server = RedisTestServer.start(false)) {
            assumeTrue(server.controllable(), "needs a redis-server of its own (REDIS_URL points elsewhere)");
            RedisOptions options = RedisOptions.builder().url(server.url())
                    .keyPrefix("rb-" + UUID.randomUUID() + ":").build();
            try (Node a = new Node("a", options)) {
                Node.Client live = a.connect();
                live.subscribe("job:rb");
                for (int i = 1; i <= 10; i++) {
                    a.hub.jobs().progress("rb", i, null);
                }
                try (Jedis admin = new Jedis(URI.create(server.url()))) {
                    admin.save(); // the snapshot holds offsets 1..10
                }
                String epoch = null;
                for (int i = 11; i <= 20; i++) {
                    a.hub.jobs().progress("rb", i, null);
                }
                for (long o = 1; o <= 20; o++) {
                    JsonNode e = live.nextEvent();
                    assertEquals(o, e.path("offset").asLong());
                    epoch = e.path("epoch").asText();
                }
                server.kill();
                server.start(); // restored from the snapshot: the stream's top is 10 again

                a.hub.jobs().progress("rb", 99, "after the rollback");
                JsonNode next = live.nextEvent();
                assertNotEquals(epoch, next.path("epoch").asText(), "a new epoch, not offset 11 again");
                assertEquals(1, next.path("offset").asLong());
                assertEquals(99, next.path("data").path("progress").asInt());

                // a client that held offset 15 of the old epoch resumes: told it did not recover
                Node.Client back = a.connect();
                JsonNode resumed = back.resume("job:rb", 15, epoch);
                assertFalse(resumed.path("recovered").asBoolean(true), resumed.toString());
                assertEquals(1, back.nextEvent().path("offset").asLong(), "then the current state");
            }
        }
    }

    @Test
    void aNodeThatOnlyReceivesNoticesTheRollbackWhenThePublisherRestarted() throws Exception {
        try (RedisTestServer server = RedisTestServer.start(false)) {
            assumeTrue(server.controllable(), "needs a redis-server of its own (REDIS_URL points elsewhere)");
            RedisOptions options = RedisOptions.builder().url(server.url())
                    .keyPrefix("rr-" + UUID.randomUUID() + ":").build();
            try (Node b = Node.onBackend("b", options)) {
                Node.Client live = b.connect();
                live.subscribe("job:rr");
                String epoch;
                try (Node a = Node.onBackend("a", options)) {
                    org.awaitility.Awaitility.await().until(() -> a.hub.clusterConnected() && b.hub.clusterConnected());
                    for (int i = 1; i <= 10; i++) {
                        a.hub.jobs().progress("rr", i, null);
                    }
                    try (Jedis admin = new Jedis(URI.create(server.url()))) {
                        admin.save(); // the snapshot holds offsets 1..10
                    }
                    for (int i = 11; i <= 20; i++) {
                        a.hub.jobs().progress("rr", i, null);
                    }
                    JsonNode last = null;
                    for (long o = 1; o <= 20; o++) {
                        last = live.nextEvent();
                        assertEquals(o, last.path("offset").asLong());
                    }
                    epoch = last.path("epoch").asText();
                } // the publisher goes away with its watermark
                server.kill();
                server.start(); // restored from the snapshot: the stream's top is 10 again, same epoch
                try (Node a2 = Node.onBackend("a2", options)) {
                    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20))
                            .until(() -> a2.hub.clusterConnected() && b.hub.clusterConnected());
                    a2.hub.jobs().progress("rr", 98, "offset 11 again, unnoticed by its publisher");
                    // B saw offset 20 of this epoch: it tells its subscriber of the gap, never hands it a second 11
                    JsonNode gap = live.transport().next("subscribed");
                    assertFalse(gap.path("recovered").asBoolean(true), gap.toString());
                    assertNotEquals(epoch, gap.path("epoch").asText(), "the stream is in a new epoch: " + gap);
                    a2.hub.jobs().progress("rr", 99, "after the new epoch");
                    JsonNode next = live.nextEvent();
                    assertNotEquals(epoch, next.path("epoch").asText());
                    assertEquals(99, next.path("data").path("progress").asInt());
                }
                Node.Client back = b.connect();
                assertFalse(back.resume("job:rr", 15, epoch).path("recovered").asBoolean(true),
                        "a client holding offset 15 of the old epoch is told it did not recover");
            }
        }
    }
}

package dev.realtime.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.realtime.core.history.HistoryEntry;
import dev.realtime.core.history.HistoryPage;
import dev.realtime.core.history.HistoryStore;
import dev.realtime.core.history.HistoryStoreContract;
import dev.realtime.core.testing.FakeClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.JedisPooled;

/**
 * The history contract against a real Redis. Retention is clock-driven (the store compares its last-append time
 * with the injected clock), so the contract's fake clock expires streams without touching Redis.
 */
@Tag("integration")
@ExtendWith(RedisServerExtension.class)
class RedisHistoryStoreTest extends HistoryStoreContract {
    private RedisTestServer server;
    private final String prefix = "t-" + UUID.randomUUID() + ":";
    private final List<HistoryStore> stores = new ArrayList<>();
    private JedisPooled jedis;

    @BeforeEach
    void setUp(RedisTestServer server) {
        this.server = server;
        this.jedis = new JedisPooled(java.net.URI.create(server.url()));
    }

    @AfterEach
    void tearDown() {
        stores.forEach(HistoryStore::close);
        jedis.close();
    }

    @Override
    protected HistoryStore newStore(int maxEntries, Duration retention, FakeClock clock) {
        RedisHistoryStore store = new RedisHistoryStore(RedisOptions.builder().url(server.url()).keyPrefix(prefix)
                .historySize(maxEntries).historyRetention(retention).clock(clock).build());
        stores.add(store);
        return store;
    }

    @Test
    void usesSeed002KeysWithBoundedListAndTtl() {
        HistoryStore store = newStore(MAX, RETENTION, clock);
        for (int i = 0; i < 8; i++) {
            store.append("job:42", "job:progress", "{\"progress\":" + i + "}", clock.instant());
        }
        String key = prefix + "job-history:{42}";
        assertEquals("list", jedis.type(key));
        assertEquals(MAX, jedis.llen(key));
        long ttl = jedis.pttl(key);
        assertTrue(ttl > 0 && ttl <= RETENTION.toMillis(), "ttl " + ttl);
        assertTrue(jedis.lindex(key, -1).startsWith("8:"), "offset-prefixed entry");
        assertEquals("8", jedis.hget(key + ":meta", "top"));
    }

    @Test
    void losingTheKeysStartsANewEpochSoReadersSeeTheGap() {
        HistoryStore store = newStore(MAX, RETENTION, clock);
        HistoryEntry before = store.append("job:lost", "e", "{}", clock.instant());
        store.append("job:lost", "e", "{}", clock.instant());
        jedis.del(prefix + "job-history:{lost}", prefix + "job-history:{lost}:meta"); // as after a restart/flush
        HistoryPage page = store.read("job:lost", 2, 10);
        assertFalse(page.complete());
        HistoryEntry after = store.append("job:lost", "e", "{}", clock.instant());
        assertEquals(1, after.offset());
        assertNotEquals(before.epoch(), after.epoch());
    }

    @Test
    void twoStoresOnOneRedisShareOffsets() {
        HistoryStore a = newStore(MAX, RETENTION, clock);
        HistoryStore b = newStore(MAX, RETENTION, clock);
        HistoryEntry e1 = a.append("job:shared", "e", "{\"n\":1}", clock.instant());
        HistoryEntry e2 = b.append("job:shared", "e", "{\"n\":2}", clock.instant());
        assertEquals(List.of(1L, 2L), List.of(e1.offset(), e2.offset()));
        assertEquals(e1.epoch(), e2.epoch());
        HistoryPage page = a.read("job:shared", 0, 10);
        assertEquals("{\"n\":2}", page.entries().get(1).data());
        assertEquals(Instant.parse("2026-01-01T00:00:00Z"), page.entries().get(0).timestamp());
        assertTrue(page.complete());
    }

    @Test
    void entriesOlderThanRetentionAreAGap() {
        HistoryStore store = newStore(MAX, RETENTION, clock);
        store.append("job:aging", "e", "{}", clock.instant().minus(RETENTION).minusSeconds(1)); // already old
        store.append("job:aging", "e", "{}", clock.instant());
        HistoryPage page = store.read("job:aging", 0, 10);
        assertFalse(page.complete());
        assertEquals(List.of(2L), page.entries().stream().map(HistoryEntry::offset).toList());
        assertTrue(store.read("job:aging", 1, 10).complete());
    }

    @Test
    void aRetriedAppendWithTheSameRequestIdIsNotAppendedTwice() {
        RedisHistoryStore store = (RedisHistoryStore) newStore(MAX, RETENTION, clock);
        HistoryEntry first = store.appendWithRequestId("job:retry", "e", "{}", clock.instant(), "req-1");
        HistoryEntry retried = store.appendWithRequestId("job:retry", "e", "{}", clock.instant(), "req-1");
        assertEquals(first.offset(), retried.offset());
        assertEquals(first.epoch(), retried.epoch());
        assertEquals(1, store.read("job:retry", 0, 10).entries().size());
        assertEquals(2, store.appendWithRequestId("job:retry", "e", "{}", clock.instant(), "req-2").offset());
    }
}

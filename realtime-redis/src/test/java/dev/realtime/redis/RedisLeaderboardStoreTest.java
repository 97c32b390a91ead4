package dev.realtime.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.realtime.core.contest.AnswerRecord;
import dev.realtime.core.contest.Contest;
import dev.realtime.core.contest.ContestQuestion;
import dev.realtime.core.contest.LeaderboardStore;
import dev.realtime.core.contest.LeaderboardStoreContract;
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

/** The leaderboard contract against a real redis-server, plus the contest store and the key layout. */
@Tag("integration")
@ExtendWith(RedisServerExtension.class)
class RedisLeaderboardStoreTest extends LeaderboardStoreContract {
    private RedisTestServer server;
    private final String prefix = "t-" + UUID.randomUUID() + ":";
    private final List<AutoCloseable> stores = new ArrayList<>();

    @BeforeEach
    void setUp(RedisTestServer server) {
        this.server = server;
    }

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : stores) {
            c.close();
        }
    }

    private RedisOptions options() {
        return RedisOptions.builder().url(server.url()).keyPrefix(prefix).build();
    }

    @Override
    protected LeaderboardStore newStore() {
        RedisLeaderboardStore s = new RedisLeaderboardStore(options());
        stores.add(s);
        return s;
    }

    @Test
    void keepsTheBoardInASortedSet() {
        newStore().submit("c9", "alice", new AnswerRecord("q1", true, 700, 1234));
        try (JedisPooled j = new JedisPooled(java.net.URI.create(server.url()))) {
            String board = prefix + "contest:{c9}:board";
            assertEquals("zset", j.type(board));
            assertEquals(0L, j.zrevrank(board, "alice"));
            assertEquals(700L * LeaderboardStore.TIME_SLOTS + LeaderboardStore.TIME_SLOTS - 1 - 1234,
                    j.zscore(board, "alice").longValue());
        }
    }

    @Test
    void contestStoreRoundTripsRegistersAndClaimsOnce() {
        RedisContestStore a = new RedisContestStore(options());
        RedisContestStore b = new RedisContestStore(options());
        stores.add(a);
        stores.add(b);
        Contest c = new Contest("c1", "Demo", Instant.parse("2026-12-01T10:00:00Z"),
                Instant.parse("2026-12-01T11:00:00Z"), List.of(new ContestQuestion("q1", "2+2?",
                List.of("3", "4"), 1, 1000, "easy", "")), true);
        a.save(c);
        assertEquals(c, b.byId("c1").orElseThrow());
        assertEquals(List.of(c), b.list());
        assertTrue(a.register("c1", "alice"));
        assertFalse(b.register("c1", "alice"));
        assertTrue(b.isRegistered("c1", "alice"));
        assertEquals(1, a.participantCount("c1"));
        assertTrue(b.unregister("c1", "alice"));
        assertFalse(a.isRegistered("c1", "alice"));
        assertTrue(a.claim("c1", "ended"));
        assertFalse(b.claim("c1", "ended"));
        // a lease: a claimer that dies (never says done) is replaced once its lease runs out
        java.time.Duration lease = java.time.Duration.ofMillis(300);
        assertTrue(a.claim("c1", "started", lease));
        assertFalse(b.claim("c1", "started", lease));
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5))
                .until(() -> b.claim("c1", "started", lease));
        b.done("c1", "started");
        assertTrue(a.isDone("c1", "started"));
        assertFalse(a.claim("c1", "started", lease), "announced: never claimed again");
        assertTrue(a.delete("c1"));
        assertTrue(b.byId("c1").isEmpty());
    }

    @Test
    void questionBankRoundTripsFiltersAndDeletes() {
        RedisQuestionBank bank = new RedisQuestionBank(options());
        stores.add(bank);
        dev.realtime.core.quiz.Question q = new dev.realtime.core.quiz.Question("Largest planet?",
                List.of("Mars", "Jupiter"), 1, "It is.", "easy");
        bank.save(new dev.realtime.core.contest.StoredQuestion("s1", "SAT", "Astronomy", q, false,
                "2026-12-01T10:00:00Z"));
        bank.save(new dev.realtime.core.contest.StoredQuestion("s2", "SAT", "Biology", q, true,
                "2026-12-01T10:00:01Z"));
        assertEquals(q, bank.byId("s1").orElseThrow().question());
        assertEquals(List.of("s2"), bank.find("sat", null, "EASY", true, 10).stream().map(x -> x.id()).toList());
        assertEquals(2, bank.find(null, null, null, null, 10).size());
        assertTrue(bank.delete("s1"));
        assertFalse(bank.delete("s1"));
        assertTrue(bank.byId("s1").isEmpty());
    }
}

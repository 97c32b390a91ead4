package dev.realtime.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.realtime.core.broker.Envelope;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@Tag("integration")
@ExtendWith(RedisServerExtension.class)
class RedisRecoveryLogTest {
    private RedisTestServer server;
    private final String prefix = "t-" + UUID.randomUUID() + ":";
    private final List<RedisRecoveryLog> logs = new ArrayList<>();

    @BeforeEach
    void setUp(RedisTestServer server) {
        this.server = server;
    }

    @AfterEach
    void tearDown() {
        logs.forEach(RedisRecoveryLog::close);
    }

    private RedisRecoveryLog log(int size, Duration retention) {
        RedisRecoveryLog log = new RedisRecoveryLog(RedisOptions.builder().url(server.url()).keyPrefix(prefix)
                .recoveryLogSize(size).recoveryLogRetention(retention).build());
        logs.add(log);
        return log;
    }

    private static Envelope env(String origin, int i) {
        return new Envelope(origin, List.of("job:" + i, "all-jobs"), "job:progress", "{\"i\":" + i + "}",
                "job:" + i, i, "ep", Instant.ofEpochSecond(1_700_000_000L, 123_456_789), 0);
    }

    @Test
    void idsIncreaseStrictlyAcrossNodesAndReadAfterReturnsTheRest() {
        RedisRecoveryLog a = log(1000, Duration.ofMinutes(2));
        RedisRecoveryLog b = log(1000, Duration.ofMinutes(2));
        List<Long> ids = new ArrayList<>();
        for (int i = 1; i <= 20; i++) {
            ids.add((i % 2 == 0 ? a : b).append(env(i % 2 == 0 ? "a" : "b", i)));
        }
        for (int i = 1; i < ids.size(); i++) {
            assertTrue(ids.get(i) > ids.get(i - 1), "strictly increasing");
        }
        Optional<List<Envelope>> rest = b.readAfter(ids.get(9), 100);
        assertTrue(rest.isPresent());
        assertEquals(10, rest.get().size());
        Envelope first = rest.get().get(0);
        assertEquals(ids.get(10), first.logId());
        assertEquals("{\"i\":11}", first.data());
        assertEquals(List.of("job:11", "all-jobs"), first.rooms());
        assertEquals(Instant.ofEpochSecond(1_700_000_000L, 123_456_789), first.timestamp());
        assertEquals(11, first.offset());
        assertEquals(Optional.of(List.of()), a.readAfter(ids.get(19), 100), "nothing missed");
    }

    @Test
    void idsNotCoveredAreEmpty() {
        RedisRecoveryLog log = log(1000, Duration.ofMinutes(2));
        assertEquals(Optional.empty(), log.readAfter(1, 10), "no log yet");
        long id = log.append(env("a", 1));
        long id2 = log.append(env("a", 2));
        assertEquals(Optional.empty(), log.readAfter(id2 + 1, 10), "an id from the future");
        assertEquals(Optional.empty(), log.readAfter(id - 1, 10), "before the first retained entry");
        assertEquals(Optional.empty(), log.readAfter(id, 0), "more missed than the limit");
        assertEquals(1, log.readAfter(id, 1).orElseThrow().size());
    }

    @Test
    void trimmedEntriesAreAGap() {
        RedisRecoveryLog log = log(10, Duration.ofMinutes(2));
        long first = log.append(env("a", 0));
        long last = first;
        for (int i = 1; i < 600; i++) {
            last = log.append(env("a", i));
        }
        assertEquals(Optional.empty(), log.readAfter(first, 10_000), "approximate MAXLEN trimmed the head");
        assertEquals(Optional.of(List.of()), log.readAfter(last, 10));
    }

    @Test
    void agedOutEntriesAreAGap() {
        RedisRecoveryLog log = log(1000, Duration.ofMillis(200));
        long first = log.append(env("a", 1));
        log.append(env("a", 2));
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5))
                .until(() -> log.readAfter(first, 10).isEmpty());
    }

    @Test
    void idConversionRoundTrips() {
        long id = RedisRecoveryLog.toLong("1700000000123-7");
        assertEquals((1700000000123L << 20) | 7, id);
        assertEquals("1700000000123-7", RedisRecoveryLog.toStreamId(id));
    }
}

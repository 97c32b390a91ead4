package dev.realtime.core.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.realtime.core.broker.Envelope;
import dev.realtime.core.testing.FakeClock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The in-memory recovery log stays within its byte bound with large events and expires on its timer. */
class InMemoryRecoveryLogTest {
    private static Envelope event(FakeClock clock, int chars) {
        return new Envelope("node", List.of("job:big"), "job:progress", "\"" + "x".repeat(chars) + "\"", "job:big", 1,
                "e1", clock.instant(), 0);
    }

    @Test
    void largeEventsAreBoundedByBytesNotOnlyByCount() {
        FakeClock clock = new FakeClock();
        InMemoryRecoveryLog log = new InMemoryRecoveryLog(100_000, 10L << 20, Duration.ofMinutes(10), clock);
        long first = 0;
        for (int i = 0; i < 100; i++) { // 100 events of ~2 MB each (1 M chars): 200 MB unbounded
            long id = log.append(event(clock, 1_000_000));
            first = first == 0 ? id : first;
        }
        assertTrue(log.bytes() <= 10L << 20, "bytes held: " + log.bytes());
        assertTrue(log.size() >= 4 && log.size() <= 5, "entries held: " + log.size());
        assertTrue(log.readAfter(first, 1000).isEmpty(), "the evicted range is a gap, not a silent skip");
    }

    @Test
    void entriesExpireOnTheTimerEvenWhenNobodyRecovers() {
        FakeClock clock = new FakeClock();
        InMemoryRecoveryLog log = new InMemoryRecoveryLog(1000, Duration.ofMinutes(2), clock);
        for (int i = 0; i < 10; i++) {
            log.append(event(clock, 100));
        }
        assertEquals(10, log.size());
        clock.advance(Duration.ofMinutes(3));
        log.expire(); // what the hub's scheduler calls every 5 s
        assertEquals(0, log.size());
        assertEquals(0, log.bytes());
    }
}

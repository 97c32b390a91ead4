package dev.realtime.core.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.realtime.core.testing.FakeClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class InMemoryHistoryStoreTest extends HistoryStoreContract {
    @Override
    protected HistoryStore newStore(int maxEntries, Duration retention, FakeClock clock) {
        return new InMemoryHistoryStore(maxEntries, retention, clock);
    }

    /** The ring grows past its first size and wraps many times; every read gives back exactly what was appended. */
    @Test
    void aRingThatGrowsAndWrapsReadsBackEveryEntryExactly() {
        HistoryStore store = newStore(20, RETENTION, clock);
        String s = stream("ring");
        List<HistoryEntry> appended = new ArrayList<>();
        for (int i = 1; i <= 57; i++) {
            Instant at = Instant.ofEpochSecond(1_800_000_000L + i, i * 7_919); // distinct seconds and nanos
            appended.add(store.append(s, "e" + (i % 3), "{\"i\":" + i + "}", at));
            int kept = Math.min(i, 20);
            HistoryPage all = store.read(s, 0, 100);
            assertEquals(appended.subList(i - kept, i), all.entries(), "after " + i + " appends");
            assertEquals(i <= 20, all.complete());
        }
        assertEquals(appended.subList(45, 52), store.read(s, 45, 7).entries(), "from the middle, with a limit");
        assertTrue(store.read(s, 37, 1).complete());
        assertFalse(store.read(s, 36, 1).complete());
        assertEquals(List.of(), store.read(s, Long.MAX_VALUE, 10).entries());
    }

    /**
     * Entries older than the retention leave on read while newer ones of the same (live) stream stay, also when
     * the ring has wrapped (the oldest entry is not at the start of its arrays).
     */
    @Test
    void entriesOlderThanTheRetentionLeaveWhileTheStreamLives() {
        HistoryStore store = newStore(MAX, RETENTION, clock);
        String s = stream("age");
        for (int i = 1; i <= 7; i++) {
            store.append(s, "e", "{\"old\":" + i + "}", clock.instant());
        }
        clock.advance(RETENTION.dividedBy(2).plusSeconds(1));
        for (int i = 8; i <= 10; i++) {
            store.append(s, "e", "{\"new\":" + i + "}", clock.instant());
        }
        clock.advance(RETENTION.dividedBy(2).plusSeconds(1));
        HistoryPage page = store.read(s, 0, 100);
        assertEquals(List.of(8L, 9L, 10L), offsets(page));
        assertFalse(page.complete(), "offsets 6 and 7 aged out (1..5 were trimmed by count)");
        assertEquals(10, page.position().offset());
        store.append(s, "e", "{}", clock.instant());
        assertEquals(List.of(8L, 9L, 10L, 11L), offsets(store.read(s, 0, 10)),
                "the ring goes on after dropping from its head");
    }
}

package dev.realtime.core.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.realtime.core.testing.FakeClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link HistoryStore} must have. Subclass it and create the store under test (memory, Redis)
 * with at most {@link #MAX} entries per stream and {@link #RETENTION} retention, on the given clock.
 */
public abstract class HistoryStoreContract {
    protected static final int MAX = 5;
    protected static final Duration RETENTION = Duration.ofMinutes(10);

    protected final FakeClock clock = new FakeClock();

    /** A fresh, empty store. Streams must not leak between tests (use unique stream names if needed). */
    protected abstract HistoryStore newStore(int maxEntries, Duration retention, FakeClock clock);

    /** A stream name unique to this test. */
    protected String stream(String name) {
        return "job:" + name + "-" + System.nanoTime();
    }

    @Test
    void appendAssignsConsecutiveOffsetsInOneEpoch() {
        HistoryStore store = newStore(MAX, RETENTION, clock);
        String s = stream("a");
        HistoryEntry e1 = store.append(s, "job:progress", "{\"p\":1}", clock.instant());
        HistoryEntry e2 = store.append(s, "job:progress", "{\"p\":2}", clock.instant());
        assertEquals(1, e1.offset());
        assertEquals(2, e2.offset());
        assertEquals(e1.epoch(), e2.epoch());
        assertEquals(new StreamPosition(2, e1.epoch()), store.position(s));
    }

    @Test
    void readReturnsEntriesAfterOffsetInOrder() {
        HistoryStore store = newStore(MAX, RETENTION, clock);
        String s = stream("b");
        for (int i = 1; i <= 4; i++) {
            store.append(s, "e", "{\"i\":" + i + "}", clock.instant());
        }
        HistoryPage page = store.read(s, 1, 10);
        assertTrue(page.complete());
        assertEquals(List.of(2L, 3L, 4L), offsets(page));
        assertEquals("{\"i\":2}", page.entries().get(0).data());
        assertEquals(4, page.position().offset());
        assertEquals(List.of(2L, 3L), offsets(store.read(s, 1, 2)), "limit respected");
        assertEquals(List.of(), offsets(store.read(s, 4, 10)), "nothing after the top");
        assertTrue(store.read(s, 4, 10).complete());
    }

    @Test
    void trimmedHistoryIsReportedAsIncomplete() {
        HistoryStore store = newStore(MAX, RETENTION, clock);
        String s = stream("c");
        for (int i = 1; i <= 8; i++) {
            store.append(s, "e", "{}", clock.instant());
        }
        HistoryPage fromStart = store.read(s, 0, 100);
        assertFalse(fromStart.complete(), "offsets 1..3 were trimmed");
        assertEquals(List.of(4L, 5L, 6L, 7L, 8L), offsets(fromStart));
        assertTrue(store.read(s, 3, 100).complete(), "offset 3 seen: 4.. still there");
        assertFalse(store.read(s, 2, 100).complete());
    }

    @Test
    void offsetBeyondTopIsIncomplete() {
        HistoryStore store = newStore(MAX, RETENTION, clock);
        String s = stream("d");
        store.append(s, "e", "{}", clock.instant());
        assertFalse(store.read(s, 7, 10).complete());
    }

    @Test
    void unknownStreamIsEmptyAtOffsetZero() {
        HistoryStore store = newStore(MAX, RETENTION, clock);
        String s = stream("never");
        assertEquals(0, store.position(s).offset());
        HistoryPage page = store.read(s, 0, 10);
        assertTrue(page.entries().isEmpty());
        assertTrue(page.complete());
    }

    @Test
    void expiredStreamStartsANewEpoch() {
        HistoryStore store = newStore(MAX, RETENTION, clock);
        String s = stream("e");
        HistoryEntry first = store.append(s, "e", "{}", clock.instant());
        store.append(s, "e", "{}", clock.instant());
        clock.advance(RETENTION.plusMinutes(1));
        afterClockAdvance(store);
        HistoryPage page = store.read(s, 2, 10);
        assertFalse(page.complete() && page.position().epoch().equals(first.epoch()) && page.position().offset() == 2,
                "history that expired cannot be reported as complete in the same epoch");
        HistoryEntry again = store.append(s, "e", "{}", clock.instant());
        assertNotEquals(first.epoch(), again.epoch(), "a new epoch after history was lost");
        assertEquals(1, again.offset());
    }

    @Test
    void concurrentAppendsLeaveNoHoleAndNoDuplicate() throws Exception {
        HistoryStore store = newStore(1000, RETENTION, clock);
        String s = stream("f");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<Long>>> futures = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                futures.add(pool.submit(() -> {
                    List<Long> mine = new ArrayList<>();
                    for (int i = 0; i < 100; i++) {
                        mine.add(store.append(s, "e", "{}", Instant.now()).offset());
                    }
                    return mine;
                }));
            }
            Set<Long> all = new HashSet<>();
            for (Future<List<Long>> f : futures) {
                all.addAll(f.get());
            }
            assertEquals(400, all.size());
            for (long o = 1; o <= 400; o++) {
                assertTrue(all.contains(o), "offset " + o);
            }
            assertEquals(400, store.position(s).offset());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void theOwnerIsStoredWithTheStreamEvenBeforeItsFirstEvent() {
        HistoryStore store = newStore(MAX, RETENTION, clock);
        String s = stream("owned");
        assertTrue(store.owner(s).isEmpty());
        store.recordOwner(s, "u1");
        assertEquals(java.util.Optional.of("u1"), store.owner(s));
        store.append(s, "job:progress", "{}", clock.instant());
        assertEquals(java.util.Optional.of("u1"), store.owner(s), "the first append keeps the owner");
    }

    @Test
    void aRepeatedAppendWithTheSameIdempotencyKeyStoresNothingNew() {
        HistoryStore store = newStore(MAX, RETENTION, clock);
        String s = stream("idem");
        HistoryEntry first = store.append(s, "job:progress", "{\"p\":1}", clock.instant(), "evt-1");
        HistoryEntry again = store.append(s, "job:progress", "{\"p\":1}", clock.instant(), "evt-1");
        assertFalse(first.duplicate());
        assertTrue(again.duplicate());
        assertEquals(first.offset(), again.offset());
        assertEquals(first.epoch(), again.epoch());
        assertEquals("{\"p\":1}", again.data());
        HistoryEntry other = store.append(s, "job:progress", "{\"p\":2}", clock.instant(), "evt-2");
        assertEquals(first.offset() + 1, other.offset());
        assertEquals(2, store.read(s, 0, 10).entries().size());
        assertEquals(3, store.append(s, "job:progress", "{}", clock.instant()).offset(), "no key: always appended");
    }

    /** Hook for stores whose expiry is driven by the backend's own time rather than the clock. */
    protected void afterClockAdvance(HistoryStore store) {
    }

    protected static List<Long> offsets(HistoryPage page) {
        return page.entries().stream().map(HistoryEntry::offset).toList();
    }
}

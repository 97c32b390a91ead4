package dev.realtime.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class ReadyRingTest {
    @Test
    void firstInFirstOutAcrossManyLapsAndFullWhenFull() {
        ReadyRing<Integer> ring = new ReadyRing<>(4);
        assertTrue(ring.isEmpty());
        assertNull(ring.poll());
        int next = 0;
        int expect = 0;
        for (int lap = 0; lap < 10; lap++) {
            for (int i = 0; i < 4; i++) {
                assertTrue(ring.offer(next++));
            }
            assertFalse(ring.offer(-1), "full after 4");
            assertFalse(ring.isEmpty());
            assertEquals(expect++, ring.poll());
            assertTrue(ring.offer(next++), "one cell freed");
            for (int i = 0; i < 4; i++) {
                assertEquals(expect++, ring.poll());
            }
            assertTrue(ring.isEmpty());
            assertNull(ring.poll());
        }
        assertThrows(IllegalArgumentException.class, () -> new ReadyRing<>(6));
    }

    /** Four producers and two consumers through a small ring: every element is taken exactly once. */
    @Test
    @Timeout(60)
    void concurrentProducersAndConsumersTakeEachElementExactlyOnce() throws Exception {
        ReadyRing<Integer> ring = new ReadyRing<>(64);
        int producers = 4;
        int perProducer = 200_000;
        int total = producers * perProducer;
        AtomicIntegerArray taken = new AtomicIntegerArray(total);
        AtomicInteger consumed = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(producers + 2);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int p = 0; p < producers; p++) {
                int base = p * perProducer;
                futures.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < perProducer; i++) {
                        while (!ring.offer(base + i)) {
                            Thread.onSpinWait(); // full: the consumers make room
                        }
                    }
                    return null;
                }));
            }
            for (int c = 0; c < 2; c++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    int[] lastPerProducer = new int[producers];
                    java.util.Arrays.fill(lastPerProducer, -1);
                    while (consumed.get() < total) {
                        Integer v = ring.poll();
                        if (v == null) {
                            Thread.onSpinWait();
                            continue;
                        }
                        taken.incrementAndGet(v);
                        int p = v / perProducer;
                        assertTrue(v % perProducer > lastPerProducer[p], "one producer's elements in order");
                        lastPerProducer[p] = v % perProducer;
                        consumed.incrementAndGet();
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : futures) {
                f.get(50, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        BitSet wrong = new BitSet();
        for (int i = 0; i < total; i++) {
            if (taken.get(i) != 1) {
                wrong.set(i);
            }
        }
        assertTrue(wrong.isEmpty(), "taken other than once: " + wrong.cardinality());
        assertTrue(ring.isEmpty());
    }
}

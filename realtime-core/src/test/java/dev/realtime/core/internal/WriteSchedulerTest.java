package dev.realtime.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class WriteSchedulerTest {
    private final ExecutorService writers = Executors.newFixedThreadPool(2);
    private final ExecutorService publishers = Executors.newFixedThreadPool(3);
    private final WriteScheduler scheduler = new WriteScheduler(writers);

    @AfterEach
    void stop() {
        publishers.shutdownNow();
        writers.shutdownNow();
    }

    /**
     * Thousands of tasks queued at once by three publishers while both writers are held, thirty times: every task
     * runs exactly once, and none is left behind when the writers stop (a lost wake-up would leave some).
     */
    @Test
    @Timeout(60)
    void everyTaskRunsOnceAndNoneIsLeftBehind() throws Exception {
        int rounds = 30;
        int perRound = 11_000;
        AtomicInteger ran = new AtomicInteger();
        for (int r = 0; r < rounds; r++) {
            CountDownLatch hold = new CountDownLatch(1);
            CountDownLatch done = new CountDownLatch(perRound + 2);
            for (int w = 0; w < 2; w++) {
                scheduler.execute(() -> { // keeps the writers busy while the others are queued
                    try {
                        hold.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    done.countDown();
                });
            }
            CountDownLatch queued = new CountDownLatch(3);
            for (int p = 0; p < 3; p++) {
                int share = perRound / 3 + (p < perRound % 3 ? 1 : 0);
                publishers.execute(() -> {
                    for (int i = 0; i < share; i++) {
                        scheduler.execute(() -> {
                            ran.incrementAndGet();
                            done.countDown();
                        });
                    }
                    queued.countDown();
                });
            }
            assertTrue(queued.await(10, TimeUnit.SECONDS));
            hold.countDown();
            assertTrue(done.await(20, TimeUnit.SECONDS), "round " + r + ": " + done.getCount() + " left behind");
        }
        assertEquals(rounds * perRound, ran.get());
    }

    /**
     * A collecting fan-out (nested, as a publish inside a publish) hands its drain loops over in chunks: fewer than a
     * chunk run only at the outermost release, a full chunk goes at once, every loop of three concurrent publishers
     * runs exactly once, and one that throws does not keep the rest of its chunk from running.
     */
    @Test
    @Timeout(60)
    void collectedLoopsRunOnceAndOnlyWhenReleased() throws Exception {
        AtomicInteger ran = new AtomicInteger();
        WriteScheduler.Collector outer = scheduler.collect();
        WriteScheduler.Collector inner = scheduler.collect();
        scheduler.execute(() -> {
            throw new IllegalStateException("a failing drain loop");
        });
        for (int i = 0; i < WriteScheduler.CHUNK - 2; i++) {
            scheduler.execute(ran::incrementAndGet);
        }
        scheduler.release(inner);
        // still held: the outer fan-out has not ended, and the chunk is not full
        org.awaitility.Awaitility.await().during(java.time.Duration.ofMillis(200))
                .atMost(java.time.Duration.ofSeconds(2)).until(() -> ran.get() == 0);
        scheduler.execute(ran::incrementAndGet); // fills the chunk: it goes at once, the failing loop first
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5))
                .until(() -> ran.get() == WriteScheduler.CHUNK - 1);
        scheduler.execute(ran::incrementAndGet); // the next chunk: held until the outer release
        org.awaitility.Awaitility.await().during(java.time.Duration.ofMillis(200))
                .atMost(java.time.Duration.ofSeconds(2)).until(() -> ran.get() == WriteScheduler.CHUNK - 1);
        scheduler.release(outer);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5))
                .until(() -> ran.get() == WriteScheduler.CHUNK);

        // three publishers, each collecting, each loop tagged with its publisher and sequence
        int perPublisher = 5_000;
        java.util.Map<Integer, java.util.List<Integer>> seen = new java.util.concurrent.ConcurrentHashMap<>();
        CountDownLatch all = new CountDownLatch(3 * perPublisher);
        for (int p = 0; p < 3; p++) {
            int publisher = p;
            seen.put(p, java.util.Collections.synchronizedList(new java.util.ArrayList<>()));
            publishers.execute(() -> {
                WriteScheduler.Collector c = scheduler.collect();
                try {
                    for (int i = 0; i < perPublisher; i++) {
                        int seq = i;
                        scheduler.execute(() -> {
                            seen.get(publisher).add(seq);
                            all.countDown();
                        });
                    }
                } finally {
                    scheduler.release(c);
                }
            });
        }
        assertTrue(all.await(20, TimeUnit.SECONDS), all.getCount() + " loops left behind");
        for (int p = 0; p < 3; p++) {
            java.util.List<Integer> got = seen.get(p);
            assertEquals(perPublisher, got.size(), "publisher " + p + ": every loop once");
            assertEquals(perPublisher, new java.util.HashSet<>(got).size(), "publisher " + p + ": no loop twice");
        }
    }
}

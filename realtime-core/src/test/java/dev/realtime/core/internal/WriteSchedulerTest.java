package dev.realtime.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class WriteSchedulerTest {
    /**
     * Thousands of tasks queued at once by three publishers while both writers are held, thirty times: every task
     * runs exactly once, and none is left behind when the writers stop (a lost wake-up would leave some).
     */
    @Test
    @Timeout(60)
    void everyTaskRunsOnceAndNoneIsLeftBehind() throws Exception {
        ExecutorService writers = Executors.newFixedThreadPool(2);
        ExecutorService publishers = Executors.newFixedThreadPool(3);
        try {
            WriteScheduler scheduler = new WriteScheduler(writers);
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
        } finally {
            publishers.shutdownNow();
            writers.shutdownNow();
        }
    }
}

package dev.realtime.core;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class DaemonThreadsTest {

    @Test
    void namesDaemonThreadsInOrderPerFactory() {
        ThreadFactory a = DaemonThreads.named("a");
        ThreadFactory b = DaemonThreads.named("b");
        Thread a1 = a.newThread(() -> { });
        Thread a2 = a.newThread(() -> { });
        Thread b1 = b.newThread(() -> { });
        assertEquals("a-1", a1.getName());
        assertEquals("a-2", a2.getName());
        assertEquals("b-1", b1.getName());
        assertTrue(a1.isDaemon() && a2.isDaemon() && b1.isDaemon());
    }

    @Test
    void stopLetsQueuedTasksFinishWithinTheGrace() throws Exception {
        ExecutorService e = Executors.newSingleThreadExecutor(DaemonThreads.named("stop-ok"));
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean queuedRan = new AtomicBoolean();
        e.execute(() -> awaitQuietly(release));
        e.execute(() -> queuedRan.set(true));
        Thread releaser = new Thread(() -> { // lets the running task go only once the stop has begun
            await().atMost(Duration.ofSeconds(10)).until(e::isShutdown);
            release.countDown();
        });
        releaser.setDaemon(true);
        releaser.start();
        assertTrue(DaemonThreads.stop(e, Duration.ofSeconds(10)));
        releaser.join();
        assertTrue(e.isTerminated());
        assertTrue(queuedRan.get(), "the task queued before the stop ran");
    }

    @Test
    void aGraceBeyondWhatNanosecondsHoldIsAGraceWithoutEnd() {
        ExecutorService e = Executors.newSingleThreadExecutor(DaemonThreads.named("stop-long"));
        e.execute(() -> { });
        assertTrue(DaemonThreads.stop(e, Duration.ofDays(365L * 1000)));
        assertTrue(e.isTerminated());
    }

    @Test
    void stopInterruptsWhatOutlivesTheGrace() throws Exception {
        ExecutorService e = Executors.newSingleThreadExecutor(DaemonThreads.named("stop-late"));
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        e.execute(() -> {
            started.countDown();
            try {
                new CountDownLatch(1).await();
            } catch (InterruptedException ex) {
                interrupted.countDown();
            }
        });
        assertTrue(started.await(10, TimeUnit.SECONDS));
        assertFalse(DaemonThreads.stop(e, Duration.ofMillis(50)));
        assertTrue(interrupted.await(10, TimeUnit.SECONDS), "the task left running was interrupted");
        assertTrue(e.awaitTermination(10, TimeUnit.SECONDS));
    }

    @Test
    void stopInterruptedWhileWaitingKeepsTheCallersInterrupt() throws Exception {
        ExecutorService e = Executors.newSingleThreadExecutor(DaemonThreads.named("stop-interrupted"));
        CountDownLatch started = new CountDownLatch(1);
        e.execute(() -> {
            started.countDown();
            awaitQuietly(new CountDownLatch(1));
        });
        assertTrue(started.await(10, TimeUnit.SECONDS));
        Thread.currentThread().interrupt();
        try {
            assertFalse(DaemonThreads.stop(e, Duration.ofSeconds(30)));
            assertTrue(Thread.currentThread().isInterrupted());
        } finally {
            Thread.interrupted();
        }
        assertTrue(e.awaitTermination(10, TimeUnit.SECONDS), "the task was interrupted at once");
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }
}

package dev.realtime.core.interview;

import dev.realtime.core.DaemonThreads;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/** The executors an {@link InterviewGateway} creates when none is given, and how it closes them. */
final class Workers {
    private Workers() {
    }

    static ExecutorService bounded(int threads, int queue) {
        return new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(queue),
                DaemonThreads.named("interview-transcription"), new ThreadPoolExecutor.AbortPolicy());
    }

    static ScheduledExecutorService scheduler() {
        return Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("interview-cleanup"));
    }

    static void close(ExecutorService executor) {
        DaemonThreads.stop(executor, Duration.ofSeconds(5));
    }
}

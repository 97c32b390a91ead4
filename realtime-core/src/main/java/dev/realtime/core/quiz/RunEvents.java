package dev.realtime.core.quiz;

import dev.realtime.core.Client;
import dev.realtime.core.RealtimeHub;
import dev.realtime.core.jobs.JobPublisher;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one {@link QuizRun} sends: {@code quiz-event}, {@code quiz-error} and {@code quiz-complete} to its client,
 * {@code quiz_status} to the owner's user room, and the job's events. A run decides them under its lock; every
 * one is queued here and delivered in that order, one at a time, on the pipeline's outbox thread, so no I/O (a
 * Redis publish) ever happens under the lock, and a failing delivery is logged without breaking the run.
 * Thread-safe.
 */
final class RunEvents {
    private static final Logger log = LoggerFactory.getLogger(QuizRun.class);

    private final RealtimeHub hub;
    private final Executor outboxThread;
    private final Client client;
    private final String quizId;
    private final String jobId;
    /** The owner's user id, or null (no {@code quiz_status}). */
    private final String owner;
    private final JobPublisher.Job job;
    private final ConcurrentLinkedQueue<Runnable> outbox = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean draining = new AtomicBoolean();

    RunEvents(RealtimeHub hub, Executor outboxThread, Client client, String quizId, String jobId, String owner,
            JobPublisher.Job job) {
        this.hub = hub;
        this.outboxThread = outboxThread;
        this.client = client;
        this.quizId = quizId;
        this.jobId = jobId;
        this.owner = owner;
        this.job = job;
    }

    /** {@code quiz-event {type, data}} to the client. */
    void event(String type, Data data) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", type);
        m.put("data", data.map);
        post(() -> client.emit(QuizPipeline.QUIZ_EVENT, m));
    }

    /** Event data with the run's {@code quizId} and {@code message}. */
    Data data(String message) {
        return new Data().with("quizId", quizId).with("message", message);
    }

    /** {@code quiz-error} to the client. */
    void error(QuizException e) {
        post(() -> client.emit(QuizPipeline.QUIZ_ERROR,
                QuizPipeline.errorPayload(e.getMessage(), e.error(), e.stage())));
    }

    /** {@code quiz-complete {type:'completed', data}} to the client. */
    void completed(Map<String, Object> data) {
        Map<String, Object> complete = new LinkedHashMap<>();
        complete.put("type", "completed");
        complete.put("data", data);
        post(() -> client.emit(QuizPipeline.QUIZ_COMPLETE, complete));
    }

    /** {@code quiz_status} to the owner's user room; nothing for a run without owner. */
    void status(String status, int progress, String message) {
        if (owner == null) {
            return;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("jobId", jobId);
        m.put("quizId", quizId);
        m.put("status", status);
        m.put("progress", progress);
        m.put("message", message);
        post(() -> hub.emitToUser(owner, QuizPipeline.QUIZ_STATUS, m));
    }

    void jobUpdate(String status, Object data) {
        post(() -> job.update(status, data));
    }

    void jobProgress(int progress, String message) {
        post(() -> job.progress(progress, message));
    }

    void jobCompleted(Object result) {
        post(() -> job.completed(result));
    }

    void jobFailed(String error) {
        post(() -> job.failed(error));
    }

    private void post(Runnable r) {
        outbox.add(r);
        if (draining.compareAndSet(false, true)) {
            try {
                outboxThread.execute(this::drain);
            } catch (RejectedExecutionException e) {
                drain(); // the pipeline is closing: deliver here
            }
        }
    }

    private void drain() {
        do {
            Runnable r;
            while ((r = outbox.poll()) != null) {
                try {
                    r.run();
                } catch (RuntimeException e) {
                    log.warn("quiz {}: publishing failed", quizId, e);
                }
            }
            draining.set(false);
        } while (!outbox.isEmpty() && draining.compareAndSet(false, true));
    }

    /** A small ordered map builder for event data. */
    static final class Data {
        final Map<String, Object> map = new LinkedHashMap<>();

        Data with(String key, Object value) {
            map.put(key, value);
            return this;
        }
    }
}

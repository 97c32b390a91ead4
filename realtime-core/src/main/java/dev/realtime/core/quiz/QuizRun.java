package dev.realtime.core.quiz;

import dev.realtime.core.Client;
import dev.realtime.core.ErrorCode;
import dev.realtime.core.jobs.JobPublisher;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One generation: all of its state, isolated from other runs.
 *
 * <p>Phases: {@link #begin} (validation, text extraction) runs as one task; then up to {@code maxParallelPages}
 * page workers claim pages in order until none are left; the last worker to finish finalizes. Workers never wait
 * for each other. Every client emit and job event is decided while holding {@link #lock}, after checking
 * {@link #state}, so nothing is sent after the terminal event and page outcomes go out in page order.
 */
final class QuizRun {
    private static final Logger log = LoggerFactory.getLogger(QuizRun.class);

    /** Thrown inside a worker to unwind when the run stopped (cancelled, disconnected, failed). */
    static final class Stopped extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Stopped() {
            super(null, null, false, false);
        }
    }

    private enum State { RUNNING, FINALIZING, DONE }

    private final QuizPipeline p;
    private final Client client;
    final String quizId;
    private final String jobId;
    private final String owner;
    private final String filename;
    private final QuizOptions options;
    private final String createdAt;

    /** Guards every field below that is not final/volatile/atomic, and all emits. */
    private final Object lock = new Object();
    /** What the run sends, decided under the lock and delivered in that order. */
    private final RunEvents events;
    private final RunDocument document;
    private final PageProcessor processor;
    private State state = State.RUNNING;
    /** The pages and their outcomes; null until the text is extracted. */
    private PageOutcomes outcomes;
    private long lastHeartbeat;

    private volatile boolean stopped;
    private final List<Future<?>> workers = new ArrayList<>(); // guarded by lock
    private final AtomicInteger workersLeft = new AtomicInteger();
    private final Map<Integer, Long> inFlight = new ConcurrentHashMap<>();
    private volatile ScheduledFuture<?> ticker;

    QuizRun(QuizPipeline pipeline, Client client, String quizId, String jobId, String owner, String filename,
            QuizOptions options, JobPublisher.Job job) {
        this.p = pipeline;
        this.client = client;
        this.quizId = quizId;
        this.jobId = jobId;
        this.owner = owner;
        this.filename = filename;
        this.options = options;
        this.createdAt = pipeline.clock.instant().toString();
        this.events = new RunEvents(pipeline.hub, pipeline.outbox, client, quizId, jobId, owner, job);
        this.document = new RunDocument(pipeline, filename);
        this.processor = new PageProcessor(pipeline, document, options, quizId, this::shouldStop);
    }

    boolean mayBeControlledBy(Client other) {
        return other.id().equals(client.id()) || (owner != null && owner.equals(other.userId().orElse(null)));
    }

    // ---- phase 1: validation and extraction ----

    void begin() {
        try {
            synchronized (lock) {
                if (state != State.RUNNING) {
                    return;
                }
                event("start", data("Quiz generation started").with("filename", filename).with("jobId", jobId)
                        .with("options", options));
                events.status("processing", 0, "Quiz generation started");
                events.jobUpdate("started", Map.of("quizId", quizId, "filename", filename));
                event("progress", data("Validating file").with("stage", QuizException.VALIDATION).with("progress", 0));
            }
            int total = document.open();
            checkRunning();
            synchronized (lock) {
                if (state != State.RUNNING) {
                    return;
                }
                event("progress", data("Extracting text").with("stage", QuizException.EXTRACTION).with("progress", 5));
            }
            String[] pageTexts = new String[total + 1];
            PageResult[] failed = new PageResult[total + 1];
            for (int page = 1; page <= total; page++) {
                checkRunning();
                try {
                    pageTexts[page] = document.pageText(page);
                } catch (QuizException e) {
                    failed[page] = PageResult.failed(page, null, e.getMessage(), e.error(), List.of());
                }
            }
            int workerCount = Math.min(p.maxParallelPages, total);
            synchronized (lock) {
                if (state != State.RUNNING) {
                    return;
                }
                outcomes = new PageOutcomes(events, pageTexts, failed);
                event("pdf-processed", data("PDF processed: " + total + " page" + (total == 1 ? "" : "s"))
                        .with("totalPages", total));
                lastHeartbeat = p.clock.millis();
                long tick = Math.max(10, Math.min(p.heartbeatInterval.toMillis(), 1000));
                ticker = p.scheduler.scheduleAtFixedRate(this::tick, tick, tick, TimeUnit.MILLISECONDS);
                workersLeft.set(workerCount);
                for (int i = 0; i < workerCount; i++) {
                    workers.add(p.executor.submit(this::work));
                }
            }
        } catch (Stopped e) {
            // the stopper already reported
        } catch (QuizException e) {
            abort(e);
        } catch (RejectedExecutionException e) {
            abort(new QuizException(ErrorCode.UNAVAILABLE, "unavailable", QuizException.GENERATION,
                    "Server is shutting down"));
        } catch (RuntimeException e) {
            log.error("quiz {} failed", quizId, e);
            abort(new QuizException(ErrorCode.INTERNAL, "internal", QuizException.EXTRACTION,
                    "Unexpected error while reading the PDF", e));
        }
    }

    // ---- phase 2: pages ----

    private void work() {
        try {
            while (true) {
                int page;
                synchronized (lock) {
                    page = state != State.RUNNING || stopped ? -1 : outcomes.claim();
                    if (page < 0) {
                        break;
                    }
                    inFlight.put(page, p.clock.millis());
                    event("page-processing", data("Processing page " + page + " of " + total())
                            .with("currentPage", page).with("totalPages", total()));
                }
                checkRunning();
                PageResult r = outcomes.preset(page) != null ? outcomes.preset(page)
                        : processor.process(page, outcomes.text(page));
                inFlight.remove(page);
                release(r);
            }
        } catch (Stopped e) {
            // ends quietly: whoever stopped the run reported it
        } catch (RuntimeException e) {
            log.error("quiz {} worker failed", quizId, e);
            abort(new QuizException(ErrorCode.INTERNAL, "internal", QuizException.GENERATION,
                    "Unexpected error while generating questions", e));
        } finally {
            if (workersLeft.decrementAndGet() == 0) {
                finish();
            }
        }
    }

    /** Records a page's outcome and sends every consecutive finished page, in order. */
    private void release(PageResult r) {
        synchronized (lock) {
            if (state == State.RUNNING) {
                outcomes.release(r);
            }
        }
    }

    // ---- phase 3: finalize ----

    private void finish() {
        List<String> pageTexts;
        List<QuizQuestion> all;
        boolean noQuestions = false;
        synchronized (lock) {
            if (state != State.RUNNING || stopped) {
                return;
            }
            state = State.FINALIZING;
            if (outcomes.questions().isEmpty()) {
                noQuestions = true;
            }
            stopTicker();
            if (!noQuestions) {
                event("generating-metadata", data("Generating quiz title and description"));
            }
            pageTexts = outcomes.texts();
            all = outcomes.questions();
        }
        document.close();
        try {
            if (noQuestions) {
                throw new QuizException(ErrorCode.UNAVAILABLE, "no_questions", QuizException.GENERATION,
                        "No questions could be generated from this document");
            }
            QuizMetadata meta = p.metadata.extract(pageTexts, all, filename);
            Quiz quiz;
            synchronized (lock) {
                event("metadata-generated", data("Metadata generated").with("title", meta.title())
                        .with("description", meta.description()).with("topics", meta.topics()));
                event("finalizing", data("Saving quiz"));
                QuizStats stats = new QuizStats(total(), outcomes.pagesProcessed(), all.size(),
                        p.clock.instant().toString());
                quiz = new Quiz(quizId, meta.title(), meta.description(), meta.topics(), all, p.newMagicToken(),
                        createdAt, filename, owner, options, stats, outcomes.sources());
            }
            p.quizStore.save(quiz);
            synchronized (lock) {
                if (state != State.FINALIZING) {
                    return;
                }
                state = State.DONE;
                String shareUrl = p.shareUrl(quizId);
                Map<String, Object> d = new LinkedHashMap<>();
                d.put("quiz", quiz.publicView());
                d.put("quizId", quizId);
                d.put("magicLink", p.magicLink(quiz));
                d.put("shareUrl", shareUrl);
                d.put("totalQuestions", all.size());
                d.put("title", quiz.title());
                d.put("stats", quiz.stats());
                events.completed(d);
                Map<String, Object> result = new LinkedHashMap<>();
                result.put("quizId", quizId);
                result.put("totalQuestions", all.size());
                result.put("shareUrl", shareUrl);
                events.jobCompleted(result);
                events.status("completed", 100, "Quiz ready: " + all.size() + " questions");
            }
            runFinishers();
            p.finished(this);
        } catch (QuizException e) {
            abort(e);
        } catch (RuntimeException e) {
            log.error("quiz {} finalization failed", quizId, e);
            abort(new QuizException(ErrorCode.INTERNAL, "internal", QuizException.FINALIZATION,
                    "Could not finish the quiz", e));
        }
    }

    // ---- stopping ----

    /**
     * Stops the run on the client's behalf (cancel-quiz, disconnect).
     *
     * @param notifyClient whether the client gets {@code quiz-error} (not when it is gone)
     * @return false when the run was already finishing or done
     */
    boolean cancel(String message, boolean notifyClient) {
        return terminate(new QuizException(ErrorCode.BAD_REQUEST, "cancelled", QuizException.GENERATION, message),
                notifyClient, false);
    }

    /** Fails the run with {@code e} (validation errors, shutdown, unexpected errors). */
    void abort(QuizException e) {
        terminate(e, true, true);
    }

    private boolean terminate(QuizException e, boolean notifyClient, boolean evenWhileFinalizing) {
        List<Future<?>> toCancel;
        synchronized (lock) {
            if (state == State.DONE || (state == State.FINALIZING && !evenWhileFinalizing)) {
                return false;
            }
            state = State.DONE;
            stopped = true;
            if (notifyClient) {
                events.error(e);
            }
            events.jobFailed(e.getMessage());
            events.status("failed", outcomes == null ? 0 : outcomes.progress(), e.getMessage());
            toCancel = new ArrayList<>(workers);
        }
        stopTicker();
        runFinishers();
        for (Future<?> f : toCancel) {
            f.cancel(true); // interrupts in-flight generator calls
        }
        document.close();
        p.finished(this);
        log.info("quiz {} stopped: {} ({})", quizId, e.getMessage(), e.error());
        return true;
    }

    private boolean shouldStop() {
        if (stopped) {
            return true;
        }
        if (!client.isOpen()) {
            cancel("Client disconnected", false);
            return true;
        }
        return Thread.currentThread().isInterrupted();
    }

    private void checkRunning() {
        if (shouldStop()) {
            throw new Stopped();
        }
    }

    /** Scheduler tick: disconnect detection and heartbeats. */
    private void tick() {
        try {
            if (stopped) {
                return;
            }
            if (!client.isOpen()) {
                cancel("Client disconnected", false);
                return;
            }
            long now = p.clock.millis();
            long interval = p.heartbeatInterval.toMillis();
            int oldestPage = -1;
            long oldestStart = Long.MAX_VALUE;
            for (Map.Entry<Integer, Long> e : inFlight.entrySet()) {
                if (e.getValue() < oldestStart) {
                    oldestStart = e.getValue();
                    oldestPage = e.getKey();
                }
            }
            if (oldestPage < 0 || now - oldestStart < interval) {
                return;
            }
            synchronized (lock) {
                if (state != State.RUNNING || now - lastHeartbeat < interval) {
                    return;
                }
                lastHeartbeat = now;
                event("heartbeat", data("Still working on page " + oldestPage).with("currentPage", oldestPage)
                        .with("totalPages", total()).with("elapsedMs", now - oldestStart)
                        .with("timestamp", p.clock.instant().toString()));
            }
        } catch (RuntimeException e) {
            log.warn("quiz {} tick failed", quizId, e); // never kill the scheduler
        }
    }

    /** Cleanups run when the run ends (e.g. removing its close listener from the client). */
    private final List<Runnable> onFinish = new java.util.concurrent.CopyOnWriteArrayList<>();

    void onFinish(Runnable cleanup) {
        onFinish.add(cleanup);
    }

    private void runFinishers() {
        for (Runnable r : onFinish) {
            try {
                r.run();
            } catch (RuntimeException e) {
                log.debug("quiz {} cleanup failed: {}", quizId, e.toString());
            }
        }
        onFinish.clear();
    }

    private void stopTicker() {
        ScheduledFuture<?> t = ticker;
        if (t != null) {
            t.cancel(false);
        }
    }

    // ---- emitting (callers hold lock) ----

    private void event(String type, RunEvents.Data data) {
        events.event(type, data);
    }

    private RunEvents.Data data(String message) {
        return events.data(message);
    }

    private int total() {
        return outcomes == null ? 0 : outcomes.total();
    }
}

package dev.realtime.core.quiz;

import dev.realtime.core.Client;
import dev.realtime.core.ErrorCode;
import dev.realtime.core.RealtimeException;
import dev.realtime.core.jobs.JobPublisher;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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

    /** One page's outcome, released to the client in page order. */
    private record PageResult(int page, String status, List<QuizQuestion> questions, String warning,
                              String errorMessage, String errorCode, List<String> imageUrls) {
    }

    private final QuizPipeline p;
    private final Client client;
    final String quizId;
    private final String jobId;
    private final String owner;
    private final String filename;
    private final QuizOptions options;
    private final JobPublisher.Job job;
    private final String createdAt;

    /** Guards every field below that is not final/volatile/atomic, and all emits. */
    private final Object lock = new Object();
    /** Emits and publishes decided under the lock, run in order by {@link #drain}. */
    private final java.util.concurrent.ConcurrentLinkedQueue<Runnable> outbox =
            new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final java.util.concurrent.atomic.AtomicBoolean draining = new java.util.concurrent.atomic.AtomicBoolean();
    private State state = State.RUNNING;
    private String[] texts;
    private PageResult[] results;
    private int nextPage = 1;
    private int nextRelease = 1;
    private int pagesReleased;
    private int pagesProcessed;
    private final List<QuizQuestion> questions = new ArrayList<>();
    private long lastHeartbeat;

    /** Guards the document (PDFBox documents are not thread-safe); closed under it. */
    private final Object docLock = new Object();
    private PdfDocument doc;

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
        this.job = job;
        this.createdAt = pipeline.clock.instant().toString();
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
                status("processing", 0, "Quiz generation started");
                jobUpdate("started", Map.of("quizId", quizId, "filename", filename));
                event("progress", data("Validating file").with("stage", QuizException.VALIDATION).with("progress", 0));
            }
            PdfDocument opened = openValidated();
            synchronized (docLock) {
                doc = opened;
            }
            checkRunning();
            synchronized (lock) {
                if (state != State.RUNNING) {
                    return;
                }
                event("progress", data("Extracting text").with("stage", QuizException.EXTRACTION).with("progress", 5));
            }
            int total = opened.pageCount();
            String[] pageTexts = new String[total + 1];
            PageResult[] failed = new PageResult[total + 1];
            for (int page = 1; page <= total; page++) {
                checkRunning();
                try {
                    synchronized (docLock) {
                        pageTexts[page] = doc == null ? "" : doc.pageText(page);
                    }
                } catch (QuizException e) {
                    failed[page] = new PageResult(page, "failed", List.of(), null, e.getMessage(), e.error(),
                            List.of());
                }
            }
            int workerCount = Math.min(p.maxParallelPages, total);
            synchronized (lock) {
                if (state != State.RUNNING) {
                    return;
                }
                texts = pageTexts;
                results = new PageResult[total + 1];
                preset = failed;
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

    /** Pages whose text could not be extracted; released as page-error. Guarded by lock. */
    private PageResult[] preset;

    private PdfDocument openValidated() {
        long size = p.fileStore.size(filename); // not_found
        long limit = Math.min(p.maxBytes, p.fileStore.maxBytes());
        if (size > limit) {
            throw QuizException.validation("too_large", "File is too large: " + size + " bytes (limit " + limit + ")");
        }
        Optional<Path> local = p.fileStore.localPath(filename);
        if (local.isPresent()) {
            return p.reader.open(local.get(), p.maxPages);
        }
        try (InputStream in = p.fileStore.open(filename)) {
            return p.reader.open(in, p.maxPages);
        } catch (java.io.IOException e) {
            throw new QuizException(ErrorCode.UNAVAILABLE, "storage", QuizException.VALIDATION,
                    "File cannot be read", e);
        }
    }

    // ---- phase 2: pages ----

    private void work() {
        try {
            while (true) {
                int page;
                synchronized (lock) {
                    if (state != State.RUNNING || stopped || nextPage >= results.length) {
                        break;
                    }
                    page = nextPage++;
                    inFlight.put(page, p.clock.millis());
                    event("page-processing", data("Processing page " + page + " of " + total())
                            .with("currentPage", page).with("totalPages", total()));
                }
                checkRunning();
                PageResult r = preset[page] != null ? preset[page] : process(page);
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

    private PageResult process(int page) {
        String text = texts[page];
        if (text == null || text.strip().length() < p.minPageChars) {
            return new PageResult(page, "skipped", List.of(), null, null, null, List.of());
        }
        List<String> imageUrls = List.of();
        String warning = null;
        if (options.generateImages()) {
            try {
                imageUrls = storeImages(page);
            } catch (QuizException e) {
                warning = "Page images could not be extracted: " + e.getMessage();
            }
        }
        checkRunning();
        QuestionRequest request = new QuestionRequest(text, options.questionsPerPage(), options.difficulty(),
                options.includeExplanations(), options.language(), null);
        List<Question> generated;
        try {
            generated = p.retries.call(() -> p.generator.generate(request), this::shouldStop);
        } catch (Stopped e) {
            throw e;
        } catch (RuntimeException e) {
            if (shouldStop()) {
                throw new Stopped();
            }
            String code = e instanceof RealtimeException re ? re.code().wire() : ErrorCode.INTERNAL.wire();
            String msg = e instanceof RealtimeException && e.getMessage() != null ? e.getMessage()
                    : "question generation failed";
            log.warn("quiz {} page {} failed after retries: {}", quizId, page, e.toString());
            return new PageResult(page, "failed", List.of(), warning, msg, code, imageUrls);
        }
        String imageUrl = imageUrls.isEmpty() ? null : imageUrls.get(0);
        List<QuizQuestion> qs = new ArrayList<>(generated.size());
        for (Question q : generated) {
            qs.add(QuizQuestion.of(p.newId(), page, q, imageUrl));
        }
        if (qs.isEmpty()) {
            warning = "No questions could be generated from page " + page;
        } else if (qs.size() < options.questionsPerPage()) {
            warning = "Only " + qs.size() + " of " + options.questionsPerPage() + " questions could be generated"
                    + " from page " + page;
        }
        return new PageResult(page, "processed", List.copyOf(qs), warning, null, null, imageUrls);
    }

    private List<String> storeImages(int page) {
        List<PageImage> images;
        synchronized (docLock) {
            if (doc == null) {
                throw new Stopped();
            }
            images = doc.pageImages(page, p.maxImagesPerPage, p.maxImageWidth, p.thumbnailWidth);
        }
        List<String> urls = new ArrayList<>();
        for (PageImage img : images) {
            String name = p.fileStore.save(img.png(), "page-" + page + ".png");
            urls.add(p.fileStore.urlPath(name));
        }
        return List.copyOf(urls);
    }

    /** Records a page's outcome and sends every consecutive finished page, in order. */
    private void release(PageResult r) {
        synchronized (lock) {
            if (state != State.RUNNING) {
                return;
            }
            results[r.page()] = r;
            while (nextRelease < results.length && results[nextRelease] != null) {
                send(results[nextRelease]);
                nextRelease++;
            }
        }
    }

    private void send(PageResult r) { // holds lock
        int page = r.page();
        int total = total();
        switch (r.status()) {
            case "skipped" -> event("page-skipped", data("Page " + page + " has too little text; skipped")
                    .with("currentPage", page).with("totalPages", total).with("reason", "insufficient_text"));
            case "failed" -> event("page-error", data(r.errorMessage()).with("currentPage", page)
                    .with("totalPages", total).with("error", r.errorCode()));
            default -> {
                pagesProcessed++;
                for (QuizQuestion q : r.questions()) {
                    questions.add(q);
                    event("question-generated", data("Question " + questions.size() + " generated from page " + page)
                            .with("question", q).with("questionIndex", questions.size() - 1)
                            .with("totalQuestions", questions.size()).with("currentPage", page)
                            .with("totalPages", total));
                }
            }
        }
        if (r.warning() != null) {
            event("page-warning", data(r.warning()).with("currentPage", page).with("totalPages", total));
        }
        pagesReleased++;
        int progress = (int) ((long) pagesReleased * 100 / total);
        String message = "Processed page " + page + " of " + total;
        safely(() -> job.progress(Math.min(progress, 99), message));
        status("processing", Math.min(progress, 99), message);
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
            if (questions.isEmpty()) {
                noQuestions = true;
            }
            stopTicker();
            if (!noQuestions) {
                event("generating-metadata", data("Generating quiz title and description"));
            }
            pageTexts = new ArrayList<>(texts.length);
            for (int i = 1; i < texts.length; i++) {
                pageTexts.add(texts[i] == null ? "" : texts[i]);
            }
            all = List.copyOf(questions);
        }
        closeDocument();
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
                List<SourcePage> sources = new ArrayList<>();
                for (int i = 1; i < results.length; i++) {
                    PageResult r = results[i];
                    boolean ok = r != null && "processed".equals(r.status());
                    sources.add(new SourcePage(i, r == null ? "failed" : r.status(), ok ? texts[i] : "",
                            r == null ? List.of() : r.imageUrls()));
                }
                QuizStats stats = new QuizStats(total(), pagesProcessed, all.size(), p.clock.instant().toString());
                quiz = new Quiz(quizId, meta.title(), meta.description(), meta.topics(), all, p.newMagicToken(),
                        createdAt, filename, owner, options, stats, sources);
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
                Map<String, Object> complete = new LinkedHashMap<>();
                complete.put("type", "completed");
                complete.put("data", d);
                post(() -> client.emit(QuizPipeline.QUIZ_COMPLETE, complete));
                Map<String, Object> result = new LinkedHashMap<>();
                result.put("quizId", quizId);
                result.put("totalQuestions", all.size());
                result.put("shareUrl", shareUrl);
                safely(() -> job.completed(result));
                status("completed", 100, "Quiz ready: " + all.size() + " questions");
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
                post(() -> client.emit(QuizPipeline.QUIZ_ERROR,
                        QuizPipeline.errorPayload(e.getMessage(), e.error(), e.stage())));
            }
            safely(() -> job.failed(e.getMessage()));
            status("failed", pagesReleased == 0 || texts == null ? 0 : (int) ((long) pagesReleased * 100 / total()),
                    e.getMessage());
            toCancel = new ArrayList<>(workers);
        }
        stopTicker();
        runFinishers();
        for (Future<?> f : toCancel) {
            f.cancel(true); // interrupts in-flight generator calls
        }
        closeDocument();
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

    private void closeDocument() {
        synchronized (docLock) {
            if (doc != null) {
                doc.close();
                doc = null;
            }
        }
    }

    // ---- emitting (callers hold lock) ----

    private int total() {
        return results == null ? 0 : results.length - 1;
    }

    private void event(String type, Data data) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", type);
        m.put("data", data.map);
        post(() -> client.emit(QuizPipeline.QUIZ_EVENT, m));
    }

    private Data data(String message) {
        return new Data().with("quizId", quizId).with("message", message);
    }

    private void status(String status, int progress, String message) {
        if (owner == null) {
            return;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("jobId", jobId);
        m.put("quizId", quizId);
        m.put("status", status);
        m.put("progress", progress);
        m.put("message", message);
        safely(() -> p.hub.emitToUser(owner, QuizPipeline.QUIZ_STATUS, m));
    }

    private void jobUpdate(String status, Object data) {
        safely(() -> job.update(status, data));
    }

    /** Job events and user-room pushes must not break the run (e.g. history store down). */
    private void safely(Runnable r) {
        post(r);
    }

    /**
     * Queues an emit or a publish decided under {@link #lock}: the outbox runs them in the order they were decided,
     * one at a time, on the pipeline's outbox thread, so no I/O (a Redis publish) ever happens under the lock.
     */
    private void post(Runnable r) {
        outbox.add(r);
        if (draining.compareAndSet(false, true)) {
            try {
                p.outbox.execute(this::drain);
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
    private static final class Data {
        final Map<String, Object> map = new LinkedHashMap<>();

        Data with(String key, Object value) {
            map.put(key, value);
            return this;
        }
    }
}

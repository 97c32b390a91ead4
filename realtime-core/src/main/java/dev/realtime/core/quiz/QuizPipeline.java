package dev.realtime.core.quiz;

import static dev.realtime.core.Checks.atLeast;
import static dev.realtime.core.Checks.requireUnset;

import dev.realtime.core.Client;
import dev.realtime.core.ErrorCode;
import dev.realtime.core.RealtimeException;
import dev.realtime.core.RealtimeHub;
import dev.realtime.core.llm.Sleeper;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PDF to quiz, page by page, with live progress (seed 000's {@code /quiz} gateway) and job events (seed 002,
 * seed 001's {@code quiz_status}).
 *
 * <pre>{@code
 * QuizPipeline quizzes = QuizPipeline.builder(hub)
 *         .generator(new OfflineQuestionGenerator())
 *         .fileStore(FileStore.localDirectory(Path.of("uploads"), 50 << 20))
 *         .publicBaseUrl("https://quiz.example.com")
 *         .build();
 * quizzes.register();   // generate-quiz, cancel-quiz, replace-question on /quiz and the native protocol
 * ...
 * quizzes.close();      // before hub.close()
 * }</pre>
 *
 * <p><b>Events.</b> {@code generate-quiz {filename, options}} is acknowledged at once with {@code {quizId,
 * jobId}}; the run then emits to the requesting client {@code quiz-event {type, data}} with types {@code start},
 * {@code progress} (validation, extraction), {@code pdf-processed}, {@code page-processing},
 * {@code question-generated}, {@code page-skipped}, {@code page-warning}, {@code page-error},
 * {@code heartbeat}, {@code generating-metadata}, {@code metadata-generated}, {@code finalizing}, and ends with
 * exactly one {@code quiz-complete} or {@code quiz-error {type:'error', message, error, stage}}. Every
 * {@code data} carries {@code quizId} and {@code message}. {@code page-processing} is sent when a page starts
 * (pages start in order, several at a time); each page's outcome ({@code question-generated} ...,
 * {@code page-skipped}, {@code page-warning}, {@code page-error}) is released in page order. The same run is the
 * job {@code jobId}: {@code job:update 'started'}, {@code job:progress} by pages done, {@code job:completed
 * {quizId, totalQuestions, shareUrl}} or {@code job:error}; a client with a user id also gets
 * {@code quiz_status {jobId, quizId, status, progress, message}} in {@code user:{id}}.
 *
 * <p><b>Links.</b> {@code magicLink = publicBaseUrl + "/q/" + token} (token: 32 {@link java.security.SecureRandom}
 * bytes, base64url), {@code shareUrl = publicBaseUrl + "/api/quizzes/" + quizId}; page images are
 * {@link FileStore#urlPath} ({@code /api/files/{name}}). Serving these URLs is the HTTP adapter's job.
 *
 * <p><b>Stopping.</b> A run stops when its client disconnects (checked before every generator call, between
 * pages and on every heartbeat tick), on {@code cancel-quiz {quizId}} from the same client or user, or on
 * {@link #close()}: in-flight generator calls are interrupted ({@code Future.cancel(true)}) and no further call
 * is made.
 *
 * <p><b>Threads.</b> All work runs on the pipeline executor, never on the hub's threads: runs are split into page
 * workers that never wait for each other, so any pool size works. The pipeline creates a fixed pool and a
 * scheduler (heartbeats) unless given them, and {@link #close()} shuts down only those it created. Thread-safe;
 * runs are isolated from each other.
 *
 * @since 0.1
 */
public final class QuizPipeline implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(QuizPipeline.class);

    /** Client event: start a generation. */
    public static final String GENERATE_QUIZ = "generate-quiz";
    /** Client event: cancel a running generation. */
    public static final String CANCEL_QUIZ = "cancel-quiz";
    /** Client event: replace one question of a stored quiz. */
    public static final String REPLACE_QUESTION = "replace-question";
    /** Server event: progress of a generation. */
    public static final String QUIZ_EVENT = "quiz-event";
    /** Server event: a generation failed. */
    public static final String QUIZ_ERROR = "quiz-error";
    /** Server event: a generation finished. */
    public static final String QUIZ_COMPLETE = "quiz-complete";
    /** Server event to the user room (seed 001). */
    public static final String QUIZ_STATUS = "quiz_status";
    /** Server event for replacements (seed 001). */
    public static final String QUESTION_REPLACE = "question_replace";
    /** The Socket.IO namespace the handlers are registered on. */
    public static final String NAMESPACE = "/quiz";

    final RealtimeHub hub;
    final QuestionGenerator generator;
    final FileStore fileStore;
    final QuizStore quizStore;
    final PdfDocumentReader reader;
    final QuizMetadataExtractor metadata;
    final ExecutorService executor;
    final ScheduledExecutorService scheduler;
    /** Runs the runs' emits and job publishes off their locks, in order per run; owned, closed by close(). */
    final ExecutorService outbox;
    final Sleeper sleeper;
    final Clock clock;
    final int maxParallelPages;
    final int pageRetries;
    final Duration retryBackoff;
    final Duration heartbeatInterval;
    final int minPageChars;
    final int maxPages;
    final long maxBytes;
    final int maxQuestionsPerPage;
    final int maxImagesPerPage;
    final int maxImageWidth;
    final int thumbnailWidth;
    final String publicBaseUrl;
    private final ExecutorService ownedExecutor;
    private final ScheduledExecutorService ownedScheduler;
    private final java.security.SecureRandom random = new java.security.SecureRandom();
    /** Running generations by quiz id. */
    private final Map<String, QuizRun> active = new ConcurrentHashMap<>();
    private final AtomicBoolean registered = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();

    private QuizPipeline(Builder b) {
        this.hub = b.hub;
        this.generator = Objects.requireNonNull(b.generator, "generator is required");
        this.fileStore = Objects.requireNonNull(b.fileStore, "fileStore is required");
        this.quizStore = b.quizStore != null ? b.quizStore : QuizStore.inMemory();
        this.reader = b.reader != null ? b.reader : PdfDocumentReader.pdfBox();
        this.metadata = b.metadata != null ? b.metadata : QuizMetadataExtractor.fromText();
        this.ownedExecutor = b.executor == null ? Executors.newFixedThreadPool(b.threads, daemon("quiz-worker")) : null;
        this.executor = b.executor != null ? b.executor : ownedExecutor;
        this.outbox = Executors.newFixedThreadPool(2, daemon("quiz-outbox"));
        this.ownedScheduler = b.scheduler == null
                ? Executors.newSingleThreadScheduledExecutor(daemon("quiz-heartbeat")) : null;
        this.scheduler = b.scheduler != null ? b.scheduler : ownedScheduler;
        this.sleeper = b.sleeper != null ? b.sleeper : Sleeper.system();
        this.clock = b.clock != null ? b.clock : Clock.systemUTC();
        this.maxParallelPages = b.maxParallelPages;
        this.pageRetries = b.pageRetries;
        this.retryBackoff = b.retryBackoff;
        this.heartbeatInterval = b.heartbeatInterval;
        this.minPageChars = b.minPageChars;
        this.maxPages = b.maxPages;
        this.maxBytes = b.maxBytes;
        this.maxQuestionsPerPage = b.maxQuestionsPerPage;
        this.maxImagesPerPage = b.maxImagesPerPage;
        this.maxImageWidth = b.maxImageWidth;
        this.thumbnailWidth = b.thumbnailWidth;
        this.publicBaseUrl = b.publicBaseUrl;
    }

    /** A builder for a pipeline publishing through {@code hub}. */
    public static Builder builder(RealtimeHub hub) {
        return new Builder(hub);
    }

    /**
     * Registers {@code generate-quiz}, {@code cancel-quiz} and {@code replace-question} on the Socket.IO
     * namespace {@code /quiz} (when the hub speaks Socket.IO) and on the native protocol. Call once, before
     * clients connect.
     *
     * @throws IllegalStateException when called twice, or when the hub already has handlers for these events
     */
    public QuizPipeline register() {
        if (!registered.compareAndSet(false, true)) {
            throw new IllegalStateException("already registered");
        }
        hub.on(GENERATE_QUIZ, GenerateQuizRequest.class, this::start);
        hub.on(CANCEL_QUIZ, CancelQuizRequest.class, this::cancel);
        hub.on(REPLACE_QUESTION, ReplaceQuestionRequest.class, this::replaceQuestion);
        dev.realtime.core.Namespace quiz;
        try {
            quiz = hub.namespace(NAMESPACE);
        } catch (IllegalStateException e) {
            log.info("Socket.IO disabled: quiz handlers registered on the native protocol only");
            return this;
        }
        quiz.on(GENERATE_QUIZ, GenerateQuizRequest.class, this::start)
                .on(CANCEL_QUIZ, CancelQuizRequest.class, this::cancel)
                .on(REPLACE_QUESTION, ReplaceQuestionRequest.class, this::replaceQuestion);
        return this;
    }

    /**
     * Starts a generation for {@code client} and returns at once; the work runs on the pipeline executor. This is
     * the {@code generate-quiz} handler; the return value is its acknowledgement.
     *
     * @throws QuizException {@code bad_request} (also emitted as {@code quiz-error}) for a missing file name or
     *                       invalid options; {@link RealtimeException} {@code unavailable} when closed
     */
    /** The file's owner; empty for unknown files too (the run reports those after the acknowledgement). */
    private Optional<String> ownerOf(String filename) {
        try {
            return fileStore.ownerOf(filename);
        } catch (QuizException e) {
            return Optional.empty();
        }
    }

    public QuizStarted start(Client client, GenerateQuizRequest request) {
        Objects.requireNonNull(client, "client");
        QuizOptions options;
        String filename;
        try {
            if (request == null || request.filename() == null || request.filename().isBlank()) {
                throw new QuizException(ErrorCode.BAD_REQUEST, "bad_request", QuizException.VALIDATION,
                        "filename is required");
            }
            filename = request.filename().strip();
            options = (request.options() != null ? request.options() : new QuizOptions(null, null, null, null, null))
                    .normalized(maxQuestionsPerPage);
        } catch (QuizException e) {
            client.emit(QUIZ_ERROR, errorPayload(e.getMessage(), e.error(), e.stage()));
            throw e;
        }
        if (closed.get()) {
            throw new RealtimeException(ErrorCode.UNAVAILABLE, "quiz pipeline is shut down");
        }
        String owner = client.userId().orElse(null);
        try {
            Optional<String> fileOwner = ownerOf(filename);
            if (fileOwner.isPresent() && owner != null && !fileOwner.get().equals(owner)
                    && !hub.principal(client).map(p -> p.hasRole("admin")).orElse(false)) {
                throw new QuizException(ErrorCode.FORBIDDEN, "forbidden", QuizException.VALIDATION,
                        "this file belongs to another user");
            }
        } catch (QuizException e) {
            client.emit(QUIZ_ERROR, errorPayload(e.getMessage(), e.error(), e.stage()));
            throw e;
        }
        String quizId = UUID.randomUUID().toString();
        String jobId = UUID.randomUUID().toString();
        QuizRun run = new QuizRun(this, client, quizId, jobId, owner, filename, options,
                hub.jobs().job(jobId, owner)); // owner recorded now, so the client may subscribe to job:{jobId}
        active.put(quizId, run);
        // stop at once when the client goes away, not at the next check
        run.onFinish(client.onClose(() -> run.cancel("Client disconnected", false)));
        try {
            executor.execute(run::begin);
        } catch (RejectedExecutionException e) {
            active.remove(quizId);
            throw new RealtimeException(ErrorCode.UNAVAILABLE, "quiz pipeline is shut down");
        }
        return new QuizStarted(quizId, jobId);
    }

    /**
     * Cancels a running generation; the {@code cancel-quiz} handler. Only the client that started it, or another
     * connection of the same user, may cancel it. The run ends with {@code quiz-error} (error {@code cancelled}).
     *
     * @return the acknowledgement {@code {quizId, cancelled}}; {@code cancelled} is {@code false} when the run was
     *         already finishing
     * @throws RealtimeException {@code not_found} when no such generation is running, {@code forbidden} for
     *                           someone else's
     */
    public Map<String, Object> cancel(Client client, CancelQuizRequest request) {
        String quizId = request == null ? null : request.quizId();
        QuizRun run = quizId == null ? null : active.get(quizId);
        if (run == null) {
            throw new RealtimeException(ErrorCode.NOT_FOUND, "no running quiz generation " + quizId);
        }
        if (!run.mayBeControlledBy(client)) {
            throw new RealtimeException(ErrorCode.FORBIDDEN, "not your quiz generation");
        }
        boolean cancelled = run.cancel("Quiz generation cancelled", true);
        Map<String, Object> ack = new LinkedHashMap<>();
        ack.put("quizId", quizId);
        ack.put("cancelled", cancelled);
        return ack;
    }

    /**
     * Replaces one question of a stored quiz with a new one generated from the same page; the
     * {@code replace-question} handler. Emits {@code question_replace {jobId, quizId, questionIndex, status,
     * progress, message, question?}} to {@code user:{id}} and to the client (unless it is in that room, so it gets
     * each once); the returned stage completes with
     * {@code {jobId, quizId, questionIndex, question}} (the acknowledgement) after the quiz is stored.
     *
     * @throws RealtimeException {@code bad_request}, {@code not_found} (quiz), {@code forbidden} (another user's
     *                           quiz); the stage fails with the generator's error
     */
    public CompletableFuture<Map<String, Object>> replaceQuestion(Client client, ReplaceQuestionRequest request) {
        if (request == null || request.quizId() == null || request.questionIndex() == null) {
            throw new RealtimeException(ErrorCode.BAD_REQUEST, "quizId and questionIndex are required");
        }
        Quiz quiz = quizStore.byId(request.quizId())
                .orElseThrow(() -> new RealtimeException(ErrorCode.NOT_FOUND, "quiz not found: " + request.quizId()));
        if (quiz.ownerUserId() != null && !quiz.ownerUserId().equals(client.userId().orElse(null))) {
            throw new RealtimeException(ErrorCode.FORBIDDEN, "not your quiz");
        }
        int index = request.questionIndex();
        if (index < 0 || index >= quiz.questions().size()) {
            throw new RealtimeException(ErrorCode.BAD_REQUEST, "questionIndex out of range: " + index);
        }
        String jobId = UUID.randomUUID().toString();
        ReplaceStatus status = new ReplaceStatus(client, jobId, quiz.id(), index);
        status.send("processing", 0, "Replacing question " + (index + 1), null);
        try {
            return CompletableFuture.supplyAsync(() -> {
                try {
                    QuizQuestion q = generateReplacement(quiz, index, request.instructions(), status);
                    quizStore.replaceQuestion(quiz.id(), index, q);
                    status.send("completed", 100, "Question replaced", q);
                    Map<String, Object> ack = new LinkedHashMap<>();
                    ack.put("jobId", jobId);
                    ack.put("quizId", quiz.id());
                    ack.put("questionIndex", index);
                    ack.put("question", q);
                    return ack;
                } catch (RuntimeException e) {
                    status.send("failed", 100, e.getMessage() != null ? e.getMessage() : "replacement failed", null);
                    throw e instanceof RealtimeException ? e
                            : new RealtimeException(ErrorCode.INTERNAL, "replacement failed", e);
                }
            }, executor);
        } catch (RejectedExecutionException e) {
            throw new RealtimeException(ErrorCode.UNAVAILABLE, "quiz pipeline is shut down");
        }
    }

    private QuizQuestion generateReplacement(Quiz quiz, int index, String instructions, ReplaceStatus status) {
        QuizQuestion old = quiz.questions().get(index);
        SourcePage page = quiz.sourcePage(old.page())
                .filter(p -> !p.text().isBlank())
                .orElseThrow(() -> new RealtimeException(ErrorCode.NOT_FOUND,
                        "the text of page " + old.page() + " was not kept"));
        Set<String> existing = new HashSet<>();
        long onPage = 0;
        for (QuizQuestion q : quiz.questions()) {
            existing.add(normalize(q.question()));
            if (q.page() == old.page()) {
                onPage++;
            }
        }
        QuizOptions o = quiz.options() != null ? quiz.options() : QuizOptions.defaults();
        // ask for more than the page already has, so that at least one is new even from a deterministic generator
        int count = (int) Math.min(QuestionRequest.MAX_COUNT, onPage + 3);
        QuestionRequest request = new QuestionRequest(page.text(), count, o.difficulty(), o.includeExplanations(),
                o.language(), null, instructions);
        status.send("processing", 30, "Generating a new question from page " + old.page(), null);
        List<Question> generated = withRetries(() -> generator.generate(request), () -> false);
        status.send("processing", 80, "Checking the new question", null);
        for (Question q : generated) {
            if (!existing.contains(normalize(q.question()))) {
                return QuizQuestion.of(newId(), old.page(), q, old.imageUrl());
            }
        }
        throw new QuizException(ErrorCode.UNAVAILABLE, "no_alternative", QuizException.GENERATION,
                "No different question could be generated from page " + old.page());
    }

    /**
     * Calls {@code call} up to {@code 1 + pageRetries} times with exponential backoff; refusals
     * ({@code bad_request}) are not retried.
     *
     * @throws QuizRun.Stopped when {@code stopped} turns true before a call or during a backoff
     */
    List<Question> withRetries(java.util.function.Supplier<List<Question>> call,
                               java.util.function.BooleanSupplier stopped) {
        RuntimeException last = null;
        for (int attempt = 0; attempt <= pageRetries; attempt++) {
            if (stopped.getAsBoolean()) {
                throw new QuizRun.Stopped();
            }
            try {
                return call.get();
            } catch (RuntimeException e) {
                if (stopped.getAsBoolean() || Thread.currentThread().isInterrupted()) {
                    throw new QuizRun.Stopped();
                }
                last = e;
                if (e instanceof RealtimeException re && re.code() == ErrorCode.BAD_REQUEST) {
                    break;
                }
                if (attempt < pageRetries) {
                    log.debug("generator failed (attempt {}), retrying: {}", attempt + 1, e.toString());
                    try {
                        sleeper.sleep(retryBackoff.multipliedBy(1L << Math.min(attempt, 16)));
                    } catch (InterruptedException ie) {
                        Thread.currentThread().interrupt();
                        throw new QuizRun.Stopped();
                    }
                }
            }
        }
        throw last;
    }

    /** The store quizzes are saved in. */
    public QuizStore store() {
        return quizStore;
    }

    /** Generations running now. */
    public int activeCount() {
        return active.size();
    }

    /** {@code publicBaseUrl + "/q/" + token}. */
    public String magicLink(Quiz quiz) {
        return publicBaseUrl + "/q/" + quiz.magicToken();
    }

    /** {@code publicBaseUrl + "/api/quizzes/" + quizId}. */
    public String shareUrl(String quizId) {
        return publicBaseUrl + "/api/quizzes/" + quizId;
    }

    /**
     * Cancels every running generation (their clients get {@code quiz-error} with error {@code unavailable}) and
     * shuts down the executor and scheduler this pipeline created. Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        for (QuizRun run : new ArrayList<>(active.values())) {
            run.abort(new QuizException(ErrorCode.UNAVAILABLE, "unavailable", QuizException.GENERATION,
                    "Server is shutting down"));
        }
        outbox.shutdown(); // what the aborts posted still goes out
        try {
            if (!outbox.awaitTermination(2, TimeUnit.SECONDS)) {
                outbox.shutdownNow();
            }
        } catch (InterruptedException e) {
            outbox.shutdownNow();
            Thread.currentThread().interrupt();
        }
        if (ownedScheduler != null) {
            ownedScheduler.shutdownNow();
        }
        if (ownedExecutor != null) {
            ownedExecutor.shutdownNow();
            try {
                if (!ownedExecutor.awaitTermination(5, TimeUnit.SECONDS)) {
                    log.warn("quiz workers did not stop within 5 s");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    // ---- for QuizRun ----

    void finished(QuizRun run) {
        active.remove(run.quizId, run);
    }

    String newId() {
        byte[] b = new byte[8];
        random.nextBytes(b);
        return java.util.HexFormat.of().formatHex(b);
    }

    String newMagicToken() {
        byte[] b = new byte[32];
        random.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    static Map<String, Object> errorPayload(String message, String error, String stage) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "error");
        m.put("message", message);
        m.put("error", error);
        m.put("stage", stage);
        return m;
    }

    private static String normalize(String s) {
        return s.strip().replaceAll("\\s+", " ").toLowerCase(java.util.Locale.ROOT);
    }

    private static ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** Sends {@code question_replace} to the client and its user room. */
    private final class ReplaceStatus {
        private final Client client;
        private final String jobId;
        private final String quizId;
        private final int index;

        ReplaceStatus(Client client, String jobId, String quizId, int index) {
            this.client = client;
            this.jobId = jobId;
            this.quizId = quizId;
            this.index = index;
        }

        void send(String status, int progress, String message, QuizQuestion question) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("jobId", jobId);
            m.put("quizId", quizId);
            m.put("questionIndex", index);
            m.put("status", status);
            m.put("progress", progress);
            m.put("message", message);
            if (question != null) {
                m.put("question", question);
            }
            String user = client.userId().orElse(null);
            if (user == null || !client.rooms().contains("user:" + user)) {
                client.emit(QUESTION_REPLACE, m); // a client in its user room gets it from there, once
            }
            if (user != null) {
                try {
                    hub.emitToUser(user, QUESTION_REPLACE, m);
                } catch (RuntimeException e) {
                    log.warn("question_replace to user room failed", e);
                }
            }
        }
    }

    /**
     * The acknowledgement of {@code generate-quiz}.
     *
     * @param quizId id of the quiz being generated (for {@code cancel-quiz} and the final quiz)
     * @param jobId  id of the job: subscribe to {@code job:{jobId}} for {@code job:*} events
     * @since 0.1
     */
    public record QuizStarted(String quizId, String jobId) {
    }

    /**
     * Configures a {@link QuizPipeline}. {@link #generator} and {@link #fileStore} are required; every setter
     * validates and fails fast; executor and scheduler may be set once. Not thread-safe.
     *
     * @since 0.1
     */
    public static final class Builder {
        private final RealtimeHub hub;
        private QuestionGenerator generator;
        private FileStore fileStore;
        private QuizStore quizStore;
        private PdfDocumentReader reader;
        private QuizMetadataExtractor metadata;
        private ExecutorService executor;
        private ScheduledExecutorService scheduler;
        private Sleeper sleeper;
        private Clock clock;
        private int threads = 16;
        private int maxParallelPages = 4;
        private int pageRetries = 2;
        private Duration retryBackoff = Duration.ofMillis(500);
        private Duration heartbeatInterval = Duration.ofSeconds(10);
        private int minPageChars = 40;
        private int maxPages = 300;
        private long maxBytes = LocalDirectoryFileStore.DEFAULT_MAX_BYTES;
        private int maxQuestionsPerPage = 10;
        private int maxImagesPerPage = 3;
        private int maxImageWidth = 800;
        private int thumbnailWidth = 200;
        private String publicBaseUrl = "";

        private Builder(RealtimeHub hub) {
            this.hub = Objects.requireNonNull(hub, "hub");
        }

        /** Writes the questions (required), e.g. {@link OfflineQuestionGenerator} or {@link GeminiQuestionGenerator}. */
        public Builder generator(QuestionGenerator generator) {
            this.generator = Objects.requireNonNull(generator, "generator");
            return this;
        }

        /** Where uploads are read and page images written (required). */
        public Builder fileStore(FileStore fileStore) {
            this.fileStore = Objects.requireNonNull(fileStore, "fileStore");
            return this;
        }

        /** Where finished quizzes go (default {@link QuizStore#inMemory()}). */
        public Builder quizStore(QuizStore quizStore) {
            this.quizStore = Objects.requireNonNull(quizStore, "quizStore");
            return this;
        }

        /** How PDFs are read (default {@link PdfDocumentReader#pdfBox()}). */
        public Builder pdfReader(PdfDocumentReader reader) {
            this.reader = Objects.requireNonNull(reader, "reader");
            return this;
        }

        /** How title, description and topics are derived (default {@link QuizMetadataExtractor#fromText()}). */
        public Builder metadata(QuizMetadataExtractor metadata) {
            this.metadata = Objects.requireNonNull(metadata, "metadata");
            return this;
        }

        /** Runs all work on your executor; the pipeline never shuts it down. Excludes {@link #threads}. */
        public Builder executor(ExecutorService executor) {
            requireUnset(this.executor, "executor");
            this.executor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /** Size of the pipeline-owned pool when no executor is given (default 16). */
        public Builder threads(int threads) {
            this.threads = atLeast(threads, 1, "threads");
            return this;
        }

        /** Runs heartbeat ticks on your scheduler; the pipeline never shuts it down. */
        public Builder scheduler(ScheduledExecutorService scheduler) {
            requireUnset(this.scheduler, "scheduler");
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
            return this;
        }

        /** Pages of one run generated at the same time (default 4). */
        public Builder maxParallelPages(int pages) {
            this.maxParallelPages = atLeast(pages, 1, "maxParallelPages");
            return this;
        }

        /** Extra attempts for a failing page (default 2), the first after {@code backoff}, then doubling. */
        public Builder pageRetries(int retries, Duration backoff) {
            this.pageRetries = atLeast(retries, 0, "retries");
            Objects.requireNonNull(backoff, "backoff");
            if (backoff.isNegative()) {
                throw new IllegalArgumentException("backoff must not be negative: " + backoff);
            }
            this.retryBackoff = backoff;
            return this;
        }

        /** How backoffs wait (default {@link Sleeper#system()}); must respond to interrupts. */
        public Builder sleeper(Sleeper sleeper) {
            this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
            return this;
        }

        /** A {@code heartbeat} event is sent while a page has been running this long (default 10 s). */
        public Builder heartbeatInterval(Duration interval) {
            Objects.requireNonNull(interval, "interval");
            if (interval.isNegative() || interval.isZero()) {
                throw new IllegalArgumentException("interval must be positive: " + interval);
            }
            this.heartbeatInterval = interval;
            return this;
        }

        /** Pages with less text than this are skipped ({@code page-skipped}; default 40 characters). */
        public Builder minPageChars(int chars) {
            this.minPageChars = atLeast(chars, 0, "minPageChars");
            return this;
        }

        /** Largest PDF accepted, in pages (default 300) and bytes (default 50 MB). */
        public Builder limits(int maxPages, long maxBytes) {
            this.maxPages = atLeast(maxPages, 1, "maxPages");
            if (maxBytes < 1) {
                throw new IllegalArgumentException("maxBytes must be >= 1: " + maxBytes);
            }
            this.maxBytes = maxBytes;
            return this;
        }

        /** Upper bound of {@code options.questionsPerPage} (default 10, at most 50). */
        public Builder maxQuestionsPerPage(int max) {
            this.maxQuestionsPerPage = atLeast(max, 1, "maxQuestionsPerPage");
            if (max > QuestionRequest.MAX_COUNT) {
                throw new IllegalArgumentException("maxQuestionsPerPage must be <= " + QuestionRequest.MAX_COUNT);
            }
            return this;
        }

        /**
         * Page images when {@code generateImages} is set: up to {@code maxPerPage} embedded images (default 3),
         * scaled to at most {@code maxWidth} pixels (default 800), else a rendered thumbnail {@code thumbnailWidth}
         * pixels wide (default 200).
         */
        public Builder images(int maxPerPage, int maxWidth, int thumbnailWidth) {
            this.maxImagesPerPage = atLeast(maxPerPage, 0, "maxPerPage");
            this.maxImageWidth = atLeast(maxWidth, 16, "maxWidth");
            this.thumbnailWidth = atLeast(thumbnailWidth, 16, "thumbnailWidth");
            return this;
        }

        /** Source of time for timestamps and heartbeats (default UTC system clock). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Prefix of {@code magicLink} and {@code shareUrl}, e.g. {@code https://quiz.example.com} (default empty:
         * the links are root-relative paths).
         */
        public Builder publicBaseUrl(String baseUrl) {
            Objects.requireNonNull(baseUrl, "baseUrl");
            String b = baseUrl.strip();
            while (b.endsWith("/")) {
                b = b.substring(0, b.length() - 1);
            }
            if (!b.isEmpty() && !b.startsWith("http://") && !b.startsWith("https://")) {
                throw new IllegalArgumentException("baseUrl must start with http:// or https://: " + baseUrl);
            }
            this.publicBaseUrl = b;
            return this;
        }

        public QuizPipeline build() {
            if (generator == null) {
                throw new IllegalStateException("generator is required");
            }
            if (fileStore == null) {
                throw new IllegalStateException("fileStore is required");
            }
            return new QuizPipeline(this);
        }
    }
}

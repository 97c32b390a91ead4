package dev.realtime.core.quiz;

import dev.realtime.core.Client;
import dev.realtime.core.ErrorCode;
import dev.realtime.core.RealtimeException;
import dev.realtime.core.RealtimeHub;
import dev.realtime.core.llm.Sleeper;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
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
    final GeneratorRetries retries;
    final Clock clock;
    final int maxParallelPages;
    final Duration heartbeatInterval;
    final int minPageChars;
    final int maxPages;
    final long maxBytes;
    final int maxQuestionsPerPage;
    final int maxImagesPerPage;
    final int maxImageWidth;
    final int thumbnailWidth;
    final String publicBaseUrl;
    private final QuizThreads threads;
    private final QuestionReplacement replacements;
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
        this.threads = new QuizThreads(b.executor, b.threads, b.scheduler);
        this.executor = threads.executor;
        this.outbox = threads.outbox;
        this.scheduler = threads.scheduler;
        this.retries = new GeneratorRetries(b.pageRetries, b.retryBackoff,
                b.sleeper != null ? b.sleeper : Sleeper.system());
        this.clock = b.clock != null ? b.clock : Clock.systemUTC();
        this.maxParallelPages = b.maxParallelPages;
        this.heartbeatInterval = b.heartbeatInterval;
        this.minPageChars = b.minPageChars;
        this.maxPages = b.maxPages;
        this.maxBytes = b.maxBytes;
        this.maxQuestionsPerPage = b.maxQuestionsPerPage;
        this.maxImagesPerPage = b.maxImagesPerPage;
        this.maxImageWidth = b.maxImageWidth;
        this.thumbnailWidth = b.thumbnailWidth;
        this.publicBaseUrl = b.publicBaseUrl;
        this.replacements = new QuestionReplacement(hub, quizStore, generator, retries, executor, this::newId);
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

    /** The file's owner; empty for unknown files too (the run reports those after the acknowledgement). */
    private Optional<String> ownerOf(String filename) {
        try {
            return fileStore.ownerOf(filename);
        } catch (QuizException e) {
            return Optional.empty();
        }
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
        return replacements.replace(client, request);
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
        threads.shutdown();
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
    public static final class Builder extends AbstractQuizPipelineBuilder {
        private Builder(RealtimeHub hub) {
            super(hub);
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

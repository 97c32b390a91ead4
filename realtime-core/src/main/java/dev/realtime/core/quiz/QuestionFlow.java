package dev.realtime.core.quiz;

import dev.realtime.core.Client;
import dev.realtime.core.DaemonThreads;
import dev.realtime.core.ErrorCode;
import dev.realtime.core.RealtimeException;
import dev.realtime.core.RealtimeHub;
import dev.realtime.core.Timestamps;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Seed 004's single-question flow on the default Socket.IO namespace and the native protocol:
 * {@code question:generate {examType, subject, difficulty, questionType, requestId, context?}} is acknowledged at
 * once with {@code {requestId, status:"accepted"}}, then the client receives {@code question:generating}, and
 * {@code question:generated {requestId, question, ...}} or {@code question:error {requestId, code, message}}.
 * A generation that takes longer than the timeout (30 s by default, as in seed 004) is cancelled and reported as
 * {@code question:error} with code {@code unavailable}.
 *
 * <p>Load is bounded: a user (the token's subject, else the connection) has at most {@code maxPerUser}
 * generations in flight (default 2), and at most {@code maxQueued} requests wait for a generator thread (default
 * 32); beyond either the request is refused with {@code rate_limited} before anything is queued.
 *
 * <p>Generation runs on the flow's own executor (never on a transport thread); {@link #close()} stops it.
 * Thread-safe.
 *
 * @since 0.1
 */
public final class QuestionFlow implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(QuestionFlow.class);

    /** The {@code question:generate} payload of seed 004, plus optional source text. */
    public record Request(String examType, String subject, String difficulty, String questionType, String requestId,
                          String context, String language) {
    }

    private final RealtimeHub hub;
    private final QuestionGenerator generator;
    private final Duration timeout;
    private final boolean needsContext;
    /** Default in-flight generations per user. */
    public static final int DEFAULT_MAX_PER_USER = 2;
    /** Default requests waiting for a generator thread. */
    public static final int DEFAULT_MAX_QUEUED = 32;

    private final ExecutorService executor;
    private final ScheduledThreadPoolExecutor timer;
    private final int maxPerUser;
    /** In-flight generations by user key; an entry exists only while its count is positive. */
    private final ConcurrentHashMap<String, Integer> inFlight = new ConcurrentHashMap<>();

    private QuestionFlow(RealtimeHub hub, QuestionGenerator generator, Duration timeout, int threads,
                         int maxPerUser, int maxQueued) {
        this.hub = hub;
        this.generator = generator;
        this.timeout = timeout;
        this.maxPerUser = maxPerUser;
        this.needsContext = generator instanceof OfflineQuestionGenerator;
        this.executor = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(maxQueued), DaemonThreads.named("question-flow"),
                new ThreadPoolExecutor.AbortPolicy());
        this.timer = new ScheduledThreadPoolExecutor(1, DaemonThreads.named("question-flow-timeout"));
        this.timer.setRemoveOnCancelPolicy(true);
    }

    /**
     * Registers {@code question:generate} on {@code hub} and returns the flow (close it with the hub).
     *
     * @param timeout per-request bound (seed 004: 30 s)
     */
    public static QuestionFlow register(RealtimeHub hub, QuestionGenerator generator, Duration timeout, int threads) {
        return register(hub, generator, timeout, threads, DEFAULT_MAX_PER_USER, DEFAULT_MAX_QUEUED);
    }

    /**
     * As {@link #register(RealtimeHub, QuestionGenerator, Duration, int)} with explicit load bounds.
     *
     * @param maxPerUser generations one user may have in flight
     * @param maxQueued  requests that may wait for a thread (all users together)
     */
    public static QuestionFlow register(RealtimeHub hub, QuestionGenerator generator, Duration timeout, int threads,
                                        int maxPerUser, int maxQueued) {
        Objects.requireNonNull(hub, "hub");
        Objects.requireNonNull(generator, "generator");
        if (timeout.isNegative() || timeout.isZero() || threads < 1 || maxPerUser < 1 || maxQueued < 1) {
            throw new IllegalArgumentException("timeout must be positive, threads, maxPerUser, maxQueued >= 1");
        }
        QuestionFlow flow = new QuestionFlow(hub, generator, timeout, threads, maxPerUser, maxQueued);
        hub.on("question:generate", Request.class, flow::accept);
        return flow;
    }

    private Map<String, Object> accept(Client client, Request req) {
        if (req == null || req.subject() == null || req.subject().isBlank()) {
            throw new RealtimeException(ErrorCode.BAD_REQUEST, "question:generate needs at least a subject");
        }
        if (needsContext && (req.context() == null || req.context().isBlank())) {
            throw new RealtimeException(ErrorCode.BAD_REQUEST, "the offline generator writes questions from source "
                    + "text: send 'context', or configure Gemini keys for topic-only questions");
        }
        String requestId = req.requestId() != null && !req.requestId().isBlank() ? req.requestId()
                : UUID.randomUUID().toString();
        QuestionRequest request;
        try {
            request = new QuestionRequest(text(req), 1, req.difficulty() == null ? "medium" : req.difficulty(), true,
                    req.language(), req.subject());
        } catch (IllegalArgumentException e) {
            throw new RealtimeException(ErrorCode.BAD_REQUEST, e.getMessage());
        }
        String user = hub.principal(client).map(p -> "u:" + p.userId()).orElse("c:" + client.id());
        if (inFlight.merge(user, 1, Integer::sum) > maxPerUser) {
            release(user);
            throw new RealtimeException(ErrorCode.RATE_LIMITED, "at most " + maxPerUser
                    + " questions in flight per user; wait for one to finish");
        }
        AtomicBoolean finished = new AtomicBoolean();
        java.util.concurrent.atomic.AtomicReference<Future<?>> deadline = new java.util.concurrent.atomic.AtomicReference<>();
        Runnable done = () -> {
            release(user);
            Future<?> d = deadline.get();
            if (d != null) {
                d.cancel(false);
            }
        };
        Future<?> work;
        try {
            work = executor.submit(() -> {
                try {
                    List<Question> qs = generator.generate(request);
                    if (qs.isEmpty()) {
                        throw new QuestionGenerationException(ErrorCode.UNAVAILABLE, "the generator returned no question");
                    }
                    if (finished.compareAndSet(false, true)) {
                        done.run();
                        Map<String, Object> out = new LinkedHashMap<>();
                        out.put("requestId", requestId);
                        out.put("examType", req.examType());
                        out.put("subject", req.subject());
                        out.put("question", qs.get(0));
                        out.put("timestamp", Timestamps.format(hub.clock().instant()));
                        client.emit("question:generated", out);
                    }
                } catch (RuntimeException e) {
                    if (finished.compareAndSet(false, true)) {
                        done.run();
                        ErrorCode code = e instanceof RealtimeException re ? re.code() : ErrorCode.INTERNAL;
                        if (!(e instanceof RealtimeException)) {
                            log.error("question generation {} failed", requestId, e);
                        }
                        error(client, requestId, code, e instanceof RealtimeException ? e.getMessage()
                                : "question generation failed");
                    }
                }
            });
        } catch (RejectedExecutionException e) {
            release(user);
            throw new RealtimeException(ErrorCode.RATE_LIMITED, "the question generator is busy; try again shortly");
        }
        Map<String, Object> generating = new LinkedHashMap<>();
        generating.put("requestId", requestId);
        generating.put("status", "generating");
        generating.put("message", "Generating a " + request.difficulty() + " question on " + req.subject());
        generating.put("timestamp", Timestamps.format(hub.clock().instant()));
        client.emit("question:generating", generating);
        deadline.set(timer.schedule(() -> {
            if (finished.compareAndSet(false, true)) {
                done.run();
                work.cancel(true);
                error(client, requestId, ErrorCode.UNAVAILABLE,
                        "no question within " + timeout.toSeconds() + " s; try again");
            }
        }, timeout.toMillis(), TimeUnit.MILLISECONDS));
        if (finished.get()) {
            deadline.get().cancel(false); // finished before the deadline was set
        }
        Map<String, Object> ack = new LinkedHashMap<>();
        ack.put("requestId", requestId);
        ack.put("status", "accepted");
        return ack;
    }

    private void release(String user) {
        inFlight.computeIfPresent(user, (k, n) -> n <= 1 ? null : n - 1);
    }

    private static void error(Client client, String requestId, ErrorCode code, String message) {
        Map<String, Object> err = new LinkedHashMap<>();
        err.put("requestId", requestId);
        err.put("code", code.wire());
        err.put("error", message);
        client.emit("question:error", err);
    }

    private static String text(Request r) {
        if (r.context() != null && !r.context().isBlank()) {
            return r.context();
        }
        return "Write one " + (r.questionType() == null ? "multiple-choice" : r.questionType()) + " question for the "
                + (r.examType() == null ? "general" : r.examType()) + " exam on " + r.subject() + ".";
    }

    /** Stops the flow's threads; in-flight generations are interrupted. */
    @Override
    public void close() {
        executor.shutdownNow();
        timer.shutdownNow();
    }

}

package dev.realtime.core.quiz;

import dev.realtime.core.Client;
import dev.realtime.core.ErrorCode;
import dev.realtime.core.RealtimeException;
import dev.realtime.core.RealtimeHub;
import dev.realtime.core.internal.Timestamps;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
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
    private final ExecutorService executor;
    private final ScheduledExecutorService timer;

    private QuestionFlow(RealtimeHub hub, QuestionGenerator generator, Duration timeout, int threads) {
        this.hub = hub;
        this.generator = generator;
        this.timeout = timeout;
        this.needsContext = generator instanceof OfflineQuestionGenerator;
        AtomicInteger n = new AtomicInteger();
        this.executor = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "question-flow-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "question-flow-timeout");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Registers {@code question:generate} on {@code hub} and returns the flow (close it with the hub).
     *
     * @param timeout per-request bound (seed 004: 30 s)
     */
    public static QuestionFlow register(RealtimeHub hub, QuestionGenerator generator, Duration timeout, int threads) {
        Objects.requireNonNull(hub, "hub");
        Objects.requireNonNull(generator, "generator");
        if (timeout.isNegative() || timeout.isZero() || threads < 1) {
            throw new IllegalArgumentException("timeout must be positive and threads >= 1");
        }
        QuestionFlow flow = new QuestionFlow(hub, generator, timeout, threads);
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
        Map<String, Object> generating = new LinkedHashMap<>();
        generating.put("requestId", requestId);
        generating.put("status", "generating");
        generating.put("message", "Generating a " + request.difficulty() + " question on " + req.subject());
        generating.put("timestamp", Timestamps.format(java.time.Instant.now()));
        client.emit("question:generating", generating);

        AtomicBoolean finished = new AtomicBoolean();
        Future<?> work = executor.submit(() -> {
            try {
                List<Question> qs = generator.generate(request);
                if (qs.isEmpty()) {
                    throw new QuestionGenerationException(ErrorCode.UNAVAILABLE, "the generator returned no question");
                }
                if (finished.compareAndSet(false, true)) {
                    Map<String, Object> done = new LinkedHashMap<>();
                    done.put("requestId", requestId);
                    done.put("examType", req.examType());
                    done.put("subject", req.subject());
                    done.put("question", qs.get(0));
                    done.put("timestamp", Timestamps.format(java.time.Instant.now()));
                    client.emit("question:generated", done);
                }
            } catch (RuntimeException e) {
                if (finished.compareAndSet(false, true)) {
                    ErrorCode code = e instanceof RealtimeException re ? re.code() : ErrorCode.INTERNAL;
                    if (!(e instanceof RealtimeException)) {
                        log.error("question generation {} failed", requestId, e);
                    }
                    error(client, requestId, code, e instanceof RealtimeException ? e.getMessage()
                            : "question generation failed");
                }
            }
        });
        timer.schedule(() -> {
            if (finished.compareAndSet(false, true)) {
                work.cancel(true);
                error(client, requestId, ErrorCode.UNAVAILABLE,
                        "no question within " + timeout.toSeconds() + " s; try again");
            }
        }, timeout.toMillis(), TimeUnit.MILLISECONDS);
        Map<String, Object> ack = new LinkedHashMap<>();
        ack.put("requestId", requestId);
        ack.put("status", "accepted");
        return ack;
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
